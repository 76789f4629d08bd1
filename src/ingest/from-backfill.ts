import { toActor, type ActorClassifier } from "../signals/actor.js";
import { signalKey, type ReviewSignal, type ReviewThreadSignal } from "../signals/signal.js";
import type { GqlPull } from "../github/queries.js";
import {
  mapIssueCommentEvent,
  mapRestPullRequest,
  mapReviewCommentEvent,
  truncateBody,
  type MapResult,
  type MapperEnv,
} from "./to-signal.js";

/**
 * Pure mappers for backfill responses. REST listings reuse the webhook
 * mappers (GitHub's REST and webhook objects share their shape), so a comment
 * seen both ways becomes the very same signal and counts once.
 */

export interface RepoRef {
  id: number;
  full_name: string;
}

const numberFromUrl = (url: unknown, segment: "pulls" | "issues" | "pull"): number | null => {
  if (typeof url !== "string") return null;
  const m = new RegExp(`/${segment}/(\\d+)(?:[/#?]|$)`).exec(url);
  return m?.[1] === undefined ? null : Number(m[1]);
};

const obj = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {});

/** The parts of a webhook payload that a REST listing item lacks. */
const envelope = (repository: RepoRef, installationId: number | null): { repository: RepoRef; installation: { id: number } | null } => ({
  repository,
  installation: installationId === null ? null : { id: installationId },
});

const pullUser = (pullAuthors: ReadonlyMap<number, string>, number: number): { login: string } | null => {
  const login = pullAuthors.get(number);
  return login === undefined ? null : { login };
};

export const mapListedPull = (item: unknown, repository: RepoRef, installationId: number | null, env: MapperEnv): MapResult =>
  mapRestPullRequest({ pull_request: item, ...envelope(repository, installationId) }, env);

/** `GET /repos/{o}/{r}/pulls/comments` item → review_comment signal. */
export const mapListedReviewComment = (
  item: unknown,
  repository: RepoRef,
  installationId: number | null,
  pullAuthors: ReadonlyMap<number, string>,
  env: MapperEnv,
): MapResult => {
  const number = numberFromUrl(obj(item).pull_request_url, "pulls");
  if (number === null) return { status: "invalid", reason: "pull_request_url: no pull request number" };
  return mapReviewCommentEvent(
    { action: "created", comment: item, pull_request: { number, user: pullUser(pullAuthors, number) }, ...envelope(repository, installationId) },
    env,
  );
};

/** `GET /repos/{o}/{r}/issues/comments` item → conversation_comment signal (PRs only). */
export const mapListedIssueComment = (
  item: unknown,
  repository: RepoRef,
  installationId: number | null,
  pullAuthors: ReadonlyMap<number, string>,
  env: MapperEnv,
): MapResult => {
  const number = numberFromUrl(obj(item).html_url, "pull");
  if (number === null) return { status: "ignored", reason: "comment on an issue, not a pull request" };
  return mapIssueCommentEvent(
    {
      action: "created",
      issue: { number, user: pullUser(pullAuthors, number), pull_request: { url: "" } },
      comment: item,
      ...envelope(repository, installationId),
    },
    env,
  );
};

/** GraphQL actors: a Bot's login lacks the "[bot]" suffix REST and webhooks use. */
const gqlUser = (a: { login: string; __typename?: string | undefined } | null): { login: string; type: string } => {
  if (a === null) return { login: "ghost", type: "User" };
  const isBot = a.__typename === "Bot";
  return { login: isBot && !a.login.endsWith("[bot]") ? `${a.login}[bot]` : a.login, type: isBot ? "Bot" : "User" };
};

const REVIEW_STATES: Record<string, ReviewSignal["state"]> = {
  APPROVED: "approved",
  CHANGES_REQUESTED: "changes_requested",
  COMMENTED: "commented",
  DISMISSED: "dismissed",
  PENDING: "pending",
};

export interface PullContext {
  repo: RepoRef;
  installationId: number | null;
  pullAuthor: string | null;
  classifier: ActorClassifier;
  deliveryId: string;
  receivedAt: string;
}

export const mapGqlReviews = (pull: GqlPull, ctx: PullContext): ReviewSignal[] =>
  pull.reviews.nodes.flatMap((r): ReviewSignal[] => {
    const state = REVIEW_STATES[r.state];
    if (r.databaseId === null || state === undefined || state === "pending") return [];
    const body = truncateBody(r.body);
    const dismissed = state === "dismissed";
    return [
      {
        kind: "review",
        key: signalKey("review", r.databaseId),
        repo: ctx.repo.full_name,
        repoId: ctx.repo.id,
        installationId: ctx.installationId,
        pullNumber: pull.number,
        deliveryId: ctx.deliveryId,
        receivedAt: ctx.receivedAt,
        id: r.databaseId,
        nodeId: null,
        state,
        // A review dismissed before we saw it: its submitted state is lost.
        submittedState: dismissed ? null : state,
        dismissed,
        body: body.text,
        reviewer: toActor(gqlUser(r.author), ctx.classifier),
        authorAssociation: r.authorAssociation,
        commitId: r.commit?.oid ?? null,
        submittedAt: r.submittedAt === null ? null : new Date(r.submittedAt).toISOString(),
        pullAuthor: ctx.pullAuthor,
        htmlUrl: r.url,
        truncated: { body: body.truncated, diffHunk: false },
      },
    ];
  });

export const mapGqlThreads = (pull: GqlPull, ctx: PullContext): ReviewThreadSignal[] =>
  pull.reviewThreads.nodes.map((t) => ({
    kind: "review_thread",
    key: signalKey("review_thread", t.id),
    repo: ctx.repo.full_name,
    repoId: ctx.repo.id,
    installationId: ctx.installationId,
    pullNumber: pull.number,
    deliveryId: ctx.deliveryId,
    receivedAt: ctx.receivedAt,
    nodeId: t.id,
    resolved: t.isResolved,
    resolvedBy: t.isResolved && t.resolvedBy !== null ? toActor({ login: t.resolvedBy.login, type: "User" }, ctx.classifier) : null,
    commentIds: t.comments.nodes.flatMap((c) => (c.databaseId === null ? [] : [c.databaseId])).sort((a, b) => a - b),
    path: t.path,
    line: t.line ?? t.originalLine,
    // GraphQL gives the state, not when it changed: no event is invented.
    events: [],
  }));
