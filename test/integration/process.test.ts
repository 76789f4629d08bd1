import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { join } from "node:path";
import { postDelivery } from "../helpers/app.js";
import { crcComments, examplePayload, reviewCommentPayload } from "../helpers/fixtures.js";
import { runCliProcess, startApp } from "../helpers/process.js";
import { withTempDir } from "../helpers/signals.js";

/** A distinct, real-shaped delivery per index: review comments with real text, and reviews. */
const delivery = (i: number): { id: string; name: string; body: string } => {
  const comments = crcComments();
  if (i % 3 === 2) {
    const payload = examplePayload("pull_request_review", "submitted");
    (payload.review as Record<string, unknown>).id = 5_000_000 + i;
    return { id: `review-${String(i)}`, name: "pull_request_review", body: JSON.stringify(payload) };
  }
  const real = comments[i % comments.length];
  if (real === undefined) throw new Error("no fixtures");
  return { id: `comment-${String(i)}`, name: "pull_request_review_comment", body: JSON.stringify(reviewCommentPayload("created", real, { id: 9_000_000 + i })) };
};

describe("the built app as a process (npm start)", () => {
  it("records signed deliveries exactly once, as `review-reviewer stats --json` shows", async () => {
    await withTempDir(async (dataDir) => {
      const app = await startApp(dataDir);
      const deliveries = Array.from({ length: 30 }, (_, i) => delivery(i));

      const first = await Promise.all(deliveries.map((d) => postDelivery(app.url, d)));
      const redelivered = await Promise.all(deliveries.slice(0, 10).map((d) => postDelivery(app.url, d)));
      const whileRunning = await runCliProcess(["stats", "--json"], { DATA_DIR: dataDir });
      app.child.kill("SIGTERM");
      await app.exited;
      const afterStop = await runCliProcess(["stats", "--json"], { DATA_DIR: dataDir });

      expect([...first, ...redelivered].every((r) => r.status === 200)).toBe(true);
      const expected = { review_comment: 20, review: 10 };
      expect(JSON.parse(whileRunning.stdout)).toMatchObject({ totals: expected });
      expect(JSON.parse(afterStop.stdout)).toMatchObject({ totals: expected });
      expect(afterStop.code).toBe(0);
    });
  });

  it("keeps every acknowledged delivery when killed with SIGKILL during a burst", async () => {
    await withTempDir(async (dataDir) => {
      const acked = new Set<string>();
      let next = 0;
      for (let round = 0; round < 3; round++) {
        const app = await startApp(dataDir);
        let stop = false;
        const before = acked.size;
        const workers = Array.from({ length: 24 }, async () => {
          while (!stop) {
            const d = delivery(next++);
            try {
              const res = await postDelivery(app.url, d);
              if (res.status === 200) acked.add(d.id);
            } catch {
              // the connection died with the process: not acknowledged
            }
          }
        });
        // Kill mid-burst: once the burst is flowing (a loaded machine starts slowly), then a little later.
        for (let waited = 0; acked.size - before < 20 && waited < 15_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 100 + round * 150));
        app.child.kill("SIGKILL");
        stop = true;
        await Promise.all(workers);
        await app.exited;
      }

      const store = await LowdbSignalStore.open({ dataDir: join(dataDir, "signals") });
      const missing: string[] = [];
      for (const id of acked) if (!(await store.hasDelivery(id))) missing.push(id);
      await store.close();

      expect(acked.size).toBeGreaterThan(50);
      expect(missing).toEqual([]);
    });
  });
});
