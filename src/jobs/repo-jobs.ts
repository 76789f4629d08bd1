import { loadRepoConfig, type ConfigReader, type ConfigResult } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { createGitHubApi } from "../github/api.js";
import { ensureReviewCommentReaction } from "../publish/ensure-reaction.js";
import type { ActorClassifier } from "../signals/actor.js";
import { forgetThreadOps, purgeOps, type RepoPolicy } from "../signals/governance.js";
import type { ReviewCommentSignal } from "../signals/signal.js";
import { DAY_MS, type Clock } from "../shared/clock.js";
import type { Log } from "../shared/logger.js";
import { isOptedOut, optedOutState } from "../store/state.js";
import type { SignalOp, SignalStore } from "../store/store.js";
import { loadCursor, refreshPulls, runBackfill, type BackfillCursor, type BackfillProgress, type BackfillSummary } from "./backfill/backfill.js";

import type { OctokitLike } from "../github/api.js";

export interface RepoJobDeps {
  store: SignalStore;
  clock: Clock;
  classifier: ActorClassifier;
  log: Log;
}

export interface RepoRef {
  owner: string;
  repo: string;
  installationId: number | null;
}


/** Probot's config plugin, so org defaults (the org's .github repo) and `_extends` apply here too. */
export const configReaderFor = (octokit: OctokitLike, owner: string, repo: string): ConfigReader => ({
  config: async (fileName) => {
    const { config, files } = await octokit.config.get({ owner, repo, path: `.github/${fileName}` });
    return files.some((f) => f.config !== null) ? config : null;
  },
});

/**
 * Apply a repo's opt-out and retention period to what is stored (the pure
 * selection is governance.ts's purgeOps), and remember the opt-out in the
 * same commit, so the repo's webhooks are not stored from then on (and are
 * again once its config says `harvest: true`). Returns how many signals went.
 */
export const applyRepoPolicy = async (deps: Pick<RepoJobDeps, "store" | "clock">, repo: string, policy: RepoPolicy, installationId: number | null = null): Promise<number> => {
  const now = deps.clock();
  const ops: SignalOp[] = purgeOps(await deps.store.list({ repo }), repo, policy, now);
  const optedOut = await isOptedOut(deps.store, repo);
  if (!policy.harvest && !optedOut) ops.push({ op: "cursor", name: `state:${optedOutState(repo)}`, value: JSON.stringify({ repo, installationId, at: now.toISOString() }) });
  if (policy.harvest && optedOut) ops.push({ op: "cursor", name: `state:${optedOutState(repo)}`, value: null });
  if (ops.length > 0) await deps.store.commit({ deliveryId: `governance:${repo}:${now.toISOString()}:${String(ops.length)}`, receivedAt: now.toISOString(), ops });
  return ops.filter((op) => op.op === "delete").length;
};

/** Where a backfill's window starts, and why there. */
export type BackfillWindow = {
  since: Date;
  /**
   * backfillDays: the config's window; requested: the caller's (the CLI's
   * --since or --days); retentionDays: cut to the retention period, since
   * older signals would be deleted at once; resumed: an interrupted run's.
   */
  from: "backfillDays" | "requested" | "retentionDays" | "resumed";
};

export type BackfillOutcome =
  | { status: "done"; summary: BackfillSummary; window: BackfillWindow; purged: number }
  | { status: "opted-out"; purged: number }
  | { status: "invalid-config"; config: Extract<ConfigResult, { ok: false }> };

export interface BackfillOptions {
  /**
   * Start here instead of the config's backfillDays (still cut to the
   * retention period). An interrupted run whose window covers it resumes.
   */
  since?: Date;
  onProgress?: (p: BackfillProgress) => void;
}

/** The repo's `.github/review-reviewer.yml` (org defaults and `_extends` applied), as every job reads it. */
export const readRepoConfig = (octokit: OctokitLike, target: Pick<RepoRef, "owner" | "repo">): Promise<ConfigResult> =>
  loadRepoConfig(configReaderFor(octokit, target.owner, target.repo));

/** The window a backfill reads: an interrupted run's, else the requested one or the config's, never past the retention period. */
const backfillWindow = (now: Date, config: Config, saved: BackfillCursor | null, requested: Date | undefined): BackfillWindow => {
  // An interrupted run resumes with its own window, when it covers the requested one (`--days N` asks a little later each time).
  if (saved !== null && saved.phase !== "done" && (requested === undefined || Date.parse(saved.since) <= requested.getTime())) {
    return { since: new Date(saved.since), from: "resumed" };
  }
  let window: BackfillWindow = requested === undefined ? { since: new Date(now.getTime() - config.backfillDays * DAY_MS), from: "backfillDays" } : { since: requested, from: "requested" };
  if (config.retentionDays > 0) {
    const kept = new Date(now.getTime() - config.retentionDays * DAY_MS);
    if (kept > window.since) window = { since: kept, from: "retentionDays" };
  }
  return window;
};

/**
 * A backfill under a valid config: the opt-out deletes the repo's stored
 * signals and stops; otherwise the retention period is applied, the window
 * backfilled (resuming an interrupted run where it stopped), and the
 * retention period applied again to what the backfill stored.
 */
export const backfillWithConfig = async (
  deps: RepoJobDeps,
  octokit: OctokitLike,
  target: RepoRef,
  config: Config,
  options: BackfillOptions = {},
): Promise<Exclude<BackfillOutcome, { status: "invalid-config" }>> => {
  const full = `${target.owner}/${target.repo}`;
  let purged = await applyRepoPolicy(deps, full, config, target.installationId);
  if (!config.harvest) return { status: "opted-out", purged };
  const window = backfillWindow(deps.clock(), config, await loadCursor(deps.store, full), options.since);
  const summary = await runBackfill(
    {
      api: createGitHubApi(octokit),
      store: deps.store,
      clock: deps.clock,
      classifier: deps.classifier,
      log: deps.log,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    },
    { owner: target.owner, repo: target.repo, installationId: target.installationId, since: window.since },
  );
  // A resumed or requested window may reach past the retention period; nothing older is kept.
  purged += await applyRepoPolicy(deps, full, config, target.installationId);
  deps.log.info({ repo: full, requests: summary.requests, comments: summary.comments, corrections: summary.corrections, purged }, "backfill done");
  return { status: "done", summary, window, purged };
};

/**
 * The repo's history backfill as a background job (and the CLI's
 * `backfill`): read its config (an invalid one stops the job, it is never
 * replaced by defaults), then backfillWithConfig.
 */
export const backfillRepo = async (deps: RepoJobDeps, octokit: OctokitLike, target: RepoRef, options: BackfillOptions = {}): Promise<BackfillOutcome> => {
  const config = await readRepoConfig(octokit, target);
  if (!config.ok) {
    deps.log.warn({ repo: `${target.owner}/${target.repo}`, issues: config.issues }, "invalid configuration: backfill skipped");
    return { status: "invalid-config", config };
  }
  return backfillWithConfig(deps, octokit, target, config.config, options);
};

const WRITE_PERMISSIONS = new Set(["admin", "write", "maintain"]);

/** Whether a user may run the app's commands on a repository (write access or more). */
export const hasWriteAccess = async (octokit: OctokitLike, owner: string, repo: string, username: string): Promise<boolean> => {
  const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner, repo, username });
  return WRITE_PERMISSIONS.has(data.permission) || WRITE_PERMISSIONS.has(data.role_name);
};

/**
 * `/review-reviewer forget` in a review thread: a user with write access
 * removes the thread's signals, acknowledged with a 👍; anyone else gets 😕
 * and nothing is removed.
 */
export const processForget = async (
  deps: RepoJobDeps,
  octokit: OctokitLike,
  command: ReviewCommentSignal,
): Promise<"forgotten" | "refused"> => {
  const [owner = "", repo = ""] = command.repo.split("/");
  const allowed = await hasWriteAccess(octokit, owner, repo, command.author.login);
  const target = { owner, repo, commentId: command.id };
  if (!allowed) {
    await ensureReviewCommentReaction(octokit, target, "confused", false);
    deps.log.info({ repo: command.repo, commentId: command.id }, "forget refused: no write access");
    return "refused";
  }
  const root = command.inReplyToId ?? command.id;
  const now = deps.clock();
  const ops = forgetThreadOps(await deps.store.list({ repo: command.repo }), command.repo, root, now);
  await deps.store.commit({ deliveryId: `forget:${String(command.id)}`, receivedAt: now.toISOString(), ops });
  await ensureReviewCommentReaction(octokit, target, "+1", false);
  deps.log.info({ repo: command.repo, thread: root, removed: ops.length }, "thread forgotten");
  return "forgotten";
};

/**
 * A PR just closed: derive its corrections and outcome, unless the repo opted
 * out (then purge) or its config is invalid (then nothing).
 */
export const refreshClosedPull = async (deps: RepoJobDeps, octokit: OctokitLike, target: RepoRef, number: number): Promise<"refreshed" | "opted-out" | "invalid-config"> => {
  const config = await readRepoConfig(octokit, target);
  if (!config.ok) return "invalid-config";
  if (!config.config.harvest) {
    await applyRepoPolicy(deps, `${target.owner}/${target.repo}`, config.config, target.installationId);
    return "opted-out";
  }
  await refreshPulls({ api: createGitHubApi(octokit), ...deps }, target, [number]);
  return "refreshed";
};
