import type { ProbotOctokit } from "probot";
import { loadRepoConfig } from "../config/load.js";
import { DAY_MS } from "../shared/clock.js";
import type { JobQueue } from "./queue.js";
import { applyRepoPolicy, backfillRepo, configReaderFor, type RepoJobDeps } from "./repo-jobs.js";
import { cursorName, loadCursor } from "./backfill/backfill.js";

type OctokitLike = InstanceType<typeof ProbotOctokit>;

export interface StartupDeps extends RepoJobDeps {
  jobs: JobQueue;
  /** An installation-authenticated client (Probot's `app.auth`). */
  auth: (installationId: number) => Promise<OctokitLike>;
}

/** Backfills interrupted by a stop or crash are queued again; they resume from their cursor. */
export const resumeBackfills = async (deps: StartupDeps): Promise<number> => {
  let queued = 0;
  for (const [name] of await deps.store.listCursors(cursorName(""))) {
    const repo = name.slice(cursorName("").length);
    const cursor = await loadCursor(deps.store, repo);
    if (cursor === null || cursor.phase === "done" || cursor.installationId === null) continue;
    const installationId = cursor.installationId;
    const [owner = "", name_ = ""] = repo.split("/");
    deps.jobs.enqueue(`backfill:${repo}`, async () => {
      await backfillRepo(deps, await deps.auth(installationId), { owner, repo: name_, installationId });
    });
    queued += 1;
  }
  if (queued > 0) deps.log.info({ queued }, "resuming interrupted backfills");
  return queued;
};


/**
 * Once a day, apply each repo's opt-out and retention period to what is
 * stored. Config is read with the installation recorded on the signals.
 */
export const runGovernance = async (deps: StartupDeps): Promise<number> => {
  const installations = new Map<string, number>();
  for (const s of await deps.store.list()) if (s.installationId !== null) installations.set(s.repo, s.installationId);
  let deleted = 0;
  for (const [repo, installationId] of installations) {
    const [owner = "", name = ""] = repo.split("/");
    const octokit = await deps.auth(installationId);
    const config = await loadRepoConfig(configReaderFor(octokit, owner, name));
    if (config.ok) deleted += await applyRepoPolicy(deps, repo, config.config);
  }
  return deleted;
};

export const scheduleGovernance = (deps: StartupDeps): (() => void) => {
  const timer = setInterval(() => {
    deps.jobs.enqueue("governance", async () => {
      const deleted = await runGovernance(deps);
      if (deleted > 0) deps.log.info({ deleted }, "retention and opt-outs applied");
    });
  }, DAY_MS);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
};
