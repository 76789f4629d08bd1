import type { ProbotOctokit } from "probot";
import { z } from "zod";
import { DAY_MS, HOUR_MS } from "../shared/clock.js";
import { optedOutState, parseState, readState, writeState } from "../store/state.js";
import type { JobQueue } from "./queue.js";
import { applyRepoPolicy, backfillRepo, readRepoConfig, type RepoJobDeps } from "./repo-jobs.js";
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


/** The last complete governance pass, kept in the store so a restart neither skips nor repeats it. */
export const GOVERNANCE_STATE = "governance:last-run";
const LastRunSchema = z.object({ at: z.string() });
/** The repository's name as GitHub spells it (signals keep that case; the state's key is lower-cased). */
const OptedOutValueSchema = z.object({ installationId: z.number().nullable(), repo: z.string().optional() });

/**
 * Apply each repo's opt-out and retention period to what is stored: the
 * repositories with signals (config read with the installation recorded on
 * them) and the ones that opted out earlier (so re-enabling `harvest` is
 * noticed, and their history backfilled again). One repository failing
 * (an API error, an uninstalled app) does not stop the others.
 */
export const runGovernance = async (deps: StartupDeps): Promise<{ deleted: number; failed: number }> => {
  const installations = new Map<string, number>();
  for (const s of await deps.store.list()) if (s.installationId !== null) installations.set(s.repo, s.installationId);
  const optedOut = new Set<string>();
  for (const [name, value] of await deps.store.listCursors(`state:${optedOutState("")}`)) {
    const key = name.slice(`state:${optedOutState("")}`.length);
    optedOut.add(key);
    const parsed = parseState(value, OptedOutValueSchema);
    if (parsed?.installationId == null || [...installations.keys()].some((r) => r.toLowerCase() === key)) continue;
    installations.set(parsed.repo ?? key, parsed.installationId);
  }
  let deleted = 0;
  let failed = 0;
  for (const [repo, installationId] of installations) {
    const [owner = "", name = ""] = repo.split("/");
    try {
      const octokit = await deps.auth(installationId);
      const config = await readRepoConfig(octokit, { owner, repo: name });
      if (!config.ok) continue;
      deleted += await applyRepoPolicy(deps, repo, config.config, installationId);
      if (config.config.harvest && optedOut.has(repo.toLowerCase())) {
        deps.log.info({ repo }, "harvest enabled again: recording resumes and the history is backfilled");
        deps.jobs.enqueue(`backfill:${repo.toLowerCase()}`, async () => {
          await backfillRepo(deps, octokit, { owner, repo: name, installationId });
        });
      }
    } catch (e) {
      failed += 1;
      deps.log.warn({ repo, error: e instanceof Error ? e.message : String(e) }, "retention and opt-out not applied to this repository this time");
    }
  }
  return { deleted, failed };
};

/**
 * Whether a day has passed since the last governance pass (or none ever ran).
 * A last pass in the future (a clock set back, a store copied from another
 * machine) counts as due: retention must not stop until the clock catches up.
 */
export const governanceDue = (lastRun: string | null, now: Date): boolean => {
  const last = lastRun === null ? Number.NaN : Date.parse(lastRun);
  if (Number.isNaN(last)) return true;
  const since = now.getTime() - last;
  return since >= DAY_MS || since < 0;
};

/**
 * Retention and opt-outs once a day, by the time of the last pass kept in
 * the store: checked at start and every hour, so an app restarted daily
 * (or more often) still purges on time.
 */
export const scheduleGovernance = (deps: StartupDeps, everyMs: number = HOUR_MS): (() => void) => {
  const check = (): void => {
    deps.jobs.enqueue("governance", async () => {
      const now = deps.clock();
      const last = await readState(deps.store, GOVERNANCE_STATE, LastRunSchema);
      if (!governanceDue(last?.at ?? null, now)) return;
      const { deleted, failed } = await runGovernance(deps);
      await writeState(deps.store, GOVERNANCE_STATE, { at: now.toISOString() }, now);
      if (deleted > 0 || failed > 0) deps.log.info({ deleted, failed }, "retention and opt-outs applied");
    });
  };
  check();
  const timer = setInterval(check, everyMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
};
