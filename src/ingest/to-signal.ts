import type { z } from "zod";
import { toActor, type ActorClassifier } from "../signals/actor.js";
import {
  signalKey,
  type CheckSuiteSignal,
  type ConversationCommentSignal,
  type PullRequestSignal,
  type ReviewCommentSignal,
  type ReviewSignal,
  type ReviewThreadSignal,
  type Signal,
} from "../signals/signal.js";
import type { SignalOp } from "../store/store.js";
import {
  CheckSuiteEventSchema,
  IssueCommentEventSchema,
  PullRequestEventSchema,
  ReviewCommentEventSchema,
  ReviewEventSchema,
  ReviewThreadEventSchema,
} from "./payload-schemas.js";

/**
 * Pure mappers: webhook payload → signal operations. No I/O, no clock (the
 * receive time is passed in), no env. The store validates what they return.
 */

/** Text longer than these limits is cut and flagged (`truncated`). */
export const TRUNCATION_LIMITS = {
  /** Comment and review bodies keep their first 32,000 characters. */
  bodyChars: 32_000,
  /** Diff hunks keep their `@@` header and last 16,000 characters: the commented line is at the end. */
  diffHunkChars: 16_000,
} as const;

export interface MapperEnv {
  deliveryId: string;
  /** ISO time the delivery was received. */
  receivedAt: string;
  classifier: ActorClassifier;
}

export type MapResult =
  | { status: "ops"; ops: SignalOp[] }
  | { status: "ignored"; reason: string }
  | { status: "invalid"; reason: string };

export type EventMapper = (payload: unknown, env: MapperEnv) => MapResult;

class MappingError extends Error {}

const iso = (value: string, field: string): string => {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new MappingError(`${field}: not a date: ${JSON.stringify(value.slice(0, 40))}`);
  return new Date(t).toISOString();
};
const isoOrNull = (value: string | null, field: string): string | null => (value === null ? null : iso(value, field));

export const truncateBody = (body: string | null | undefined): { text: string; truncated: boolean } => {
  const text = body ?? "";
  if (text.length <= TRUNCATION_LIMITS.bodyChars) return { text, truncated: false };
  return { text: text.slice(0, TRUNCATION_LIMITS.bodyChars), truncated: true };
};

export const truncateHunk = (hunk: string | null | undefined): { text: string; truncated: boolean } => {
  const text = hunk ?? "";
  const max = TRUNCATION_LIMITS.diffHunkChars;
  if (text.length <= max) return { text, truncated: false };
  const nl = text.indexOf("\n");
  const header = nl > 0 && nl < 200 && text.startsWith("@@") ? text.slice(0, nl + 1) : "";
  const tail = text.slice(text.length - (max - header.length));
  // Start the tail on a whole line.
  const firstNl = tail.indexOf("\n");
  return { text: header + (firstNl >= 0 ? tail.slice(firstNl + 1) : tail), truncated: true };
};

/**
 * Parse and map; a payload that does not parse becomes an `invalid` result
 * naming the path. The signals themselves are validated once, by the store
 * (TransactionSchema), for every writer: a signal a mapper built wrongly is a
 * bug, and the store's refusal leaves the delivery unacknowledged (GitHub can
 * redeliver it) instead of logging it away as a malformed payload.
 */
const mapper =
  <T>(schema: z.ZodType<T>, build: (event: T, env: MapperEnv) => MapResult): EventMapper =>
  (payload, env) => {
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return { status: "invalid", reason: describeIssues(parsed.error) };
    let result: MapResult;
    try {
      result = build(parsed.data, env);
    } catch (e) {
      if (e instanceof MappingError) return { status: "invalid", reason: e.message };
      throw e;
    }
    return result;
  };

/** Paths and messages only: payload text never reaches the logs. */
export const describeIssues = (error: z.ZodError): string =>
  error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length > 0 ? i.path.join(".") : "(root)"}: ${i.message}`)
    .join("; ");

const common = (
  event: { repository: { id: number; full_name: string }; installation?: { id: number } | null | undefined },
  pullNumber: number,
  env: MapperEnv,
): Pick<Signal, "repo" | "repoId" | "installationId" | "pullNumber" | "deliveryId" | "receivedAt"> => ({
  repo: event.repository.full_name,
  repoId: event.repository.id,
  installationId: event.installation?.id ?? null,
  pullNumber,
  deliveryId: env.deliveryId,
  receivedAt: iso(env.receivedAt, "receivedAt"),
});

const upsert = (signal: Signal): MapResult => ({ status: "ops", ops: [{ op: "upsert", signal }] });
const remove = (key: string, env: MapperEnv): MapResult => ({
  status: "ops",
  ops: [{ op: "delete", key, at: iso(env.receivedAt, "receivedAt") }],
});

export const mapReviewCommentEvent = mapper(ReviewCommentEventSchema, (e, env) => {
  const c = e.comment;
  const key = signalKey("review_comment", c.id);
  if (e.action === "deleted") return remove(key, env);
  const body = truncateBody(c.body);
  const hunk = truncateHunk(c.diff_hunk);
  const signal: ReviewCommentSignal = {
    kind: "review_comment",
    key,
    ...common(e, e.pull_request.number, env),
    id: c.id,
    nodeId: c.node_id,
    reviewId: c.pull_request_review_id,
    path: c.path,
    subjectType: c.subject_type ?? null,
    line: c.line,
    originalLine: c.original_line,
    startLine: c.start_line,
    originalStartLine: c.original_start_line,
    side: c.side ?? null,
    position: c.position,
    originalPosition: c.original_position,
    commitId: c.commit_id,
    originalCommitId: c.original_commit_id,
    diffHunk: hunk.text,
    body: body.text,
    author: toActor(c.user, env.classifier, c.performed_via_github_app),
    authorAssociation: c.author_association,
    inReplyToId: c.in_reply_to_id,
    pullAuthor: e.pull_request.user?.login ?? null,
    createdAt: iso(c.created_at, "comment.created_at"),
    updatedAt: iso(c.updated_at, "comment.updated_at"),
    htmlUrl: c.html_url,
    truncated: { body: body.truncated, diffHunk: hunk.truncated },
  };
  return upsert(signal);
});

const REVIEW_STATE_MAP: Record<string, ReviewSignal["state"]> = {
  approved: "approved",
  changes_requested: "changes_requested",
  commented: "commented",
  dismissed: "dismissed",
  pending: "pending",
};

export const mapReviewEvent = mapper(ReviewEventSchema, (e, env) => {
  const r = e.review;
  const state = REVIEW_STATE_MAP[r.state.toLowerCase()];
  if (state === undefined) throw new MappingError(`review.state: unknown state ${JSON.stringify(r.state.slice(0, 30))}`);
  if (state === "pending") return { status: "ignored", reason: "pending review (not submitted)" };
  const dismissed = e.action === "dismissed" || state === "dismissed";
  const body = truncateBody(r.body);
  const signal: ReviewSignal = {
    kind: "review",
    key: signalKey("review", r.id),
    ...common(e, e.pull_request.number, env),
    id: r.id,
    nodeId: r.node_id,
    state: dismissed ? "dismissed" : state,
    submittedState: dismissed ? null : state,
    dismissed,
    body: body.text,
    reviewer: toActor(r.user, env.classifier),
    authorAssociation: r.author_association,
    commitId: r.commit_id,
    submittedAt: isoOrNull(r.submitted_at, "review.submitted_at"),
    pullAuthor: e.pull_request.user?.login ?? null,
    htmlUrl: r.html_url,
    truncated: { body: body.truncated, diffHunk: false },
  };
  return upsert(signal);
});

export const mapReviewThreadEvent = mapper(ReviewThreadEventSchema, (e, env) => {
  const by = toActor(e.sender, env.classifier);
  const at = iso(env.receivedAt, "receivedAt");
  const resolved = e.action === "resolved";
  const first = e.thread.comments[0];
  const signal: ReviewThreadSignal = {
    kind: "review_thread",
    key: signalKey("review_thread", e.thread.node_id),
    ...common(e, e.pull_request.number, env),
    nodeId: e.thread.node_id,
    resolved,
    resolvedBy: resolved ? by : null,
    commentIds: [...new Set(e.thread.comments.map((c) => c.id))].sort((a, b) => a - b),
    path: first?.path ?? null,
    line: first === undefined ? null : (first.line ?? first.original_line ?? null),
    events: [{ resolved, by, at }],
  };
  return upsert(signal);
});

export const mapIssueCommentEvent = mapper(IssueCommentEventSchema, (e, env) => {
  if (e.issue.pull_request === null || e.issue.pull_request === undefined) {
    return { status: "ignored", reason: "comment on an issue, not a pull request" };
  }
  const c = e.comment;
  const key = signalKey("conversation_comment", c.id);
  if (e.action === "deleted") return remove(key, env);
  const body = truncateBody(c.body);
  const signal: ConversationCommentSignal = {
    kind: "conversation_comment",
    key,
    ...common(e, e.issue.number, env),
    id: c.id,
    nodeId: c.node_id,
    body: body.text,
    author: toActor(c.user, env.classifier, c.performed_via_github_app),
    authorAssociation: c.author_association,
    pullAuthor: e.issue.user?.login ?? null,
    createdAt: iso(c.created_at, "comment.created_at"),
    updatedAt: iso(c.updated_at, "comment.updated_at"),
    htmlUrl: c.html_url,
    truncated: { body: body.truncated, diffHunk: false },
  };
  return upsert(signal);
});

/** The pull_request actions that change what we record. */
export const PULL_REQUEST_ACTIONS = [
  "opened",
  "reopened",
  "synchronize",
  "closed",
  "edited",
  "labeled",
  "unlabeled",
  "ready_for_review",
  "converted_to_draft",
] as const;

export const mapPullRequestEvent = mapper(PullRequestEventSchema, (e, env) => {
  if (!(PULL_REQUEST_ACTIONS as readonly string[]).includes(e.action)) {
    return { status: "ignored", reason: `pull_request.${e.action.slice(0, 40)} is not recorded` };
  }
  return upsert(buildPullRequest(e, env));
});

/** A pull request from a REST listing (`GET /repos/{o}/{r}/pulls`), for backfill. */
export const mapRestPullRequest = mapper(PullRequestEventSchema.omit({ action: true }), (e, env) =>
  upsert(buildPullRequest({ ...e, action: "backfill" }, env)),
);

const buildPullRequest = (e: z.infer<typeof PullRequestEventSchema>, env: MapperEnv): PullRequestSignal => {
  const pr = e.pull_request;
  const updatedAt = iso(pr.updated_at, "pull_request.updated_at");
  const createdAt = iso(pr.created_at, "pull_request.created_at");
  const signal: PullRequestSignal = {
    kind: "pull_request",
    key: signalKey("pull_request", pr.id),
    ...common(e, pr.number, env),
    id: pr.id,
    nodeId: pr.node_id,
    title: truncateBody(pr.title).text,
    author: toActor(pr.user, env.classifier),
    authorAssociation: pr.author_association,
    state: pr.state,
    draft: pr.draft,
    merged: pr.merged === true || pr.merged_at !== null,
    mergeCommitSha: pr.merged_at !== null ? pr.merge_commit_sha : null,
    mergedBy: pr.merged_by?.login ?? null,
    baseRef: pr.base.ref,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    headShas: [{ sha: pr.head.sha, at: e.action === "opened" ? createdAt : updatedAt }],
    additions: pr.additions,
    deletions: pr.deletions,
    changedFiles: pr.changed_files,
    commits: pr.commits,
    labels: pr.labels.map((l) => l.name).sort(),
    createdAt,
    updatedAt,
    closedAt: isoOrNull(pr.closed_at, "pull_request.closed_at"),
    mergedAt: isoOrNull(pr.merged_at, "pull_request.merged_at"),
    htmlUrl: pr.html_url,
  };
  return signal;
};

/** CI outcome: a completed check suite on a PR's head commit. */
export const mapCheckSuiteEvent = mapper(CheckSuiteEventSchema, (e, env) => {
  if (e.action !== "completed") return { status: "ignored", reason: `check_suite.${e.action.slice(0, 40)} is not recorded` };
  const cs = e.check_suite;
  const first = cs.pull_requests[0];
  if (first === undefined) return { status: "ignored", reason: "check suite on no pull request" };
  const signal: CheckSuiteSignal = {
    kind: "check_suite",
    key: signalKey("check_suite", cs.id),
    ...common(e, first.number, env),
    id: cs.id,
    headSha: cs.head_sha,
    app: cs.app?.slug ?? cs.app?.name ?? null,
    status: cs.status,
    conclusion: cs.conclusion,
    pullNumbers: cs.pull_requests.map((p) => p.number),
    updatedAt: iso(cs.updated_at, "check_suite.updated_at"),
  };
  return upsert(signal);
});

/** Event name → mapper. Events not listed are ignored. */
export const EVENT_MAPPERS = {
  pull_request_review_comment: mapReviewCommentEvent,
  pull_request_review: mapReviewEvent,
  pull_request_review_thread: mapReviewThreadEvent,
  issue_comment: mapIssueCommentEvent,
  pull_request: mapPullRequestEvent,
  check_suite: mapCheckSuiteEvent,
} satisfies Record<string, EventMapper>;

export type RecordedEvent = keyof typeof EVENT_MAPPERS;
export const RECORDED_EVENTS = Object.keys(EVENT_MAPPERS) as RecordedEvent[];
