import { join } from "node:path";
import { LowdbSignalStore } from "./lowdb-store.js";
import type { SignalStore } from "./store.js";

export interface StoreSettings {
  dataDir: string;
  readOnly?: boolean;
  onRecover?: (message: string) => void;
}

/** Where the embedded store keeps its files under DATA_DIR (the CLI and doctor look there too). */
export const lowdbDirectory = (dataDir: string): string => join(dataDir, "signals");

/** One entry per backend: adding one (postgres) is one file plus one line. */
export const STORE_BACKENDS = {
  lowdb: (s: StoreSettings): Promise<SignalStore> =>
    LowdbSignalStore.open({
      dataDir: lowdbDirectory(s.dataDir),
      ...(s.readOnly !== undefined ? { readOnly: s.readOnly } : {}),
      ...(s.onRecover !== undefined ? { onRecover: s.onRecover } : {}),
    }),
} satisfies Record<string, (s: StoreSettings) => Promise<SignalStore>>;

export type StoreBackend = keyof typeof STORE_BACKENDS;

export const openStore = (backend: StoreBackend, settings: StoreSettings): Promise<SignalStore> =>
  STORE_BACKENDS[backend](settings);
