import { stat } from "node:fs/promises";
import { loadSettings, type Settings } from "../config/settings.js";
import { isErrno } from "../shared/errors.js";
import { lowdbDirectory, openStore } from "../store/registry.js";
import type { SignalStore } from "../store/store.js";
import { SetupError } from "./errors.js";
import type { CliIo } from "./main.js";

/** The variables a command reads settings from: each asks only for what it uses, so a stray one cannot break it. */
export type SettingsScope = "store" | "backfill" | "all";

const SCOPES: Record<Exclude<SettingsScope, "all">, readonly string[]> = {
  store: ["DATA_DIR", "STORE"],
  // The classifier: the app's own comments (APP_ID, APP_SLUG), agents and bots.
  backfill: ["DATA_DIR", "STORE", "APP_ID", "APP_SLUG", "AGENT_LOGINS", "BOT_LOGINS"],
};

/** Settings from the environment (the scope's variables only), with `--data-dir` over DATA_DIR. */
export const cliSettings = (io: CliIo, dataDir: string | undefined, scope: SettingsScope): Settings => {
  const env = scope === "all" ? io.env : Object.fromEntries(SCOPES[scope].map((name) => [name, io.env[name]]));
  return loadSettings({ ...env, ...(dataDir !== undefined ? { DATA_DIR: dataDir } : {}) });
};


/**
 * The store of a data directory that has one (read-only by default, for
 * commands that only report on it; `run` writes its state): a data directory
 * without a store is an error, not an empty store (opening read-only creates
 * nothing, so it would otherwise read as empty).
 */
export const openExistingStore = async (settings: Settings, options: { readOnly: boolean } = { readOnly: true }): Promise<SignalStore> => {
  const path = lowdbDirectory(settings.dataDir);
  let found = false;
  try {
    found = (await stat(path)).isDirectory();
  } catch (e) {
    if (!isErrno(e, "ENOENT") && !isErrno(e, "ENOTDIR")) throw e;
  }
  if (!found) throw new SetupError(`no store at ${path}: run the app or backfill first, or pass --data-dir`);
  return openStore(settings.store, { dataDir: settings.dataDir, readOnly: options.readOnly });
};
