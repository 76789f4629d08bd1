import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Config } from "../config/schema.js";
import type { Cluster, Refinement } from "../learn/types.js";
import { FileRefineCache } from "./cache.js";
import { createAnthropicClient, refineClusters, type MessagesClient } from "./refine.js";

/**
 * One LLM refinement pass as the analyze command and the weekly run use it:
 * the answer cache in DATA_DIR/llm-cache.json, the client (Anthropic's, or a
 * test's), the config's model, token budget and timeout. `value` is null
 * when nothing usable came back; the caller keeps the offline result.
 */
export interface RefineRun {
  value: Refinement | null;
  calls: number;
  cacheHits: number;
}

export interface RefineRunOptions {
  config: Config["llm"];
  apiKey: string;
  baseURL?: string;
  dataDir: string;
  log: (line: string) => void;
  client?: MessagesClient;
}

export const runRefinement = async (clusters: readonly Cluster[], texts: ReadonlyMap<number, string>, o: RefineRunOptions): Promise<RefineRun> => {
  const cache = await FileRefineCache.open(join(o.dataDir, "llm-cache.json"), { log: o.log });
  const timeoutMs = o.config.timeoutSeconds * 1000;
  const client = o.client ?? createAnthropicClient({ apiKey: o.apiKey, timeoutMs, ...(o.baseURL === undefined || o.baseURL === "" ? {} : { baseURL: o.baseURL }) });
  const refined = await refineClusters({ clusters, texts }, { client, model: o.config.model, maxTokensPerRun: o.config.maxTokensPerRun, timeoutMs, cache, log: o.log });
  try {
    await mkdir(o.dataDir, { recursive: true });
    await cache.save();
  } catch (e) {
    o.log(`could not save the LLM cache: ${e instanceof Error ? e.message : String(e)}`);
  }
  const s = refined.stats;
  o.log(`llm: ${String(s.calls)} calls, ${String(s.cacheHits)} cached, ${String(s.inputTokens + s.outputTokens)} tokens, ${String(s.fallbacks)} fallbacks, ${String(s.skippedForBudget)} over budget`);
  return { value: s.calls + s.cacheHits > 0 ? refined.refinement : null, calls: s.calls, cacheHits: s.cacheHits };
};

/** What the weekly run calls when a repository enables `llm`: null keeps the offline result. */
export type Refiner = (clusters: readonly Cluster[], texts: ReadonlyMap<number, string>, config: Config["llm"]) => Promise<Refinement | null>;

/** A refiner with the process's API key, or undefined without one (then nothing touches the network). */
export const createRefiner = (o: { apiKey: string | null; baseURL?: string; dataDir: string; log: (line: string) => void }): Refiner | undefined => {
  const apiKey = o.apiKey;
  if (apiKey === null || apiKey === "") return undefined;
  return async (clusters, texts, config) =>
    (await runRefinement(clusters, texts, { config, apiKey, dataDir: o.dataDir, log: o.log, ...(o.baseURL === undefined ? {} : { baseURL: o.baseURL }) })).value;
};
