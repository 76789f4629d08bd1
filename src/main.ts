#!/usr/bin/env node
import { run, type Probot } from "probot";
import { createApp } from "./app.js";
import { loadSettings } from "./config/settings.js";
import { createActorClassifier } from "./signals/actor.js";
import { systemClock } from "./shared/clock.js";
import { openStore } from "./store/registry.js";
import type { SignalStore } from "./store/store.js";

/** Entry point: settings, store, app. No logic of its own. */
const settings = loadSettings(process.env);
let store: SignalStore | null = null;

const appFn = async (app: Probot): Promise<void> => {
  store = await openStore(settings.store, {
    dataDir: settings.dataDir,
    onRecover: (message) => {
      app.log.warn({ store: settings.dataDir }, message);
    },
  });
  app.log.info({ dataDir: settings.dataDir, store: settings.store }, "signal store open");
  createApp({
    store,
    clock: systemClock,
    classifier: createActorClassifier({
      self: { appId: settings.appId, appSlug: settings.appSlug },
      agentLogins: settings.agentLogins,
      botLogins: settings.botLogins,
    }),
  })(app);
};

const server = await run(appFn);

const shutdown = async (): Promise<void> => {
  await server.stop();
  await store?.close();
  process.exit(0);
};
process.once("SIGTERM", () => void shutdown());
