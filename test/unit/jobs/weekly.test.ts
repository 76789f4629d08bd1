import type { RepoJob } from "../../../src/jobs/job.js";
import type { ProposeDeps } from "../../../src/jobs/propose/types.js";
import { createJobQueue } from "../../../src/jobs/queue.js";
import { isDue, runWeekly, type WeeklyDeps } from "../../../src/jobs/weekly.js";
import type { OctokitLike } from "../../../src/github/api.js";
import { silentLog } from "../../../src/shared/logger.js";
import { LowdbSignalStore } from "../../../src/store/lowdb-store.js";
import { clearState, uninstalledState, writeState } from "../../../src/store/state.js";
import { commentSignal, upsertTx, withTempDir } from "../../helpers/signals.js";

describe("isDue", () => {
  it("is due when the schedule had an occurrence since the last run (UTC), or it never ran", () => {
    const monday6 = "0 6 * * 1";
    expect(isDue(monday6, null, new Date("2026-11-24T00:00:00Z"))).toBe(true);
    // Last run Monday 23rd 06:30; next occurrence Monday 30th 06:00.
    expect(isDue(monday6, "2026-11-23T06:30:00.000Z", new Date("2026-11-30T05:59:00Z"))).toBe(false);
    expect(isDue(monday6, "2026-11-23T06:30:00.000Z", new Date("2026-11-30T06:00:00Z"))).toBe(true);
    // A schedule that no longer parses falls back to the default rather than running every tick.
    expect(isDue("not a cron", "2026-11-23T06:30:00.000Z", new Date("2026-11-24T06:00:00Z"))).toBe(false);
  });
});

describe("runWeekly", () => {
  const NOW = new Date("2026-11-23T06:17:00Z");

  const setup = async (dir: string): Promise<LowdbSignalStore> => {
    const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
    // Two repositories with an installation, one without (never run: no client for it).
    await store.commit(upsertTx("a", { ...commentSignal(1), repo: "acme/b", installationId: 7 }));
    await store.commit(upsertTx("b", { ...commentSignal(2), repo: "acme/a", installationId: 7 }));
    await store.commit(upsertTx("c", { ...commentSignal(3), repo: "other/x", installationId: null }));
    return store;
  };

  const deps = (store: LowdbSignalStore, job: RepoJob<ProposeDeps>, now: () => Date, holder = "replica-1"): WeeklyDeps => ({
    store,
    clock: now,
    log: silentLog,
    catalog: [],
    author: "review-reviewer[bot]",
    self: { appId: null, appSlug: null },
    jobs: createJobQueue(silentLog),
    auth: (id) => Promise.resolve({ installation: id } as unknown as OctokitLike),
    holder,
    jobsToRun: [job],
  });

  it("runs each due repository once, keeps going past a failure, then waits for the schedule", async () => {
    await withTempDir(async (dir) => {
      const store = await setup(dir);
      const seen: string[] = [];
      const job: RepoJob<ProposeDeps> = {
        name: "test",
        run: (_deps, octokit, target) => {
          seen.push(`${target.owner}/${target.repo}@${String((octokit as unknown as { installation: number }).installation)}`);
          if (target.repo === "a") return Promise.reject(new Error("boom"));
          return Promise.resolve({ status: "done", schedule: "0 6 * * 1" });
        },
      };
      let now = NOW;
      const first = await runWeekly(deps(store, job, () => now));
      expect(first).toEqual({
        ran: [
          { repo: "acme/a", job: "test", status: "failed" },
          { repo: "acme/b", job: "test", status: "done" },
        ],
        skipped: false,
      });
      expect(seen).toEqual(["acme/a@7", "acme/b@7"]);

      // An hour later: nothing (the failed one waits a day, not every tick); a day later the failed one is retried.
      now = new Date(NOW.getTime() + 3_600_000);
      expect((await runWeekly(deps(store, job, () => now))).ran).toEqual([]);
      now = new Date(NOW.getTime() + 25 * 3_600_000);
      expect((await runWeekly(deps(store, job, () => now))).ran).toEqual([{ repo: "acme/a", job: "test", status: "failed" }]);
      // Next Monday: both again.
      now = new Date("2026-11-30T06:17:00Z");
      expect((await runWeekly(deps(store, job, () => now))).ran.map((r) => r.repo)).toEqual(["acme/a", "acme/b"]);
      await store.close();
    });
  });

  it("does nothing while another replica holds the lease, and releases its own when done", async () => {
    await withTempDir(async (dir) => {
      const store = await setup(dir);
      let runs = 0;
      const job: RepoJob<ProposeDeps> = {
        name: "test",
        run: () => {
          runs++;
          return Promise.resolve({ status: "done", schedule: null });
        },
      };
      expect(await store.tryLease("weekly", "replica-2", NOW, new Date(NOW.getTime() + 600_000))).toBe(true);
      expect(await runWeekly(deps(store, job, () => NOW))).toEqual({ ran: [], skipped: true });
      expect(runs).toBe(0);
      // The other replica's lease expired: this one works, then gives the lease back.
      const later = new Date(NOW.getTime() + 700_000);
      expect((await runWeekly(deps(store, job, () => later))).ran).toHaveLength(2);
      expect(await store.tryLease("weekly", "replica-2", later, new Date(later.getTime() + 1000))).toBe(true);
      await store.close();
    });
  });

  it("leaves alone a repository the app was removed from, until it is added again", async () => {
    await withTempDir(async (dir) => {
      const store = await setup(dir);
      const seen: string[] = [];
      const job: RepoJob<ProposeDeps> = {
        name: "test",
        run: (_d, _o, target) => {
          seen.push(target.repo);
          return Promise.resolve({ status: "done", schedule: null });
        },
      };
      await writeState(store, uninstalledState("Acme/A"), { at: NOW.toISOString() }, NOW);
      await runWeekly(deps(store, job, () => NOW));
      expect(seen).toEqual(["b"]);
      await clearState(store, uninstalledState("acme/a"), NOW);
      await runWeekly(deps(store, job, () => new Date(NOW.getTime() + 60_000)));
      expect(seen).toEqual(["b", "a"]);
      await store.close();
    });
  });
});
