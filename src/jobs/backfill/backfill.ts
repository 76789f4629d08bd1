import { z } from "zod";
import type { GitHubApi } from "../../github/api.js";
import {
  BLOB_BATCH_SIZE,
  GqlBlobBatchSchema,
  GqlPullBatchSchema,
  GqlPullMoreSchema,
  PULL_BATCH_SIZE,
  PULL_MORE_QUERY,
  blobBatchQuery,
  pullBatchQuery,
  type GqlPull,
} from "../../github/queries.js";
import {
  mapGqlReviews,
  mapGqlThreads,
  mapListedIssueComment,
  mapListedPull,
  mapListedReviewComment,
  type RepoRef,
} from "../../ingest/from-backfill.js";
import { describeIssues, type MapResult, type MapperEnv } from "../../ingest/to-signal.js";
import type { ActorClassifier } from "../../signals/actor.js";
import { deriveCorrection } from "../../signals/corrections.js";
import { computeOutcome, markReverts } from "../../signals/outcomes.js";
import type {
  CheckSuiteSignal,
  PullOutcomeSignal,
  PullRequestSignal,
  ReviewCommentSignal,
  ReviewSignal,
  Signal,
} from "../../signals/signal.js";
import type { Clock } from "../../shared/clock.js";
import type { Log } from "../../shared/logger.js";
import type { SignalOp, SignalStore } from "../../store/store.js";

/**
 * History backfill for one repository, with as few API calls as GitHub
 * allows:
 *   1. pulls           GET /repos/{o}/{r}/pulls?state=all&sort=updated, 100 per page, until older than `since`
 *   2. comments        GET /repos/{o}/{r}/pulls/comments?since=, 100 per page (every inline comment, repo-wide)
 *   3. issue_comments  GET /repos/{o}/{r}/issues/comments?since=, 100 per page (PR conversation comments)
 *   4. details         GraphQL, 50 PRs per query: reviews, threads (resolved, by whom), commits, CI;
 *                      then GraphQL blobs, 50 files per query: the commented files at each PR's head,
 *                      to find what became of the commented lines (correction signals)
 *   5. outcomes        pure: preference and outcome per PR, reverts across PRs
 * Never one REST call per PR. Every page is committed together with the
 * cursor that follows it, so a crash or a rate-limit pause resumes without
 * refetching a finished page, and a page seen twice changes nothing.
 */

export const BACKFILL_PHASES = ["pulls", "comments", "issue_comments", "details", "outcomes", "done"] as const;
export type BackfillPhase = (typeof BACKFILL_PHASES)[number];

const CursorSchema = z.object({
  v: z.literal(1),
  runId: z.string(),
  since: z.string(),
  phase: z.enum(BACKFILL_PHASES),
  page: z.number().int().positive(),
  /** details: the PRs to detail, fixed when the phase starts, and how many are done. */
  pulls: z.array(z.number().int()),
  index: z.number().int().nonnegative(),
  repoId: z.number().int(),
  installationId: z.number().int().nullable(),
  requests: z.number().int().nonnegative(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type BackfillCursor = z.infer<typeof CursorSchema>;

export const cursorName = (repo: string): string => `backfill:${repo.toLowerCase()}`;

export interface BackfillTarget {
  owner: string;
  repo: string;
  installationId: number | null;
  /** Fetch activity updated at or after this time. */
  since: Date;
}

export interface BackfillProgress {
  repo: string;
  phase: BackfillPhase;
  /** Pages (or batches) done in this phase, and the total when known. */
  done: number;
  total: number | null;
  requests: number;
  elapsedMs: number;
  /** Remaining time, when it can be estimated. */
  etaMs: number | null;
}

export interface BackfillSummary {
  repo: string;
  resumed: boolean;
  pulls: number;
  comments: number;
  conversationComments: number;
  reviews: number;
  threads: number;
  corrections: number;
  addressed: number;
  outcomes: number;
  skipped: number;
  requests: number;
  requestsPer1000Comments: number | null;
  elapsedMs: number;
}

export interface BackfillDeps {
  api: GitHubApi;
  store: SignalStore;
  clock: Clock;
  classifier: ActorClassifier;
  log: Log;
  onProgress?: (p: BackfillProgress) => void;
}

const PER_PAGE = 100;
/** Files larger than this are not fetched to locate corrected lines. */
const MAX_BLOB_BYTES = 512 * 1024;

const lastPage = (link: string | number | undefined): number | null => {
  if (typeof link !== "string") return null;
  const m = /<[^>]*[?&]page=(\d+)[^>]*>;\s*rel="last"/.exec(link);
  return m?.[1] === undefined ? null : Number(m[1]);
};

export const runBackfill = async (deps: BackfillDeps, target: BackfillTarget): Promise<BackfillSummary> => {
  const full = `${target.owner}/${target.repo}`;
  const started = deps.clock();
  const startRequests = deps.api.requests();
  const sinceIso = target.since.toISOString();
  const saved = await loadCursor(deps.store, full);
  const resumed = saved !== null && saved.phase !== "done" && saved.since === sinceIso;
  const summary: BackfillSummary = {
    repo: full,
    resumed,
    pulls: 0,
    comments: 0,
    conversationComments: 0,
    reviews: 0,
    threads: 0,
    corrections: 0,
    addressed: 0,
    outcomes: 0,
    skipped: 0,
    requests: 0,
    requestsPer1000Comments: null,
    elapsedMs: 0,
  };
  let cursor: BackfillCursor;
  if (resumed) {
    cursor = saved;
    deps.log.info({ repo: full, phase: cursor.phase, page: cursor.page, index: cursor.index }, "resuming backfill");
  } else {
    const repoId = await fetchRepoId(deps.api, target);
    cursor = {
      v: 1,
      runId: started.toISOString(),
      since: sinceIso,
      phase: "pulls",
      page: 1,
      pulls: [],
      index: 0,
      repoId,
      installationId: target.installationId,
      requests: 0,
      startedAt: started.toISOString(),
      finishedAt: null,
    };
  }
  const repository: RepoRef = { id: cursor.repoId, full_name: full };
  const baseRequests = cursor.requests;
  const spent = (): number => baseRequests + deps.api.requests() - startRequests;
  const env = (step: string): MapperEnv => ({
    deliveryId: `backfill:${cursor.runId}:${full}:${step}`,
    receivedAt: deps.clock().toISOString(),
    classifier: deps.classifier,
  });
  const progress = (done: number, total: number | null): void => {
    const elapsedMs = deps.clock().getTime() - started.getTime();
    const etaMs = total !== null && done > 0 ? Math.round((elapsedMs / done) * Math.max(0, total - done)) : null;
    deps.onProgress?.({ repo: full, phase: cursor.phase, done, total, requests: spent(), elapsedMs, etaMs });
  };
  const commit = async (step: string, ops: SignalOp[], next: BackfillCursor): Promise<void> => {
    next.requests = spent();
    const tx = { deliveryId: env(step).deliveryId, receivedAt: deps.clock().toISOString(), ops: [...ops, cursorOp(full, next)] };
    await deps.store.commit(tx);
    cursor = next;
  };
  const collect = (results: MapResult[], ops: SignalOp[]): void => {
    for (const r of results) {
      if (r.status === "ops") ops.push(...r.ops);
      else if (r.status === "invalid") {
        summary.skipped += 1;
        deps.log.warn({ repo: full, reason: r.reason }, "backfill item skipped");
      }
    }
  };

  try {
    await runPhases();
  } catch (error) {
    // Keep the count of requests spent, so the resumed run reports the true total.
    await deps.store.commit({ deliveryId: `${env("failed").deliveryId}:${String(spent())}`, receivedAt: deps.clock().toISOString(), ops: [cursorOp(full, { ...cursor, requests: spent() })] }).catch(() => undefined);
    throw error;
  }
  summary.requests = spent();
  summary.elapsedMs = deps.clock().getTime() - started.getTime();
  const comments = summary.comments + summary.conversationComments;
  summary.requestsPer1000Comments = comments === 0 ? null : Math.round((summary.requests / comments) * 1000 * 10) / 10;
  return summary;

  async function runPhases(): Promise<void> {
  // 1-3: repo-wide listings, one page per transaction.
  const listings: { phase: "pulls" | "comments" | "issue_comments"; route: string; params: Record<string, string | number> }[] = [
    { phase: "pulls", route: "GET /repos/{owner}/{repo}/pulls", params: { state: "all", sort: "updated", direction: "desc" } },
    { phase: "comments", route: "GET /repos/{owner}/{repo}/pulls/comments", params: { sort: "created", direction: "asc", since: sinceIso } },
    { phase: "issue_comments", route: "GET /repos/{owner}/{repo}/issues/comments", params: { sort: "created", direction: "asc", since: sinceIso } },
  ];
  for (const listing of listings) {
    if (BACKFILL_PHASES.indexOf(cursor.phase) > BACKFILL_PHASES.indexOf(listing.phase)) continue;
    const pullAuthors = await pullAuthorsOf(deps.store, full);
    let total: number | null = null;
    for (;;) {
      const page = cursor.page;
      const res = await deps.api.get(listing.route, { owner: target.owner, repo: target.repo, per_page: PER_PAGE, page, ...listing.params });
      total = lastPage(res.headers.link) ?? total ?? (page === 1 ? 1 : null);
      const items = Array.isArray(res.data) ? (res.data as unknown[]) : [];
      const ops: SignalOp[] = [];
      const isFresh = (it: unknown): boolean => {
        const updated = (it as { updated_at?: unknown }).updated_at;
        return typeof updated !== "string" || updated >= sinceIso;
      };
      // PRs come newest-updated first: one older than the window ends the listing.
      const reachedSince = listing.phase === "pulls" && !items.every(isFresh);
      const e = env(`${listing.phase}:${String(page)}`);
      if (listing.phase === "pulls") {
        const fresh = items.filter(isFresh);
        collect(fresh.map((it) => mapListedPull(it, repository, target.installationId, e)), ops);
        summary.pulls += ops.length;
      } else if (listing.phase === "comments") {
        collect(items.map((it) => mapListedReviewComment(it, repository, target.installationId, pullAuthors, e)), ops);
        summary.comments += ops.length;
      } else {
        collect(items.map((it) => mapListedIssueComment(it, repository, target.installationId, pullAuthors, e)), ops);
        summary.conversationComments += ops.length;
      }
      // GitHub's Link header says whether a next page exists; a full page without one is the last.
      const link = typeof res.headers.link === "string" ? res.headers.link : "";
      const more = items.length === PER_PAGE && !reachedSince && (link === "" || /rel="next"/.test(link));
      const next: BackfillCursor = more
        ? { ...cursor, page: page + 1 }
        : { ...cursor, phase: BACKFILL_PHASES[BACKFILL_PHASES.indexOf(listing.phase) + 1] ?? "done", page: 1 };
      await commit(`${listing.phase}:${String(page)}`, ops, next);
      progress(page, total);
      if (!more) break;
    }
  }

  // 4: per-PR details in GraphQL batches.
  if (cursor.phase === "details") {
    if (cursor.index === 0 && cursor.pulls.length === 0) {
      const pulls = await pullsToDetail(deps.store, full, sinceIso);
      await commit("details:plan", [], { ...cursor, pulls });
    }
    const total = Math.ceil(cursor.pulls.length / PULL_BATCH_SIZE);
    while (cursor.index < cursor.pulls.length) {
      const numbers = cursor.pulls.slice(cursor.index, cursor.index + PULL_BATCH_SIZE);
      const step = `details:${String(cursor.index)}`;
      const ops = await detailBatch(deps, target, repository, numbers, env(step), summary);
      const index = cursor.index + numbers.length;
      const next: BackfillCursor = index >= cursor.pulls.length ? { ...cursor, index, phase: "outcomes" } : { ...cursor, index };
      await commit(step, ops, next);
      progress(Math.ceil(index / PULL_BATCH_SIZE), total);
    }
    if (cursor.pulls.length === 0) await commit("details:none", [], { ...cursor, phase: "outcomes" });
  }

  // 5: reverts across PRs (pure, from the store).
  if (cursor.phase === "outcomes") {
    const ops = await revertOps(deps.store, full);
    summary.outcomes = (await deps.store.list({ repo: full, kind: "pr_outcome" })).length;
    await commit("outcomes", ops, { ...cursor, phase: "done", finishedAt: deps.clock().toISOString() });
  }
  }
};

/**
 * Corrections and outcomes for a few PRs recorded by webhooks (a PR just
 * closed): one GraphQL query for their details and one per 50 commented
 * files, then reverts across the repo. No listing, no cursor.
 */
export const refreshPulls = async (deps: BackfillDeps, target: Omit<BackfillTarget, "since">, numbers: readonly number[]): Promise<number> => {
  const full = `${target.owner}/${target.repo}`;
  const pr = (await deps.store.list({ repo: full, kind: "pull_request" })).find((s) => numbers.includes(s.pullNumber));
  if (pr === undefined) return 0;
  const repository: RepoRef = { id: pr.repoId, full_name: full };
  const now = deps.clock().toISOString();
  const env: MapperEnv = { deliveryId: `refresh:${full}:${numbers.join(",")}:${now}`, receivedAt: now, classifier: deps.classifier };
  const summary: DetailCounts = { corrections: 0, addressed: 0, reviews: 0, threads: 0 };
  const ops: SignalOp[] = [];
  for (let i = 0; i < numbers.length; i += PULL_BATCH_SIZE) {
    ops.push(...(await detailBatch(deps, { ...target, since: new Date(0) }, repository, numbers.slice(i, i + PULL_BATCH_SIZE), env, summary)));
  }
  if (ops.length > 0) await deps.store.commit({ deliveryId: env.deliveryId, receivedAt: now, ops });
  const reverts = await revertOps(deps.store, full);
  if (reverts.length > 0) await deps.store.commit({ deliveryId: `${env.deliveryId}:reverts`, receivedAt: now, ops: reverts });
  return ops.length;
};

const cursorOp = (repo: string, cursor: BackfillCursor): SignalOp => ({
  op: "cursor",
  name: cursorName(repo),
  value: JSON.stringify(cursor),
});

export const loadCursor = async (store: SignalStore, repo: string): Promise<BackfillCursor | null> => {
  const raw = await store.getCursor(cursorName(repo));
  if (raw === null) return null;
  try {
    const parsed = CursorSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
};

const RepoSchema = z.object({ id: z.number().int() });

const fetchRepoId = async (api: GitHubApi, target: BackfillTarget): Promise<number> => {
  const res = await api.get("GET /repos/{owner}/{repo}", { owner: target.owner, repo: target.repo });
  const parsed = RepoSchema.safeParse(res.data);
  if (!parsed.success) throw new Error(`unexpected repository response: ${describeIssues(parsed.error)}`);
  return parsed.data.id;
};

const pullAuthorsOf = async (store: SignalStore, repo: string): Promise<Map<number, string>> => {
  const map = new Map<number, string>();
  for (const s of await store.list({ repo, kind: "pull_request" })) if (s.kind === "pull_request") map.set(s.pullNumber, s.author.login);
  return map;
};

/** PRs updated in the window, plus older PRs that got review comments in it. */
const pullsToDetail = async (store: SignalStore, repo: string, sinceIso: string): Promise<number[]> => {
  const numbers = new Set<number>();
  for (const s of await store.list({ repo, kind: "pull_request" })) if (s.kind === "pull_request" && s.updatedAt >= sinceIso) numbers.add(s.pullNumber);
  for (const s of await store.list({ repo, kind: "review_comment" })) if (s.kind === "review_comment" && s.updatedAt >= sinceIso) numbers.add(s.pullNumber);
  return [...numbers].sort((a, b) => a - b);
};

/** What the details phase counts. */
type DetailCounts = Pick<BackfillSummary, "reviews" | "threads" | "corrections" | "addressed">;

const detailBatch = async (
  deps: BackfillDeps,
  target: BackfillTarget,
  repository: RepoRef,
  numbers: readonly number[],
  env: MapperEnv,
  summary: DetailCounts,
): Promise<SignalOp[]> => {
  const raw = await deps.api.graphql(pullBatchQuery(numbers), { owner: target.owner, name: target.repo });
  const parsed = GqlPullBatchSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`unexpected GraphQL response for PRs ${numbers.join(",")}: ${describeIssues(parsed.error)}`);
  const pulls = Object.values(parsed.data.repository).filter((p): p is GqlPull => p !== null);
  for (const pull of pulls) await fetchRemainingPages(deps.api, target, pull);
  const repo = repository.full_name;
  const stored = await deps.store.list({ repo });
  const byPull = new Map<number, Signal[]>();
  for (const s of stored) {
    if (!numbers.includes(s.pullNumber)) continue;
    const list = byPull.get(s.pullNumber) ?? [];
    list.push(s);
    byPull.set(s.pullNumber, list);
  }
  const ops: SignalOp[] = [];
  const upsert = (signal: Signal): void => {
    ops.push({ op: "upsert", signal });
  };
  // Files at head for outdated thread-root comments by humans.
  const wanted = new Map<string, { pull: GqlPull; path: string }>();
  const roots = new Map<number, ReviewCommentSignal[]>();
  for (const pull of pulls) {
    const rootsHere = (byPull.get(pull.number) ?? []).filter(
      (s): s is ReviewCommentSignal => s.kind === "review_comment" && s.inReplyToId === null && s.author.kind === "human",
    );
    roots.set(pull.number, rootsHere);
    for (const c of rootsHere) if (c.position === null && c.line === null) wanted.set(`${pull.headRefOid}:${c.path}`, { pull, path: c.path });
  }
  const files = await fetchBlobs(deps.api, target, [...wanted.keys()]);
  for (const pull of pulls) {
    const signals = byPull.get(pull.number) ?? [];
    const pr = signals.find((s): s is PullRequestSignal => s.kind === "pull_request");
    const ctx = {
      repo: repository,
      installationId: target.installationId,
      pullAuthor: pr?.author.login ?? null,
      classifier: deps.classifier,
      deliveryId: env.deliveryId,
      receivedAt: env.receivedAt,
    };
    const reviews = mapGqlReviews(pull, ctx);
    const threads = mapGqlThreads(pull, ctx);
    reviews.forEach(upsert);
    threads.forEach(upsert);
    summary.reviews += reviews.length;
    summary.threads += threads.length;
    const commits = pull.commits.nodes.map((n) => ({ sha: n.commit.oid, committedAt: new Date(n.commit.committedDate).toISOString(), message: n.commit.message }));
    for (const comment of roots.get(pull.number) ?? []) {
      const key = `${pull.headRefOid}:${comment.path}`;
      const correction = deriveCorrection({
        comment,
        fileAtHead: files.has(key) ? files.get(key) : undefined,
        headSha: pull.headRefOid,
        commits,
        thread: threads.find((t) => t.commentIds.includes(comment.id)),
        deliveryId: env.deliveryId,
        receivedAt: env.receivedAt,
      });
      upsert(correction);
      summary.corrections += 1;
      if (correction.status === "addressed") summary.addressed += 1;
    }
    if (pr !== undefined) {
      const storedReviews = signals.filter((s): s is ReviewSignal => s.kind === "review");
      const allReviews = new Map<string, ReviewSignal>();
      for (const r of [...storedReviews, ...reviews]) allReviews.set(r.key, r);
      const last = pull.commits.nodes[pull.commits.nodes.length - 1];
      upsert(
        computeOutcome({
          pr,
          reviews: [...allReviews.values()],
          checkSuites: signals.filter((s): s is CheckSuiteSignal => s.kind === "check_suite"),
          rollupState: last?.commit.oid === pr.headSha ? (last.commit.statusCheckRollup?.state ?? null) : null,
          commitMessages: commits.map((k) => k.message),
          deliveryId: env.deliveryId,
          receivedAt: env.receivedAt,
        }),
      );
    }
  }
  return ops;
};

/**
 * A PR with more than 100 reviews or threads: follow the cursors, one query
 * per further page of either (rare; one extra request per 100).
 */
const fetchRemainingPages = async (api: GitHubApi, target: BackfillTarget, pull: GqlPull): Promise<void> => {
  for (let guard = 0; guard < 100 && (pull.reviews.pageInfo.hasNextPage || pull.reviewThreads.pageInfo.hasNextPage); guard++) {
    const withReviews = pull.reviews.pageInfo.hasNextPage;
    const withThreads = pull.reviewThreads.pageInfo.hasNextPage;
    const raw = await api.graphql(PULL_MORE_QUERY, {
      owner: target.owner,
      name: target.repo,
      number: pull.number,
      reviewsAfter: withReviews ? pull.reviews.pageInfo.endCursor : null,
      threadsAfter: withThreads ? pull.reviewThreads.pageInfo.endCursor : null,
      withReviews,
      withThreads,
    });
    const parsed = GqlPullMoreSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`unexpected GraphQL response for more of PR ${String(pull.number)}: ${describeIssues(parsed.error)}`);
    const more = parsed.data.repository.pullRequest;
    if (more === null) return;
    if (withReviews && more.reviews !== undefined) pull.reviews = { ...more.reviews, nodes: [...pull.reviews.nodes, ...more.reviews.nodes] };
    else pull.reviews.pageInfo.hasNextPage = false;
    if (withThreads && more.reviewThreads !== undefined) pull.reviewThreads = { ...more.reviewThreads, nodes: [...pull.reviewThreads.nodes, ...more.reviewThreads.nodes] };
    else pull.reviewThreads.pageInfo.hasNextPage = false;
  }
};

/** `sha:path` → file text, null when the path does not exist there; absent when not fetched (binary, too big). */
const fetchBlobs = async (api: GitHubApi, target: BackfillTarget, expressions: readonly string[]): Promise<Map<string, string | null>> => {
  const out = new Map<string, string | null>();
  for (let i = 0; i < expressions.length; i += BLOB_BATCH_SIZE) {
    const batch = expressions.slice(i, i + BLOB_BATCH_SIZE);
    const raw = await api.graphql(blobBatchQuery(batch), { owner: target.owner, name: target.repo });
    const parsed = GqlBlobBatchSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`unexpected GraphQL blob response: ${describeIssues(parsed.error)}`);
    batch.forEach((expr, k) => {
      const blob = parsed.data.repository[`f${String(k)}`];
      if (blob === undefined) return;
      if (blob === null) {
        out.set(expr, null);
        return;
      }
      if (blob.isBinary === true || blob.isTruncated === true || (blob.byteSize ?? 0) > MAX_BLOB_BYTES || typeof blob.text !== "string") return;
      out.set(expr, blob.text);
    });
  }
  return out;
};

const revertOps = async (store: SignalStore, repo: string): Promise<SignalOp[]> => {
  const outcomes = (await store.list({ repo, kind: "pr_outcome" })).filter((s): s is PullOutcomeSignal => s.kind === "pr_outcome");
  const pulls = new Map<number, PullRequestSignal>();
  for (const s of await store.list({ repo, kind: "pull_request" })) if (s.kind === "pull_request") pulls.set(s.pullNumber, s);
  const marked = markReverts(outcomes, pulls);
  return marked.filter((o, i) => o !== outcomes[i]).map((signal) => ({ op: "upsert", signal }));
};

