import nock from "nock";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { crcComments, examplePayload, reviewCommentPayload } from "../helpers/fixtures.js";
import { appFor } from "../helpers/app.js";
import { captureLog, createTestProbot } from "../helpers/probot.js";
import { withTempDir } from "../helpers/signals.js";

type Payload = Record<string, unknown>;

/** A real Probot, the real app and a real store; every attempted HTTP request is recorded. */
const withApp = async (fn: (h: { receive: (id: string, name: string, payload: Payload) => Promise<void>; store: LowdbSignalStore; log: ReturnType<typeof captureLog> }) => Promise<void>): Promise<void> => {
  await withTempDir(async (dir) => {
    const store = await LowdbSignalStore.open({ dataDir: dir });
    const log = captureLog();
    const probot = createTestProbot(log.logger);
    await probot.load(appFor(store));
    const attempted: string[] = [];
    const onNoMatch = (req: { path?: string }): void => {
      attempted.push(String(req.path));
    };
    nock.emitter.on("no match", onNoMatch);
    try {
      await fn({ receive: (id, name, payload) => probot.receive({ id, name, payload } as never), store, log });
    } finally {
      nock.emitter.removeListener("no match", onNoMatch);
      await store.close();
    }
    // Recording never calls the GitHub API.
    expect(attempted).toEqual([]);
  });
};

const prComment = (): Payload => {
  const p = examplePayload("issue_comment", "created");
  (p.issue as Payload).pull_request = { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/1" };
  return p;
};

describe("recording review activity through probot.receive", () => {
  it("records each kind of review action as a signal", async () => {
    await withApp(async ({ receive, store }) => {
      const real = crcComments()[0];
      if (real === undefined) throw new Error("no fixture");
      await receive("d1", "pull_request_review_comment", reviewCommentPayload("created", real));
      await receive("d2", "pull_request_review", examplePayload("pull_request_review", "submitted"));
      await receive("d3", "pull_request_review_thread", examplePayload("pull_request_review_thread", "resolved"));
      await receive("d4", "issue_comment", prComment());
      await receive("d5", "pull_request", examplePayload("pull_request", "opened"));

      const stats = await store.stats();

      expect(stats.totals).toEqual({ review_comment: 1, review: 1, review_thread: 1, conversation_comment: 1, pull_request: 1 });
      const thread = examplePayload("pull_request_review_thread", "resolved").repository as { full_name: string };
      expect(Object.keys(stats.repos).sort()).toEqual(
        [...new Set(["Codertocat/Hello-World", thread.full_name, real.html_url.split("/").slice(3, 5).join("/")])].sort(),
      );
    });
  });

  it("records the same delivery once", async () => {
    await withApp(async ({ receive, store }) => {
      const payload = examplePayload("pull_request_review", "submitted");

      await receive("same-id", "pull_request_review", payload);
      await receive("same-id", "pull_request_review", payload);

      expect((await store.stats()).totals).toEqual({ review: 1 });
      expect(store.deliveryCount).toBe(1);
    });
  });

  it("updates a comment in place when it is edited, then removes it when deleted", async () => {
    await withApp(async ({ receive, store }) => {
      const real = crcComments()[1];
      if (real === undefined) throw new Error("no fixture");
      await receive("c", "pull_request_review_comment", reviewCommentPayload("created", real));
      await receive("e", "pull_request_review_comment", reviewCommentPayload("edited", real, { body: "Edited: use a context manager here.", updatedAt: "2099-01-01T00:00:00Z" }));
      const afterEdit = await store.get(`review_comment:${String(real.id)}`);

      await receive("x", "pull_request_review_comment", reviewCommentPayload("deleted", real));

      expect(afterEdit?.kind === "review_comment" && afterEdit.body).toBe("Edited: use a context manager here.");
      expect((await store.stats()).totals).toEqual({});
      expect(await store.get(`review_comment:${String(real.id)}`)).toBeUndefined();
    });
  });

  it("stores bot comments flagged, not as human feedback", async () => {
    await withApp(async ({ receive, store }) => {
      const bot = crcComments().find((c) => c.user.type === "Bot");
      if (bot === undefined) throw new Error("no bot fixture");

      await receive("b", "pull_request_review_comment", reviewCommentPayload("created", bot));

      const stored = await store.get(`review_comment:${String(bot.id)}`);
      expect(stored?.kind === "review_comment" && stored.author).toMatchObject({ login: bot.user.login, kind: "bot" });
    });
  });

  it("logs a malformed payload with its delivery id, skips it, and keeps going", async () => {
    await withApp(async ({ receive, store, log }) => {
      const broken = examplePayload("pull_request_review_comment", "created");
      (broken.comment as Payload).id = "not-a-number";
      (broken.comment as Payload).body = "SECRET-LOOKING TEXT ghp_abcdefghijklmnopqrstuvwxyz0123456789";

      await receive("bad-1", "pull_request_review_comment", broken);
      await receive("good-1", "pull_request_review", examplePayload("pull_request_review", "submitted"));

      const warning = log.lines().find((l) => l.msg === "malformed payload skipped");
      expect(warning).toMatchObject({ deliveryId: "bad-1", event: "pull_request_review_comment", reason: expect.stringContaining("comment.id") as unknown });
      // probot.receive itself logs whole payloads at debug ("Webhook received"); the
      // HTTP path does not (see http.test.ts). None of our own lines carry text.
      const ours = log.lines().filter((l) => l.msg !== "Webhook received");
      expect(JSON.stringify(ours)).not.toContain("ghp_abcdefghijklmnopqrstuvwxyz0123456789");
      expect(await store.hasDelivery("bad-1")).toBe(false);
      expect((await store.stats()).totals).toEqual({ review: 1 });
    });
  });

  it("ignores events and actions it does not record", async () => {
    await withApp(async ({ receive, store }) => {
      await receive("s", "star", { ...examplePayload("star", "created") });
      await receive("a", "pull_request", examplePayload("pull_request", "assigned"));
      await receive("i", "issue_comment", examplePayload("issue_comment", "created"));

      expect(store.deliveryCount).toBe(0);
    });
  });

  it("fails the delivery (so it is not acknowledged) when the store cannot write", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir });
      const probot = createTestProbot();
      await probot.load(appFor(store));
      await store.close();

      await expect(probot.receive({ id: "x", name: "pull_request_review", payload: examplePayload("pull_request_review", "submitted") } as never)).rejects.toThrow(/store is closed/);
    });
  });
});
