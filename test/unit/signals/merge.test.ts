import { mergeSignal } from "../../../src/signals/merge.js";
import type { PullRequestSignal, ReviewSignal, ReviewThreadSignal, Signal } from "../../../src/signals/signal.js";
import { mapPullRequestEvent, mapReviewEvent, mapReviewThreadEvent, type MapResult } from "../../../src/ingest/to-signal.js";
import { examplePayload } from "../../helpers/fixtures.js";
import { mapperEnv } from "../../helpers/env.js";
import { commentSignal } from "../../helpers/signals.js";

const first = <T extends Signal>(r: MapResult, kind: T["kind"]): T => {
  const op = r.status === "ops" ? r.ops[0] : undefined;
  if (op?.op !== "upsert" || op.signal.kind !== kind) throw new Error("no signal");
  return op.signal as T;
};

const pr = (sha: string, updatedAt: string, receivedAt: string, action = "synchronize"): PullRequestSignal => {
  const payload = examplePayload("pull_request", "opened");
  payload.action = action;
  Object.assign(payload.pull_request as object, { updated_at: updatedAt });
  Object.assign((payload.pull_request as { head: object }).head, { sha });
  return first<PullRequestSignal>(mapPullRequestEvent(payload, mapperEnv({ receivedAt })), "pull_request");
};

describe("mergeSignal", () => {
  it("keeps the newest edit of a comment and its first creation time", () => {
    const v1 = commentSignal(1, { body: "v1", updatedAt: "2026-01-01T00:00:00Z" });
    const v2 = commentSignal(1, { body: "v2", updatedAt: "2026-01-03T00:00:00Z" });

    expect(mergeSignal(v1, v2)).toMatchObject({ body: "v2", createdAt: v1.createdAt });
    expect(mergeSignal(v2, v1)).toBe(v2);
  });

  it("is idempotent: merging the same observation twice changes nothing", () => {
    const a = pr("sha-a", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01.000Z", "opened");
    const b = pr("sha-b", "2026-01-02T00:00:00Z", "2026-01-02T00:00:01.000Z");

    const once = mergeSignal(a, b);

    expect(mergeSignal(once, b)).toEqual(once);
  });

  it("collects every head SHA in time order, whatever order the events arrive in", () => {
    const opened = pr("sha-1", "2026-01-01T00:00:00Z", "2026-01-01T00:00:01.000Z", "opened");
    const push2 = pr("sha-2", "2026-01-02T00:00:00Z", "2026-01-02T00:00:01.000Z");
    const push3 = pr("sha-3", "2026-01-03T00:00:00Z", "2026-01-03T00:00:01.000Z");

    const inOrder = [push2, push3].reduce<PullRequestSignal>((acc, s) => mergeSignal(acc, s) as PullRequestSignal, opened);
    const shuffled = [push2, opened].reduce<PullRequestSignal>((acc, s) => mergeSignal(acc, s) as PullRequestSignal, push3);

    expect(inOrder.headShas.map((h) => h.sha)).toEqual(["sha-1", "sha-2", "sha-3"]);
    expect(shuffled.headShas).toEqual(inOrder.headShas);
    expect(shuffled.headSha).toBe("sha-3");
  });

  it("keeps a review's submitted state after a dismissal", () => {
    const submitted = first<ReviewSignal>(mapReviewEvent(examplePayload("pull_request_review", "submitted"), mapperEnv()), "review");
    const dismissedPayload = examplePayload("pull_request_review", "submitted");
    dismissedPayload.action = "dismissed";
    const dismissed = first<ReviewSignal>(mapReviewEvent(dismissedPayload, mapperEnv({ receivedAt: "2026-11-23T00:00:00.000Z" })), "review");

    const merged = mergeSignal(submitted, dismissed);

    expect(merged).toMatchObject({ state: "dismissed", dismissed: true, submittedState: submitted.state });
  });

  it("follows a thread through resolve, unresolve and resolve again", () => {
    const at = (iso: string, action: "resolved" | "unresolved", login: string): ReviewThreadSignal => {
      const payload = examplePayload("pull_request_review_thread", "resolved");
      payload.action = action;
      (payload.sender as { login: string }).login = login;
      return first<ReviewThreadSignal>(mapReviewThreadEvent(payload, mapperEnv({ receivedAt: iso })), "review_thread");
    };
    const r1 = at("2026-01-01T00:00:00.000Z", "resolved", "alice");
    const u = at("2026-01-02T00:00:00.000Z", "unresolved", "bob");
    const r2 = at("2026-01-03T00:00:00.000Z", "resolved", "carol");

    const merged = [u, r1].reduce<ReviewThreadSignal>((acc, s) => mergeSignal(acc, s) as ReviewThreadSignal, r2);

    expect(merged.resolved).toBe(true);
    expect(merged.resolvedBy?.login).toBe("carol");
    expect(merged.events.map((e) => [e.resolved, e.by.login])).toEqual([[true, "alice"], [false, "bob"], [true, "carol"]]);
  });
});
