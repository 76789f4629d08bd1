import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import type { CommitResult, SignalStore, Transaction } from "../../src/store/store.js";
import { TRUNCATION_LIMITS } from "../../src/ingest/to-signal.js";
import { postDelivery, serveApp, sign, type HttpApp } from "../helpers/app.js";
import { crcComments, examplePayload, reviewCommentPayload } from "../helpers/fixtures.js";
import { captureLog, createTestProbot, type CapturedLog } from "../helpers/probot.js";
import { withTempDir } from "../helpers/signals.js";

const withServer = async (
  fn: (h: { app: HttpApp; store: LowdbSignalStore; log: CapturedLog }) => Promise<void>,
  wrap: (s: SignalStore) => SignalStore = (s) => s,
): Promise<void> => {
  await withTempDir(async (dir) => {
    const store = await LowdbSignalStore.open({ dataDir: dir });
    const log = captureLog();
    const app = await serveApp(createTestProbot(log.logger), wrap(store));
    try {
      await fn({ app, store, log });
    } finally {
      await app.close();
      await store.close();
    }
  });
};

const reviewBody = JSON.stringify(examplePayload("pull_request_review", "submitted"));

describe("webhook deliveries over HTTP", () => {
  it("acknowledges a signed delivery once it is stored, and counts a redelivery once", async () => {
    await withServer(async ({ app, store }) => {
      const first = await postDelivery(app.url, { id: "d-1", name: "pull_request_review", body: reviewBody });
      const again = await postDelivery(app.url, { id: "d-1", name: "pull_request_review", body: reviewBody });

      expect([first.status, again.status]).toEqual([200, 200]);
      expect((await store.stats()).totals).toEqual({ review: 1 });
    });
  });

  it("rejects a bad signature and leaves the store untouched", async () => {
    await withServer(async ({ app, store }) => {
      const res = await postDelivery(app.url, { id: "d-2", name: "pull_request_review", body: reviewBody, signature: sign(reviewBody, "wrong-secret") });

      expect(res.status).toBe(400);
      expect(res.body).toMatch(/signature does not match/);
      expect(store.deliveryCount).toBe(0);
    });
  });

  it("rejects a body that is not JSON and keeps serving", async () => {
    await withServer(async ({ app, store }) => {
      const junk = "{not json";

      const bad = await postDelivery(app.url, { id: "d-3", name: "pull_request_review", body: junk });
      const good = await postDelivery(app.url, { id: "d-4", name: "pull_request_review", body: reviewBody });

      expect(bad.status).toBe(400);
      expect(good.status).toBe(200);
      expect(store.deliveryCount).toBe(1);
    });
  });

  it("skips a malformed payload with a 200, logging the delivery id but no comment text", async () => {
    await withServer(async ({ app, store, log }) => {
      const real = crcComments()[2];
      if (real === undefined) throw new Error("no fixture");
      const payload = reviewCommentPayload("created", real);
      delete (payload.comment as Record<string, unknown>).user;

      const res = await postDelivery(app.url, { id: "d-5", name: "pull_request_review_comment", body: JSON.stringify(payload) });

      expect(res.status).toBe(200);
      expect(store.deliveryCount).toBe(0);
      expect(log.lines()).toContainEqual(expect.objectContaining({ deliveryId: "d-5", msg: "malformed payload skipped" }));
      expect(log.text()).not.toContain(real.body.slice(0, 40));
    });
  });

  it("stores a huge comment truncated, with the flag set", async () => {
    await withServer(async ({ app, store }) => {
      const real = crcComments()[3];
      if (real === undefined) throw new Error("no fixture");
      const body = real.body + "\n" + "x".repeat(2_000_000);

      const res = await postDelivery(app.url, { id: "d-6", name: "pull_request_review_comment", body: JSON.stringify(reviewCommentPayload("created", real, { body })) });

      const stored = await store.get(`review_comment:${String(real.id)}`);
      expect(res.status).toBe(200);
      expect(stored?.kind === "review_comment" && stored.body.length).toBe(TRUNCATION_LIMITS.bodyChars);
      expect(stored?.kind === "review_comment" && stored.truncated.body).toBe(true);
    });
  });

  it("does not answer before the signals are durable", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = (inner: SignalStore): SignalStore => ({
      ...inner,
      get: (k) => inner.get(k),
      list: (f) => inner.list(f),
      hasDelivery: (id) => inner.hasDelivery(id),
      getCursor: (n) => inner.getCursor(n),
      listCursors: (p) => inner.listCursors(p),
      stats: () => inner.stats(),
      close: () => inner.close(),
      commit: async (tx: Transaction): Promise<CommitResult> => {
        await gate;
        return inner.commit(tx);
      },
    });
    await withServer(async ({ app, store }) => {
      let answered = false;
      const pending = postDelivery(app.url, { id: "d-7", name: "pull_request_review", body: reviewBody }).then((r) => {
        answered = true;
        return r;
      });
      await new Promise((r) => setTimeout(r, 300));
      const answeredBeforeCommit = answered;

      release();
      const res = await pending;

      expect(answeredBeforeCommit).toBe(false);
      expect(res.status).toBe(200);
      expect(await store.hasDelivery("d-7")).toBe(true);
    }, gated);
  });
});
