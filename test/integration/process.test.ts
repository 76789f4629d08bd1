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
      let kills = 0;
      // Up to three kills, within a budget well inside the test's timeout: a loaded machine starts the app slowly,
      // so the rounds adapt (each kill waits for the burst to flow, bounded by what is left) instead of the timeout growing.
      const deadline = Date.now() + 20_000;
      while (kills < 3 && (kills < 2 || Date.now() < deadline - 6_000)) {
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
        const flowBy = Math.max(Date.now() + 2_000, Math.min(Date.now() + 8_000, deadline));
        while (acked.size - before < 20 && Date.now() < flowBy) await new Promise((r) => setTimeout(r, 20));
        await new Promise((r) => setTimeout(r, 50 + kills * 120));
        app.child.kill("SIGKILL");
        kills += 1;
        stop = true;
        await Promise.all(workers);
        await app.exited;
      }

      const store = await LowdbSignalStore.open({ dataDir: join(dataDir, "signals") });
      const missing: string[] = [];
      for (const id of acked) if (!(await store.hasDelivery(id))) missing.push(id);
      await store.close();

      expect(kills).toBeGreaterThanOrEqual(2);
      expect(acked.size).toBeGreaterThan(20);
      expect(missing).toEqual([]);
    });
  });
});
