#!/usr/bin/env node
import { Cron } from "croner";
import { run, type ApplicationFunctionOptions, type Probot } from "probot";
import { SmeeClient } from "smee-client";
import { createApp } from "./app.js";
import { EnvFileError, readEnvironment, type Environment } from "./config/env-file.js";
import { loadSettings, privateKeyPathProblem, SettingsError, webhookSecretProblem, type Settings } from "./config/settings.js";
import { identifyApp, logWhatIsOn } from "./doctor/startup.js";
import { createJobQueue } from "./jobs/queue.js";
import { resumeBackfills, scheduleGovernance } from "./jobs/startup.js";
import { createActorClassifier } from "./signals/actor.js";
import { createAppLog, logOptionsFromEnv } from "./shared/app-log.js";
import { systemClock } from "./shared/clock.js";
import type { Log } from "./shared/logger.js";
import { openStore } from "./store/registry.js";
import type { SignalStore } from "./store/store.js";

/**
 * Entry point: environment (.env first, before anything reads a setting),
 * settings, logger, store, app, background jobs. No logic of its own.
 */
const fail = (message: string): never => {
  process.stderr.write(`review-reviewer: ${message}\n`);
  process.exit(1);
};

const startup = (): { environment: Environment; settings: Settings } => {
  try {
    const environment = readEnvironment(process.env);
    const settings = loadSettings(environment.env);
    const secret = webhookSecretProblem(environment.env) ?? privateKeyPathProblem(environment.env);
    if (secret !== null) fail(secret);
    return { environment, settings };
  } catch (e) {
    if (e instanceof EnvFileError || e instanceof SettingsError) return fail(e.message);
    throw e;
  }
};

const { environment, settings } = startup();
const logger = await createAppLog(logOptionsFromEnv(environment.env));
let store: SignalStore | null = null;
let jobsIdle: () => Promise<void> = () => Promise.resolve();
let stopTimers: () => void = () => undefined;

const appFn = async (app: Probot, options: ApplicationFunctionOptions): Promise<void> => {
  const log = app.log as Log;
  store = await openStore(settings.store, {
    dataDir: settings.dataDir,
    onRecover: (message) => {
      log.warn({ store: settings.dataDir }, message);
    },
  });
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
  // Probot's setup page registers the webhook at the app's root URL (`<url>/`): deliveries are accepted there too.
  options.addHandler(await app.getNodeMiddleware({ path: "/" }));
  const jobDeps = { ...deps, log, auth: (installationId: number) => app.auth(installationId) };
  await resumeBackfills(jobDeps);
  const stopGovernance = scheduleGovernance(jobDeps);
  let stopWeekly = (): void => undefined;
  let stopped = false;
  const startWeekly = async (login: string): Promise<Date | null> => {
    // Loaded when needed: the proposal machinery (ESLint, TypeScript, ts-morph) would add a second to every start.
    const [{ scheduleWeekly, WEEKLY_TICK }, { CHECKS_DIR, loadCatalog }, { proposeDepsFromSettings }] = await Promise.all([
      import("./jobs/weekly.js"),
      import("./checks/catalog.js"),
      import("./jobs/propose/from-settings.js"),
    ]);
    const catalog = await loadCatalog(CHECKS_DIR);
    if (stopped) return null;
    stopWeekly = scheduleWeekly({
      ...jobDeps,
      catalog,
      author: login,
      ...proposeDepsFromSettings(settings, (line) => {
        log.info({}, line);
      }),
    });
    return new Cron(WEEKLY_TICK, { timezone: "UTC", paused: true }).nextRun();
  };
  // GET /app in the background (asked again while GitHub cannot say it): the slug when APP_SLUG is unset, and the grants.
  const stopIdentify = identifyApp({
    getApp: async () => (await app.auth()).rest.apps.getAuthenticated().then((r) => r.data),
    log,
    knownLogin: deps.selfLogin,
    retry: settings.appId !== null,
    onLogin: async (login) => {
      deps.selfLogin = login;
      return startWeekly(login);
    },
    onFirst: async (github, weeklyNext) => {
      await logWhatIsOn({ environment, settings, log }, github, { weeklyNext });
    },
  });
  stopTimers = () => {
    stopped = true;
    stopIdentify();
    stopGovernance();
    stopWeekly();
  };
};

// `env`: Probot reads the same merged environment as the settings above (it also applies .env to process.env itself).
const server = await run(appFn, { env: environment.env, log: logger, SmeeClient }).catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));

/** Running jobs get this long to finish (a proposal half made is resumed next run, but a clean stop is better). */
const SHUTDOWN_GRACE_MS = 20_000;

let stopping = false;
const shutdown = async (signal: string): Promise<void> => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "stopping: no new deliveries; running jobs get up to 20 s");
  stopTimers();
  await server.stop();
  await Promise.race([jobsIdle(), new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref())]);
  await store?.close();
  process.exit(0);
};
// Probot's own SIGINT handler exits without closing the store: ours replaces it (Ctrl-C, docker stop, Kubernetes).
process.removeAllListeners("SIGINT");
process.once("SIGTERM", () => void shutdown("SIGTERM"));
process.once("SIGINT", () => void shutdown("SIGINT"));
