import type { z } from "zod";
import type { SignalStore } from "./store.js";

/**
 * Small named JSON values kept among the store's cursors (pattern ids,
 * suppressions, schedules, acceptance), written atomically and durably like
 * every other store write. A value that does not parse reads as absent: the
 * caller starts fresh rather than acting on garbage.
 */
export const readState = async <T>(store: SignalStore, name: string, schema: z.ZodType<T>): Promise<T | null> => parseState(await store.getCursor(`state:${name}`), schema);

/** A stored value (as `listCursors` returns them) read with its schema; unparsable is absent. */
export const parseState = <T>(raw: string | null, schema: z.ZodType<T>): T | null => {
  if (raw === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  const value = schema.safeParse(parsed);
  return value.success ? value.data : null;
};

let sequence = 0;

export const writeState = async (store: SignalStore, name: string, value: unknown, now: Date): Promise<void> => {
  sequence += 1;
  await store.commit({
    deliveryId: `state:${name}:${now.toISOString()}:${String(process.pid)}:${String(sequence)}`,
    receivedAt: now.toISOString(),
    ops: [{ op: "cursor", name: `state:${name}`, value: JSON.stringify(value) }],
  });
};

/** Forget a named value. */
export const clearState = async (store: SignalStore, name: string, now: Date): Promise<void> => {
  sequence += 1;
  await store.commit({
    deliveryId: `state:${name}:clear:${now.toISOString()}:${String(process.pid)}:${String(sequence)}`,
    receivedAt: now.toISOString(),
    ops: [{ op: "cursor", name: `state:${name}`, value: null }],
  });
};

/** Repositories the app was removed from: the weekly jobs leave them alone until it is added again. */
export const uninstalledState = (repo: string): string => `uninstalled:${repo.toLowerCase()}`;

/** Repositories whose config says `harvest: false`: their webhooks are not stored at all (value: `{ installationId, at }`). */
export const optedOutState = (repo: string): string => `opted-out:${repo.toLowerCase()}`;

/** Whether a repository is known to have opted out (one in-memory read on the webhook path). */
export const isOptedOut = async (store: SignalStore, repo: string): Promise<boolean> => (await store.getCursor(`state:${optedOutState(repo)}`)) !== null;
