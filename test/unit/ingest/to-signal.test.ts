import {
  EVENT_MAPPERS,
  TRUNCATION_LIMITS,
  mapIssueCommentEvent,
  mapPullRequestEvent,
  mapReviewCommentEvent,
  mapReviewEvent,
  mapReviewThreadEvent,
  truncateHunk,
  type MapResult,
} from "../../../src/ingest/to-signal.js";
import { SignalSchema, type Signal } from "../../../src/signals/signal.js";
import { crcComments, examplePayload, examplePayloads, reviewCommentPayload } from "../../helpers/fixtures.js";
import { FROZEN_NOW, mapperEnv } from "../../helpers/env.js";

const onlySignal = (result: MapResult): Signal => {
  if (result.status !== "ops") throw new Error(`expected ops, got ${result.status}: ${"reason" in result ? result.reason : ""}`);
  const [op] = result.ops;
  if (op?.op !== "upsert" || result.ops.length !== 1) throw new Error("expected one upsert");
  return op.signal;
};

describe("every documented example payload", () => {
  it.each(Object.keys(EVENT_MAPPERS))("maps %s without an invalid result", (event) => {
    const mapper = EVENT_MAPPERS[event as keyof typeof EVENT_MAPPERS];
    const payloads = examplePayloads(event);
    // GitHub's issue_comment examples are all on plain issues: also try them as PR comments.
    if (event === "issue_comment") {
      for (const p of examplePayloads(event)) {
        (p.issue as Record<string, unknown>).pull_request = { url: "https://api.github.com/repos/o/r/pulls/1" };
        payloads.push(p);
      }
    }
    const results = payloads.map((p) => mapper(p, mapperEnv()));

    const invalid = results.filter((r) => r.status === "invalid");
    expect(invalid).toEqual([]);
    expect(results.some((r) => r.status === "ops")).toBe(true);
    // What the store will accept: every built signal passes the signal schema.
    const built = results.flatMap((r) => (r.status === "ops" ? r.ops.flatMap((op) => (op.op === "upsert" ? [op.signal] : [])) : []));
    for (const signal of built) expect(SignalSchema.safeParse(signal).error).toBeUndefined();
  });
});

describe("review comments", () => {
  it("keeps every field the learning steps need", () => {
    const payload = examplePayloads("pull_request_review_comment").find(
      (p) => p.action === "created" && typeof (p.comment as { line?: unknown }).line === "number",
    );
    if (payload === undefined) throw new Error("no created example with a line");

    const s = onlySignal(mapReviewCommentEvent(payload, mapperEnv()));

    const c = payload.comment as Record<string, unknown>;
    expect(s).toMatchObject({
      kind: "review_comment",
      key: `review_comment:${String(c.id)}`,
      repo: "Codertocat/Hello-World",
      pullNumber: 2,
      path: c.path,
      line: c.line,
      originalLine: c.original_line,
      side: c.side,
      commitId: c.commit_id,
      originalCommitId: c.original_commit_id,
      diffHunk: c.diff_hunk,
      body: c.body,
      author: { login: "Codertocat", kind: "human", type: "User" },
      authorAssociation: c.author_association,
      inReplyToId: null,
      htmlUrl: c.html_url,
      deliveryId: "delivery-1",
      receivedAt: FROZEN_NOW,
      truncated: { body: false, diffHunk: false },
    });
  });

  it("carries a real reviewer's text unchanged, suggestion block included", () => {
    const real = crcComments().find((c) => c.body.includes("```suggestion"));
    if (real === undefined) throw new Error("fixture has no suggestion");

    const s = onlySignal(mapReviewCommentEvent(reviewCommentPayload("created", real), mapperEnv()));

    expect(s.kind === "review_comment" && s.body).toBe(real.body);
    expect(s.repo).toBe(real.html_url.split("/").slice(3, 5).join("/"));
  });

  it("flags bot comments so they never count as human feedback", () => {
    const bot = crcComments().find((c) => c.user.type === "Bot");
    if (bot === undefined) throw new Error("fixture has no bot");

    const s = onlySignal(mapReviewCommentEvent(reviewCommentPayload("created", bot), mapperEnv()));

    expect(s.kind === "review_comment" && s.author.kind).toBe("bot");
  });

  it("recognises this app's own comments by performed_via_github_app", () => {
    const payload = examplePayload("pull_request_review_comment", "created");
    Object.assign(payload.comment as object, {
      user: { login: "review-reviewer[bot]", id: 9, type: "Bot" },
      performed_via_github_app: { id: 4242, slug: "review-reviewer" },
    });

    const s = onlySignal(mapReviewCommentEvent(payload, mapperEnv()));

    expect(s.kind === "review_comment" && s.author.kind).toBe("self");
  });

  it("turns a deletion into a delete of the same key", () => {
    const payload = examplePayload("pull_request_review_comment", "deleted");

    const result = mapReviewCommentEvent(payload, mapperEnv());

    const id = (payload.comment as { id: number }).id;
    expect(result).toEqual({ status: "ops", ops: [{ op: "delete", key: `review_comment:${String(id)}`, at: FROZEN_NOW }] });
  });

  it("truncates an oversized body at the documented limit and sets the flag", () => {
    const payload = examplePayload("pull_request_review_comment", "created");
    (payload.comment as Record<string, unknown>).body = "x".repeat(TRUNCATION_LIMITS.bodyChars + 500);

    const s = onlySignal(mapReviewCommentEvent(payload, mapperEnv()));

    expect(s.kind === "review_comment" && s.body.length).toBe(TRUNCATION_LIMITS.bodyChars);
    expect(s.kind === "review_comment" && s.truncated).toEqual({ body: true, diffHunk: false });
  });

  it("keeps the @@ header and the commented end of an oversized hunk", () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `+line ${String(i)}`);
    const hunk = ["@@ -1,1 +1,5000 @@", ...lines].join("\n");

    const cut = truncateHunk(hunk);

    expect(cut.truncated).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(TRUNCATION_LIMITS.diffHunkChars);
    expect(cut.text.startsWith("@@ -1,1 +1,5000 @@\n+line ")).toBe(true);
    expect(cut.text.endsWith("+line 4999")).toBe(true);
  });

  it.each([
    ["no repository", (p: Record<string, unknown>) => { delete p.repository; }, "repository"],
    ["a string id", (p: Record<string, unknown>) => { (p.comment as Record<string, unknown>).id = "12"; }, "comment.id"],
    ["a bad date", (p: Record<string, unknown>) => { (p.comment as Record<string, unknown>).updated_at = "yesterday"; }, "comment.updated_at"],
    ["an unknown action", (p: Record<string, unknown>) => { p.action = "exploded"; }, "action"],
  ])("rejects a payload with %s, naming the path", (_name, mutate, path) => {
    const payload = examplePayload("pull_request_review_comment", "created");
    mutate(payload);

    const result = mapReviewCommentEvent(payload, mapperEnv());

    expect(result.status).toBe("invalid");
    expect(result.status === "invalid" && result.reason).toContain(path);
  });

  it("rejects payloads that are not objects at all", () => {
    for (const junk of [null, 42, "text", [], { action: "created" }]) {
      expect(mapReviewCommentEvent(junk, mapperEnv()).status).toBe("invalid");
    }
  });
});

describe("reviews", () => {
  it("records a submitted review with its state, reviewer and commit", () => {
    const payload = examplePayload("pull_request_review", "submitted");

    const s = onlySignal(mapReviewEvent(payload, mapperEnv()));

    const r = payload.review as Record<string, unknown>;
    expect(s).toMatchObject({
      kind: "review",
      key: `review:${String(r.id)}`,
      state: r.state,
      submittedState: r.state,
      dismissed: false,
      commitId: r.commit_id,
      reviewer: { login: (r.user as { login: string }).login, kind: "human" },
    });
  });

  it("records a dismissal without inventing the submitted state", () => {
    const payload = examplePayload("pull_request_review", "dismissed");

    const s = onlySignal(mapReviewEvent(payload, mapperEnv()));

    expect(s).toMatchObject({ kind: "review", state: "dismissed", dismissed: true, submittedState: null });
  });
});

describe("review threads", () => {
  it("records who resolved a thread and its comments", () => {
    const payload = examplePayload("pull_request_review_thread", "resolved");

    const s = onlySignal(mapReviewThreadEvent(payload, mapperEnv()));

    const thread = payload.thread as { node_id: string; comments: { id: number }[] };
    expect(s).toMatchObject({
      kind: "review_thread",
      key: `review_thread:${thread.node_id}`,
      resolved: true,
      resolvedBy: { login: (payload.sender as { login: string }).login },
      commentIds: thread.comments.map((c) => c.id).sort((a, b) => a - b),
      events: [{ resolved: true, at: FROZEN_NOW }],
    });
  });

  it("records an unresolve with no resolver", () => {
    const s = onlySignal(mapReviewThreadEvent(examplePayload("pull_request_review_thread", "unresolved"), mapperEnv()));

    expect(s).toMatchObject({ resolved: false, resolvedBy: null });
  });
});

describe("conversation comments", () => {
  it("ignores comments on plain issues", () => {
    const result = mapIssueCommentEvent(examplePayload("issue_comment", "created"), mapperEnv());

    expect(result).toEqual({ status: "ignored", reason: "comment on an issue, not a pull request" });
  });

  it("records comments on pull requests", () => {
    const payload = examplePayload("issue_comment", "created");
    (payload.issue as Record<string, unknown>).pull_request = { url: "https://api.github.com/repos/o/r/pulls/1" };

    const s = onlySignal(mapIssueCommentEvent(payload, mapperEnv()));

    const c = payload.comment as { id: number; body: string };
    expect(s).toMatchObject({ kind: "conversation_comment", key: `conversation_comment:${String(c.id)}`, body: c.body });
  });
});

describe("pull requests", () => {
  it("records an opened PR with author kind, size, labels and its first head SHA", () => {
    const payload = examplePayload("pull_request", "opened");
    const pr = payload.pull_request as Record<string, unknown>;

    const s = onlySignal(mapPullRequestEvent(payload, mapperEnv()));

    expect(s).toMatchObject({
      kind: "pull_request",
      key: `pull_request:${String(pr.id)}`,
      state: "open",
      merged: false,
      headSha: (pr.head as { sha: string }).sha,
      headShas: [{ sha: (pr.head as { sha: string }).sha, at: new Date(String(pr.created_at)).toISOString() }],
      additions: pr.additions,
      deletions: pr.deletions,
      changedFiles: pr.changed_files,
      author: { kind: "human" },
    });
  });

  it("tags PRs authored by an AI coding agent", () => {
    const payload = examplePayload("pull_request", "opened");
    (payload.pull_request as Record<string, unknown>).user = { login: "Copilot", id: 198982749, type: "Bot" };

    const s = onlySignal(mapPullRequestEvent(payload, mapperEnv()));

    expect(s.kind === "pull_request" && s.author.kind).toBe("agent");
  });

  it("records a merge with its SHA and times", () => {
    const payload = examplePayload("pull_request", "closed");
    Object.assign(payload.pull_request as object, {
      merged: true,
      merged_at: "2026-11-20T12:00:00Z",
      closed_at: "2026-11-20T12:00:00Z",
      merge_commit_sha: "abc123",
    });

    const s = onlySignal(mapPullRequestEvent(payload, mapperEnv()));

    expect(s).toMatchObject({ merged: true, mergeCommitSha: "abc123", mergedAt: "2026-11-20T12:00:00.000Z", closedAt: "2026-11-20T12:00:00.000Z" });
  });

  it("ignores actions that change nothing recorded", () => {
    const result = mapPullRequestEvent(examplePayload("pull_request", "assigned"), mapperEnv());

    expect(result.status).toBe("ignored");
  });
});
