import { createHash } from "node:crypto";
import { z } from "zod";
import type { Config } from "../../config/schema.js";
import { CATEGORIES } from "../../learn/types.js";
import { readState, writeState } from "../../store/state.js";
import type { SignalStore } from "../../store/store.js";

/** What the proposal run keeps in the store between runs, by name. */
export const PatternIdsSchema = z.array(z.object({ id: z.string().min(1).max(100), commentIds: z.array(z.number().int()) }));
export const StoredRefinementSchema = z.object({
  titles: z.record(z.string(), z.string().max(200)),
  categories: z.record(z.string(), z.enum(CATEGORIES)),
  merges: z.array(z.tuple([z.string(), z.string()])),
});
export const IgnoredSchema = z.record(z.string(), z.object({ by: z.string(), at: z.string() }));
/** Pattern id → digest of the title and body the app last wrote: unchanged text is not written again over a maintainer's edit. */
export const WrittenSchema = z.record(z.string(), z.string());
export const digestOf = (title: string, body: string): string => createHash("sha256").update(`${title}\n${body}`).digest("hex").slice(0, 32);

/** Where a scope's pattern ids are kept: ids are per learning scope, not per run. */
export const patternsState = (config: Config, owner: string, full: string): string =>
  `patterns:${config.learn.scope === "repo" ? full.toLowerCase() : `org:${owner.toLowerCase()}`}`;

export const ignoredState = (full: string): string => `ignored:${full.toLowerCase()}`;

/** Record `/review-reviewer ignore` for a pattern (the command handler calls this). */
export const recordIgnore = async (store: SignalStore, full: string, patternId: string, by: string, now: Date): Promise<void> => {
  const ignored = (await readState(store, ignoredState(full), IgnoredSchema)) ?? {};
  if (ignored[patternId] !== undefined) return;
  await writeState(store, ignoredState(full), { ...ignored, [patternId]: { by, at: now.toISOString() } }, now);
};

