#!/usr/bin/env node
import { run, type Probot } from "probot";
import { createApp } from "./app.js";
import { loadSettings } from "./config/settings.js";
import { createJobQueue } from "./jobs/queue.js";
import { resumeBackfills, scheduleGovernance } from "./jobs/startup.js";
import { scheduleWeekly } from "./jobs/weekly.js";
import { CHECKS_DIR, loadCatalog } from "./checks/catalog.js";
import { proposeDepsFromSettings } from "./jobs/propose/from-settings.js";
import { createActorClassifier } from "./signals/actor.js";
import { systemClock } from "./shared/clock.js";
import type { Log } from "./shared/logger.js";
import { openStore } from "./store/registry.js";
import type { SignalStore } from "./store/store.js";

/** Entry point: settings, store, app, background jobs. No logic of its own. */
const settings = loadSettings(process.env);
let store: SignalStore | null = null;
let jobsIdle: () => Promise<void> = () => Promise.resolve();
let stopTimers: () => void = () => undefined;

/** The login the app writes as: `<slug>[bot]`, from APP_SLUG or asked of GitHub; null without credentials. */
const selfLogin = async (app: Probot, log: Log): Promise<string | null> => {
  if (settings.appSlug !== null) return `${settings.appSlug}[bot]`;
  if (settings.appId === null) return null;
  try {
    const { data } = await (await app.auth()).rest.apps.getAuthenticated();
    return data?.slug === undefined ? null : `${data.slug}[bot]`;
  } catch (e) {
    log.warn({ error: e instanceof Error ? e.message : String(e) }, "could not learn the app's slug (set APP_SLUG): proposals and commands are off");
    return null;
  }
};

const appFn = async (app: Probot): Promise<void> => {
  const log = app.log as Log;
  store = await openStore(settings.store, {
    dataDir: settings.dataDir,
    onRecover: (message) => {
      log.warn({ store: settings.dataDir }, message);
    },
  });
  log.info({ dataDir: settings.dataDir, store: settings.store }, "signal store open");
  const deps = {
    store,
    clock: systemClock,
    classifier: createActorClassifier({
      self: { appId: settings.appId, appSlug: settings.appSlug },
      agentLogins: settings.agentLogins,
      botLogins: settings.botLogins,
    }),
    jobs: createJobQueue(log),
    checks: createJobQueue(log),
    // Known at once from APP_SLUG; otherwise asked of GitHub in the background (startup never waits on the network).
    selfLogin: settings.appSlug === null ? null : `${settings.appSlug}[bot]`,
    appId: settings.appId,
  };
  jobsIdle = async () => {
    await Promise.all([deps.jobs.idle(), deps.checks.idle()]);
  };
  createApp(deps)(app);
  const jobDeps = { ...deps, log, auth: (installationId: number) => app.auth(installationId) };
  await resumeBackfills(jobDeps);
  const stopGovernance = scheduleGovernance(jobDeps);
  let stopWeekly = (): void => undefined;
  let stopped = false;
  const startWeekly = async (login: string): Promise<void> => {
    const catalog = await loadCatalog(CHECKS_DIR);
    if (stopped) return;
    stopWeekly = scheduleWeekly({
      ...jobDeps,
      catalog,
      author: login,
      ...proposeDepsFromSettings(settings, (line) => {
        log.info({}, line);
      }),
    });
  };
  void (async () => {
    const login = deps.selfLogin ?? (await selfLogin(app, log));
    if (login === null) return;
    deps.selfLogin = login;
    await startWeekly(login);
  })().catch((e: unknown) => {
    log.error({ error: e instanceof Error ? e.message : String(e) }, "the weekly run could not be scheduled");
  });
  stopTimers = () => {
    stopped = true;
    stopGovernance();
    stopWeekly();
  };
};

const server = await run(appFn);

/** Running jobs get this long to finish (a proposal half made is resumed next run, but a clean stop is better). */
const SHUTDOWN_GRACE_MS = 20_000;

const shutdown = async (): Promise<void> => {
  stopTimers();
  await server.stop();
  await Promise.race([jobsIdle(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  await store?.close();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown());
