import { loadRepoConfig, type ConfigReader, type ConfigResult } from "../config/load.js";
import { createGitHubApi } from "../github/api.js";
import { ensureReviewCommentReaction } from "../publish/ensure-reaction.js";
import type { ActorClassifier } from "../signals/actor.js";
import { forgetThreadOps, purgeOps, type RepoPolicy } from "../signals/governance.js";
import type { ReviewCommentSignal } from "../signals/signal.js";
import { DAY_MS, type Clock } from "../shared/clock.js";
import type { Log } from "../shared/logger.js";
import type { SignalStore } from "../store/store.js";
import { loadCursor, refreshPulls, runBackfill, type BackfillSummary } from "./backfill/backfill.js";

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
 * selection is governance.ts's purgeOps). Returns how many signals went.
 */
export const applyRepoPolicy = async (deps: Pick<RepoJobDeps, "store" | "clock">, repo: string, policy: RepoPolicy): Promise<number> => {
  const now = deps.clock();
  const ops = purgeOps(await deps.store.list({ repo }), repo, policy, now);
  if (ops.length > 0) await deps.store.commit({ deliveryId: `governance:${repo}:${now.toISOString()}`, receivedAt: now.toISOString(), ops });
  return ops.length;
};

export type BackfillOutcome =
  | { status: "done"; summary: BackfillSummary; purged: number }
  | { status: "opted-out"; purged: number }
  | { status: "invalid-config"; config: Extract<ConfigResult, { ok: false }> };

/**
 * The repo's history backfill as a background job: read its config (an
 * invalid one stops the job, it is never replaced by defaults), apply the
 * opt-out and the retention period, then backfill the window, resuming an
 * interrupted run where it stopped.
 */
export const backfillRepo = async (deps: RepoJobDeps, octokit: OctokitLike, target: RepoRef): Promise<BackfillOutcome> => {
  const full = `${target.owner}/${target.repo}`;
  const config = await loadRepoConfig(configReaderFor(octokit, target.owner, target.repo));
  if (!config.ok) {
    deps.log.warn({ repo: full, issues: config.issues }, "invalid configuration: backfill skipped");
    return { status: "invalid-config", config };
  }
  const purged = await applyRepoPolicy(deps, full, config.config);
  if (!config.config.harvest) return { status: "opted-out", purged };
  const now = deps.clock();
  const saved = await loadCursor(deps.store, full);
  let since = new Date(now.getTime() - config.config.backfillDays * DAY_MS);
  if (config.config.retentionDays > 0) {
    const kept = new Date(now.getTime() - config.config.retentionDays * DAY_MS);
    if (kept > since) since = kept;
  }
  if (saved !== null && saved.phase !== "done") since = new Date(saved.since);
  const summary = await runBackfill(
    { api: createGitHubApi(octokit), store: deps.store, clock: deps.clock, classifier: deps.classifier, log: deps.log },
    { owner: target.owner, repo: target.repo, installationId: target.installationId, since },
  );
  deps.log.info({ repo: full, requests: summary.requests, comments: summary.comments, corrections: summary.corrections }, "backfill done");
  return { status: "done", summary, purged };
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
  const config = await loadRepoConfig(configReaderFor(octokit, target.owner, target.repo));
  if (!config.ok) return "invalid-config";
  if (!config.config.harvest) {
    await applyRepoPolicy(deps, `${target.owner}/${target.repo}`, config.config);
    return "opted-out";
  }
  await refreshPulls({ api: createGitHubApi(octokit), ...deps }, target, [number]);
  return "refreshed";
};
