import nock from "nock";
import { createJobQueue } from "../../src/jobs/queue.js";
import { GOVERNANCE_STATE, governanceDue, scheduleGovernance, type StartupDeps } from "../../src/jobs/startup.js";
import { silentLog } from "../../src/shared/logger.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { isOptedOut, optedOutState, readState, writeState } from "../../src/store/state.js";
import { z } from "zod";
import { appFor } from "../helpers/app.js";
import { testClassifier } from "../helpers/env.js";
import { examplePayload } from "../helpers/fixtures.js";
import { createTestProbot } from "../helpers/probot.js";
import { commentSignal, upsertTx, withTempDir } from "../helpers/signals.js";

const INSTALLATION = 31337;
const CONFIG = "/repos/acme/widgets/contents/.github%2Freview-reviewer.yml";
/** GitHub's spelling, with capitals: the opt-out's state key is lower-cased, the repository keeps its case. */
const repository = { id: 4242, full_name: "Acme/Widgets", name: "Widgets", owner: { login: "Acme" } };
const CONFIG_AS_SPELT = "/repos/Acme/Widgets/contents/.github%2Freview-reviewer.yml";

const token = (): nock.Scope =>
  nock("https://api.github.com").post(`/app/installations/${String(INSTALLATION)}/access_tokens`).reply(201, { token: "ghs_inst", expires_at: "2099-01-01T00:00:00Z" });

/** A stored comment in acme/widgets on PR `pull`, last active at `at`. */
const stored = (n: number, pull: number, at: string): ReturnType<typeof commentSignal> => ({
  ...commentSignal(n, { updatedAt: at }),
  repo: "acme/widgets",
  installationId: INSTALLATION,
  pullNumber: pull,
  createdAt: at,
  updatedAt: at,
});

const deps = (store: LowdbSignalStore, now: () => Date): StartupDeps => {
  const probot = createTestProbot();
  return { store, clock: now, classifier: testClassifier, log: silentLog, jobs: createJobQueue(silentLog), auth: (id) => probot.auth(id) };
};

const LastRun = z.object({ at: z.string() });

describe("governanceDue", () => {
  it("is due when it never ran, or a day has passed", () => {
    const now = new Date("2026-12-02T10:00:00Z");

    expect(governanceDue(null, now)).toBe(true);
    expect(governanceDue("2026-12-01T10:00:01Z", now)).toBe(false);
    expect(governanceDue("2026-12-01T10:00:00Z", now)).toBe(true);
    expect(governanceDue("garbage", now)).toBe(true);
    expect(governanceDue("2026-12-05T10:00:00Z", now)).toBe(true); // in the future: a clock set back

  });
});

describe("retention, by the last run kept in the store", () => {
  it("runs at start when due, not again after a restart within the day, and again once a day has passed", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      await store.commit(upsertTx("old", stored(1, 10, "2026-08-01T00:00:00Z")));
      await store.commit(upsertTx("new", stored(2, 11, "2026-11-30T00:00:00Z")));
      let now = new Date("2026-12-02T10:00:00Z");

      // First start: due (never ran): the config is read and the 30-day retention applied.
      token().get(CONFIG).reply(200, "retentionDays: 30\n");
      const first = deps(store, () => now);
      const stopFirst = scheduleGovernance(first);
      await first.jobs.idle();
      stopFirst();
      const afterFirst = (await store.list({ repo: "acme/widgets" })).map((s) => s.key);

      // A restart two hours later: not due, so no request at all (an unmocked request fails the test).
      now = new Date("2026-12-02T12:00:00Z");
      const second = deps(store, () => now);
      const stopSecond = scheduleGovernance(second);
      await second.jobs.idle();
      stopSecond();
      const lastAfterRestart = await readState(store, GOVERNANCE_STATE, LastRun);

      // A running app, started in the afternoon (not due): its hourly check finds the pass due once the day has passed.
      now = new Date("2026-12-02T15:00:00Z");
      token().get(CONFIG).reply(200, "retentionDays: 30\n");
      const third = deps(store, () => now);
      const stopThird = scheduleGovernance(third, 40);
      await third.jobs.idle();
      const beforeTheDayPassed = await readState(store, GOVERNANCE_STATE, LastRun);
      now = new Date("2026-12-03T10:00:00Z");
      for (let waited = 0; waited < 2_000 && (await readState(store, GOVERNANCE_STATE, LastRun))?.at !== now.toISOString(); waited += 20) await new Promise((r) => setTimeout(r, 20));
      await third.jobs.idle();
      stopThird();

      expect(afterFirst).toEqual([stored(2, 11, "2026-11-30T00:00:00Z").key]);
      expect(lastAfterRestart).toEqual({ at: "2026-12-02T10:00:00.000Z" });
      expect(beforeTheDayPassed).toEqual({ at: "2026-12-02T10:00:00.000Z" });
      expect(await readState(store, GOVERNANCE_STATE, LastRun)).toEqual({ at: "2026-12-03T10:00:00.000Z" });
      await store.close();
    });
  });

  it("keeps going past a repository whose config cannot be read, and still records the run", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      await store.commit(upsertTx("old", stored(1, 10, "2026-08-01T00:00:00Z")));
      token().get(CONFIG).reply(500, { message: "boom" });
      const d = deps(store, () => new Date("2026-12-02T10:00:00Z"));

      const stop = scheduleGovernance(d);
      await d.jobs.idle();
      stop();

      expect(await store.list({ repo: "acme/widgets" })).toHaveLength(1);
      expect(await readState(store, GOVERNANCE_STATE, LastRun)).toEqual({ at: "2026-12-02T10:00:00.000Z" });
      await store.close();
    });
  }, 60_000);
});

describe("an opted-out repository (harvest: false)", () => {
  const commentPayload = (id: number): Record<string, unknown> => {
    const p = examplePayload("pull_request_review_comment", "created");
    Object.assign(p.comment as object, { id, body: "Please add a docstring.", user: { login: "reviewer", id: 5, type: "User" } });
    return { ...p, repository, installation: { id: INSTALLATION } };
  };

  it("has its webhooks not stored at all once its config is known, and stored again once harvest is back on", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      const probot = createTestProbot();
      const jobs = createJobQueue(silentLog);
      await probot.load(appFor(store, jobs));
      const receive = (id: string, payload: Record<string, unknown>): Promise<void> => probot.receive({ id, name: "pull_request_review_comment", payload } as never);
      await receive("before", commentPayload(901));
      const d = { ...deps(store, () => new Date("2026-12-02T10:00:00Z")), jobs };

      token().get(CONFIG_AS_SPELT).reply(200, "harvest: false\n");
      const stop = scheduleGovernance(d);
      await jobs.idle();
      stop();
      await receive("after-opt-out", commentPayload(902));
      const whileOptedOut = (await store.list({ repo: "Acme/Widgets" })).length;
      const recordedWhileOut = await store.hasDelivery("after-opt-out");
      const whileOptedOutState = await readState(store, optedOutState("ACME/Widgets"), z.object({ repo: z.string(), installationId: z.number() }));

      // A day later harvest is on again: the opt-out is lifted (the history backfill is queued; here it finds an invalid config and stops).
      // (the installation token is still cached by the same app)
      nock("https://api.github.com").get(CONFIG_AS_SPELT).reply(200, "harvest: true\n").get(CONFIG_AS_SPELT).reply(200, "harvest: nope\n");
      const later = { ...d, clock: () => new Date("2026-12-03T11:00:00Z") };
      const stopLater = scheduleGovernance(later);
      await jobs.idle();
      stopLater();
      await receive("back-on", commentPayload(903));

      expect(whileOptedOut).toBe(0);
      expect(recordedWhileOut).toBe(false);
      expect(await isOptedOut(store, "Acme/Widgets")).toBe(false);
      expect(whileOptedOutState).toMatchObject({ repo: "Acme/Widgets", installationId: INSTALLATION });
      expect((await store.list({ repo: "Acme/Widgets" })).map((s) => s.key)).toEqual(["review_comment:903"]);
      await store.close();
    });
  });

  it("is recognised whatever the case of its name", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      await writeState(store, optedOutState("Acme/Widgets"), { installationId: INSTALLATION, at: "2026-12-01T00:00:00Z" }, new Date("2026-12-01T00:00:00Z"));

      expect(await isOptedOut(store, "acme/widgets")).toBe(true);
      await store.close();
    });
  });
});
