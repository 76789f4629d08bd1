import { hostname } from "node:os";
import { Cron } from "croner";
import { z } from "zod";
import { DEFAULT_CONFIG } from "../config/schema.js";
import type { OctokitLike } from "../github/api.js";
import { readState, uninstalledState, writeState } from "../store/state.js";
import type { JobQueue } from "./queue.js";
import type { RepoJob } from "./job.js";
import { proposeRepo } from "./propose-repo.js";
import type { ProposeDeps } from "./propose/types.js";

/**
 * The weekly run, in process. A croner job ticks every hour; each tick takes
 * the store's `weekly` lease (so only one replica works), then runs every
 * repository whose own schedule (`proposals.schedule` in its config) came
 * due since its last run. The schedule a repository last ran with is kept in
 * the store, so a tick costs no API call for repositories that are not due.
 */
export interface WeeklyDeps extends ProposeDeps {
  jobs: JobQueue;
  /** An installation-authenticated client (Probot's `app.auth`). */
  auth: (installationId: number) => Promise<OctokitLike>;
  /** Who holds the lease: host and process. */
  holder?: string;
  /** The jobs to run (default WEEKLY_JOBS). */
  jobsToRun?: readonly RepoJob<ProposeDeps>[];
}

/** The weekly jobs, in the order they run for a repository. Later: documentation drift, dependency hygiene. */
export const WEEKLY_JOBS: readonly RepoJob<ProposeDeps>[] = [
  {
    name: "proposals",
    run: async (deps, octokit, target) => {
      const outcome = await proposeRepo(deps, octokit, target);
      return { status: outcome.status, schedule: outcome.status === "invalid-config" ? null : outcome.schedule };
    },
  },
];

const LastRunSchema = z.object({ at: z.string().nullable(), schedule: z.string(), failedAt: z.string().optional() });
/** After a failed run, wait this long before trying the repository again (not every hourly tick). */
export const RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
const weeklyState = (job: string, repo: string): string => `weekly:${job}:${repo.toLowerCase()}`;
export const LEASE = "weekly";
const LEASE_MS = 60 * 60 * 1000;

/** Whether a schedule had an occurrence after `lastRun` and not after `now` (never run: due). */
export const isDue = (schedule: string, lastRun: string | null, now: Date): boolean => {
  if (lastRun === null) return true;
  let next: Date | null;
  try {
    next = new Cron(schedule, { paused: true, timezone: "UTC" }).nextRun(new Date(lastRun));
  } catch {
    next = new Cron(DEFAULT_CONFIG.proposals.schedule, { paused: true, timezone: "UTC" }).nextRun(new Date(lastRun));
  }
  return next !== null && next.getTime() <= now.getTime();
};

export interface WeeklySummary {
  ran: { repo: string; job: string; status: string }[];
  /** Another replica holds the lease. */
  skipped: boolean;
}

/** One tick: every due repository with an installation, under the lease. */
export const runWeekly = async (deps: WeeklyDeps): Promise<WeeklySummary> => {
  const holder = deps.holder ?? `${hostname()}:${String(process.pid)}`;
  const now = deps.clock();
  if (!(await deps.store.tryLease(LEASE, holder, now, new Date(now.getTime() + LEASE_MS)))) return { ran: [], skipped: true };
  const ran: WeeklySummary["ran"] = [];
  try {
    const installations = new Map<string, { repo: string; installationId: number }>();
    for (const s of await deps.store.list()) {
      if (s.installationId !== null) installations.set(s.repo.toLowerCase(), { repo: s.repo, installationId: s.installationId });
    }
    for (const { repo, installationId } of [...installations.values()].sort((a, b) => (a.repo < b.repo ? -1 : 1))) {
      if ((await deps.store.getCursor(`state:${uninstalledState(repo)}`)) !== null) continue;
      for (const job of deps.jobsToRun ?? WEEKLY_JOBS) {
        const last = await readState(deps.store, weeklyState(job.name, repo), LastRunSchema);
        const started = deps.clock();
        if (!isDue(last?.schedule ?? DEFAULT_CONFIG.proposals.schedule, last?.at ?? null, started)) continue;
        if (last?.failedAt !== undefined && started.getTime() - Date.parse(last.failedAt) < RETRY_AFTER_MS) continue;
        // Renew the lease for each run: a long tick keeps it; a lost lease stops this replica.
        if (!(await deps.store.tryLease(LEASE, holder, started, new Date(started.getTime() + LEASE_MS)))) return { ran, skipped: true };
        const [owner = "", name = ""] = repo.split("/");
        try {
          const outcome = await job.run(deps, await deps.auth(installationId), { owner, repo: name, dryRun: false });
          ran.push({ repo, job: job.name, status: outcome.status });
          const schedule = outcome.schedule ?? last?.schedule ?? DEFAULT_CONFIG.proposals.schedule;
          await writeState(deps.store, weeklyState(job.name, repo), { at: started.toISOString(), schedule }, started);
        } catch (e) {
          // One repository failing (uninstalled, API down) never stops the others; it is retried a day later.
          ran.push({ repo, job: job.name, status: "failed" });
          await writeState(deps.store, weeklyState(job.name, repo), { at: last?.at ?? null, schedule: last?.schedule ?? DEFAULT_CONFIG.proposals.schedule, failedAt: started.toISOString() }, started);
          deps.log.warn({ repo, job: job.name, error: e instanceof Error ? e.message.split("\n")[0] : String(e) }, "weekly job failed");
        }
      }
    }
  } finally {
    await deps.store.releaseLease(LEASE, holder, deps.clock());
  }
  return { ran, skipped: false };
};

/** The hourly tick (minute 17 UTC, away from the top of the hour) that runs the repositories whose schedule came due. */
export const WEEKLY_TICK = "17 * * * *";

/** Starts the hourly tick. Returns a stop function. */
export const scheduleWeekly = (deps: WeeklyDeps, pattern = WEEKLY_TICK): (() => void) => {
  const job = new Cron(pattern, { timezone: "UTC", protect: true, unref: true }, () => {
    deps.jobs.enqueue("weekly", async () => {
      const summary = await runWeekly(deps);
      if (summary.ran.length > 0) deps.log.info({ ran: summary.ran }, "weekly run");
    });
  });
  return () => {
    job.stop();
  };
};
