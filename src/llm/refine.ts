import { createHash } from "node:crypto";
import Anthropic, { APIConnectionTimeoutError, APIError, APIUserAbortError } from "@anthropic-ai/sdk";
import { z } from "zod";
import { CATEGORIES, type Category, type Cluster, type Refinement } from "../learn/types.js";
import type { RefineCache } from "./cache.js";
import { PROMPT_VERSION, SYSTEM_PROMPT, clusterPayload, userMessage } from "./prompt.js";

/** The request this module sends; a subset of the SDK's `MessageCreateParamsNonStreaming`. */
export interface MessagesRequest {
  model: string;
  max_tokens: number;
  temperature: number;
  system: string;
  messages: { role: "user"; content: string }[];
}

/** The parts of a Messages API answer this module reads. */
export interface MessagesResponse {
  content: readonly { type: string; text?: string }[];
  usage: { input_tokens: number; output_tokens: number };
}

/**
 * The one call refinement needs. `new Anthropic(...).messages` satisfies it
 * as is; tests and other providers can supply their own.
 */
export interface MessagesClient {
  create(body: MessagesRequest, options?: { signal?: AbortSignal; timeout?: number }): Promise<MessagesResponse>;
}

export interface AnthropicClientOptions {
  apiKey: string;
  /** Defaults to `ANTHROPIC_BASE_URL`, then the public API. */
  baseURL?: string;
  /** SDK retries on 408/409/429/5xx and connection errors (default 2). */
  maxRetries?: number;
  timeoutMs: number;
}

export const createAnthropicClient = (options: AnthropicClientOptions): MessagesClient =>
  new Anthropic({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs,
  }).messages;

export interface RefineInput {
  clusters: readonly Cluster[];
  /** Comment id → comment body. */
  texts: ReadonlyMap<number, string>;
}

export interface RefineOptions {
  client: MessagesClient;
  model: string;
  /** Input + output tokens this run may spend; calls stop before crossing it. */
  maxTokensPerRun: number;
  /** Per call, retries included. */
  timeoutMs: number;
  cache: RefineCache;
  /** Clusters per call (default 20). */
  batchSize?: number;
  log?: (msg: string) => void;
}

export interface RefineStats {
  /** API calls made, failed ones included. */
  calls: number;
  cacheHits: number;
  inputTokens: number;
  outputTokens: number;
  /** Batches that kept their offline labels because a call or its answer failed. */
  fallbacks: number;
  /** Batches never sent because the token budget was spent. */
  skippedForBudget: number;
}

export interface RefineResult {
  refinement: Refinement;
  stats: RefineStats;
}

const DEFAULT_BATCH_SIZE = 20;
const MAX_TITLE_CHARS = 80;

/**
 * The answer's shape. Strict, so a drifting model fails loudly; per-entry
 * meaning (known ids, categories, titles, scopes) is checked afterwards so
 * one bad entry does not cost the whole batch.
 */
const Answer = z.strictObject({
  clusters: z.array(z.strictObject({ id: z.string(), title: z.string(), category: z.string() })),
  merges: z.array(z.tuple([z.string(), z.string()])),
});
type Answer = z.infer<typeof Answer>;

const isCategory = (value: string): value is Category => (CATEGORIES as readonly string[]).includes(value);

/** Room for ~100 output tokens a cluster, within 1024–2048. */
const outputTokens = (clusters: number): number => Math.min(2048, Math.max(1024, 256 + 96 * clusters));

/** A rough count is enough: the budget is a guard rail, not a bill. */
const estimateTokens = (chars: number): number => Math.ceil(chars / 4);

/**
 * Only clusters with two or more comments are worth a call. Sorting by scope
 * and category puts likely duplicates in the same batch (merges never cross
 * batches) and keeps batches, hence cache keys, stable between runs.
 */
export const planBatches = (clusters: readonly Cluster[], batchSize = DEFAULT_BATCH_SIZE): Cluster[][] => {
  const size = Math.max(1, Math.floor(batchSize));
  const key = (c: Cluster): string[] => [c.scope, c.category, c.id];
  const sorted = clusters
    .filter((c) => c.commentIds.length >= 2)
    .sort((a, b) => {
      const [ka, kb] = [key(a), key(b)];
      for (let i = 0; i < ka.length; i++) {
        const [x = "", y = ""] = [ka[i], kb[i]];
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    });
  const batches: Cluster[][] = [];
  for (let i = 0; i < sorted.length; i += size) batches.push(sorted.slice(i, i + size));
  return batches;
};

/**
 * A title the report can show as is: one line of plain text that starts with
 * a letter. Markup, links and mentions are stripped rather than trusted;
 * anything that does not survive keeps the offline title.
 */
export const sanitizeTitle = (raw: string): string | undefined => {
  const trimmed = raw.trim();
  if (/[\r\n\u2028\u2029]/.test(trimmed)) return undefined;
  const text = trimmed
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/<[^>]*>/g, " ")
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/\b(?:https?|ftp):\/\/\S+|\bwww\.\S+/gi, " ")
    .replace(/(^|[^\w@])@[\w-]+(?:\/[\w.-]+)?/g, "$1")
    .replace(/[`*~]/g, "")
    .replace(/(^|\s)_+|_+(?=\s|$)/g, "$1")
    .replace(/^[\s#>+-]+/, "")
    .replace(/^["'“‘]+|["'”’]+$/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/[.:;,]+$/, "");
  return /^\p{L}/u.test(text) && text.length >= 3 && text.length <= MAX_TITLE_CHARS ? text : undefined;
};

/** The first parseable `{…}` in the text, scanning balanced braces outside strings. */
export const firstJsonObject = (text: string): unknown => {
  for (let start = text.indexOf("{"), tries = 0; start !== -1 && tries < 20; start = text.indexOf("{", start + 1), tries++) {
    let depth = 0;
    let inString = false;
    for (let i = start; i < text.length; i++) {
      const ch = text[i];
      if (inString) {
        if (ch === "\\") i++;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === "{") depth++;
      else if (ch === "}" && --depth === 0) {
        try {
          return JSON.parse(text.slice(start, i + 1)) as unknown;
        } catch {
          break;
        }
      }
    }
  }
  return undefined;
};

/** Never the message: SDK messages can echo response bodies. Class and status say enough. */
const describeError = (e: unknown): string => {
  if (e instanceof APIConnectionTimeoutError || e instanceof APIUserAbortError) return "timed out";
  if (e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError")) return "timed out";
  if (e instanceof APIError) return `HTTP ${e.status === undefined ? "error" : String(e.status)}${e.type ? ` ${e.type}` : ""}`;
  return e instanceof Error ? e.name : "unknown error";
};

/** A bad key, no access or an unknown model fails every batch alike: stop calling. */
const isFatal = (e: unknown): boolean => e instanceof APIError && (e.status === 401 || e.status === 403 || e.status === 404);

const cacheKey = (model: string, user: string): string =>
  createHash("sha256").update(JSON.stringify([PROMPT_VERSION, model, SYSTEM_PROMPT, user])).digest("hex");

/**
 * Optional LLM pass over learned clusters: better titles, a category check,
 * and merges of clusters that say the same thing in different words. Comment
 * text is untrusted and only ever labelled; the result carries labels and
 * merges, nothing that can act. Any failure keeps that batch's offline labels.
 * Never throws on model or API misbehaviour.
 */
export const refineClusters = async (input: RefineInput, options: RefineOptions): Promise<RefineResult> => {
  const { client, model, cache } = options;
  const log = options.log ?? (() => undefined);
  const stats: RefineStats = { calls: 0, cacheHits: 0, inputTokens: 0, outputTokens: 0, fallbacks: 0, skippedForBudget: 0 };
  const titles = new Map<string, string>();
  const categories = new Map<string, Category>();
  const merges: (readonly [string, string])[] = [];
  const mergeKeys = new Set<string>();
  let stop: "budget" | "fatal" | undefined;

  const accept = (answer: Answer, batch: readonly Cluster[]): void => {
    const byId = new Map(batch.map((c) => [c.id, c]));
    for (const entry of answer.clusters) {
      if (!byId.has(entry.id)) continue;
      const title = sanitizeTitle(entry.title);
      if (title !== undefined && !titles.has(entry.id)) titles.set(entry.id, title);
      if (isCategory(entry.category) && !categories.has(entry.id)) categories.set(entry.id, entry.category);
    }
    for (const [a, b] of answer.merges) {
      const [ca, cb] = [byId.get(a), byId.get(b)];
      if (ca === undefined || cb === undefined || a === b || ca.scope !== cb.scope) continue;
      const pair = a < b ? ([a, b] as const) : ([b, a] as const);
      const k = JSON.stringify(pair);
      if (!mergeKeys.has(k)) {
        mergeKeys.add(k);
        merges.push(pair);
      }
    }
  };

  const batches = planBatches(input.clusters, options.batchSize);
  for (const [index, batch] of batches.entries()) {
    const label = `refine: batch ${index + 1}/${batches.length}`;
    const user = userMessage(batch.map((c) => clusterPayload(c, input.texts)));
    const key = cacheKey(model, user);

    // A cached answer was validated before it was stored; validate again anyway, the file is editable.
    const cached = Answer.safeParse(cache.get(key));
    if (cached.success) {
      stats.cacheHits++;
      accept(cached.data, batch);
      continue;
    }
    if (stop === "fatal") {
      stats.fallbacks++;
      continue;
    }
    const maxTokens = outputTokens(batch.length);
    const estimate = estimateTokens(SYSTEM_PROMPT.length + user.length) + maxTokens;
    if (stop === "budget" || stats.inputTokens + stats.outputTokens + estimate > options.maxTokensPerRun) {
      if (stop === undefined) log(`${label}: token budget (${options.maxTokensPerRun}) reached; later batches keep offline labels`);
      stop = "budget";
      stats.skippedForBudget++;
      continue;
    }

    stats.calls++;
    let text: string;
    try {
      const response = await client.create(
        { model, max_tokens: maxTokens, temperature: 0, system: SYSTEM_PROMPT, messages: [{ role: "user", content: user }] },
        { signal: AbortSignal.timeout(options.timeoutMs), timeout: options.timeoutMs },
      );
      stats.inputTokens += response.usage.input_tokens;
      stats.outputTokens += response.usage.output_tokens;
      text = response.content.map((block) => (block.type === "text" ? (block.text ?? "") : "")).join("");
    } catch (e) {
      stats.fallbacks++;
      if (isFatal(e)) stop = "fatal";
      log(`${label}: call failed (${describeError(e)}); keeping offline labels${stop === "fatal" ? ", no further calls this run" : ""}`);
      continue;
    }

    const json = firstJsonObject(text);
    const parsed = Answer.safeParse(json);
    if (!parsed.success) {
      stats.fallbacks++;
      const why = json === undefined ? "no JSON object" : `unexpected shape at ${parsed.error.issues[0]?.path.join(".") || "top level"}`;
      log(`${label}: invalid answer (${why}); keeping offline labels`);
      continue;
    }
    cache.set(key, parsed.data);
    accept(parsed.data, batch);
  }

  log(
    `refine: ${batches.length} batches, ${stats.calls} calls, ${stats.cacheHits} cached, ${stats.fallbacks} fell back, ${stats.skippedForBudget} over budget, ${stats.inputTokens}+${stats.outputTokens} tokens`,
  );
  return { refinement: { titles, categories, merges }, stats };
};
