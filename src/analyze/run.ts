import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { parseConfig } from "../config/load.js";
import { DEFAULT_CONFIG, type Config } from "../config/schema.js";
import { DEFAULT_CLUSTER_OPTIONS } from "../learn/cluster.js";
import { learnPatterns, type LearnOptions, type LearnResult, type LearnStage } from "../learn/learn.js";
import type { LearnComment } from "../learn/types.js";
import type { MessagesClient } from "../llm/refine.js";
import { runRefinement, type RefineRun } from "../llm/run-refine.js";
import { DEFAULT_AGENT_LOGINS, createActorClassifier } from "../signals/actor.js";
import { InputError, jsonRecords, parseReviewComments, where } from "./input.js";
import { renderReport, type ReportContext } from "./report.js";
import { CHECKS_DIR, loadCatalog } from "../checks/catalog.js";
import type { Check } from "../checks/schema.js";
import { detectLinters, guessLinters, linterProbeFiles, type Linter, type RepoLinters } from "../propose/choose.js";
import { applyRuleEdit, type ConfigEdit } from "../propose/edit/apply.js";
import { buildPlan } from "../propose/plan.js";
import { patternSnippets } from "../propose/snippets.js";

/**
 * `review-reviewer analyze`: an offline run of the learning core over a
 * `gh api` export. The only network use is the optional LLM refinement, and
 * only with both `llm.enabled` and ANTHROPIC_API_KEY.
 */
export interface AnalyzeRequest {
  input: string;
  out: string | null;
  config: string | null;
  /** Optional `gh api repos/O/R/pulls?state=all` export: gives PR authors. */
  pulls: string | null;
  /** Optional local checkout: the linters it configures decide rule vs guideline in the plan. */
  repoDir: string | null;
  env: Record<string, string | undefined>;
  /** Where the LLM answer cache lives (DATA_DIR). */
  dataDir: string;
  onProgress?: (stage: LearnStage, done: number, total: number) => void;
  log: (line: string) => void;
  /** For tests: an LLM client instead of the real one. */
  llmClient?: MessagesClient;
}

export interface AnalyzeOutcome {
  result: LearnResult;
  context: ReportContext;
  written: string[];
}

const readText = async (path: string, what: string): Promise<string> => {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read ${what} ${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
};

const loadConfig = async (path: string | null): Promise<Config> => {
  if (path === null) return DEFAULT_CONFIG;
  let raw: unknown;
  try {
    raw = parseYaml(await readText(path, "config"));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: not YAML (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = parseConfig(raw ?? {});
  if (!parsed.ok) throw new InputError(`${path}: invalid config\n${parsed.issues.map((i) => `  ${i.path === "" ? "(root)" : i.path}: ${i.message}`).join("\n")}`);
  return parsed.config;
};

const PullSchema = z.object({ number: z.number().int(), user: z.object({ login: z.string() }).nullable().optional(), html_url: z.string().optional() });

/** PR number (per repo) → author login, from a pulls export (read like the comments export). */
const loadPullAuthors = async (path: string): Promise<Map<string, string>> => {
  const authors = new Map<string, string>();
  for (const { item, position } of jsonRecords(await readText(path, "pulls export"), "pull request")) {
    const p = PullSchema.safeParse(item);
    if (!p.success) throw new InputError(`${path}: ${where(position)} is not a pull request object (${p.error.issues[0]?.path.join(".") ?? ""})`);
    const repo = /github\.com\/([^/]+\/[^/]+)\/pull\//.exec(p.data.html_url ?? "")?.[1] ?? "";
    if (p.data.user?.login !== undefined) authors.set(`${repo}#${String(p.data.number)}`, p.data.user.login);
  }
  return authors;
};

/** Earlier clusters.json in the output directory: patterns keep their ids. */
const loadPrevious = async (out: string | null, log: (line: string) => void): Promise<{ id: string; commentIds: number[] }[] | undefined> => {
  if (out === null) return undefined;
  let text: string;
  try {
    text = await readFile(join(out, "clusters.json"), "utf8");
  } catch {
    return undefined;
  }
  const parsed = z.array(z.object({ id: z.string().min(1).max(100), commentIds: z.array(z.number().int()) })).safeParse(JSON.parse(text) as unknown);
  if (!parsed.success) {
    log(`ignoring ${join(out, "clusters.json")}: not a clusters file, pattern ids start fresh`);
    return undefined;
  }
  return parsed.data;
};

const writeAtomic = async (path: string, text: string): Promise<void> => {
  const tmp = `${path}.${String(process.pid)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, path);
};

export const runAnalyze = async (req: AnalyzeRequest): Promise<AnalyzeOutcome> => {
  const config = await loadConfig(req.config);
  const actors = createActorClassifier({
    self: { appId: null, appSlug: null },
    agentLogins: [...(config.authors.useDefaultAgents ? DEFAULT_AGENT_LOGINS : []), ...config.authors.agents],
    botLogins: config.authors.bots,
  });
  let comments: LearnComment[] = parseReviewComments(await readText(req.input, "input"), actors);
  if (req.pulls !== null) {
    const authors = await loadPullAuthors(req.pulls);
    comments = comments.map((c) => ({ ...c, pullAuthor: authors.get(`${c.repo}#${String(c.pullNumber)}`) ?? c.pullAuthor }));
  }
  let previous: { id: string; commentIds: number[] }[] | undefined;
  try {
    previous = await loadPrevious(req.out, req.log);
  } catch {
    req.log(`ignoring ${join(req.out ?? "", "clusters.json")}: not JSON, pattern ids start fresh`);
  }
  const thresholds = { minOccurrences: config.learn.minOccurrences, minPullRequests: config.learn.minPullRequests, windowDays: config.learn.windowDays };
  const options: LearnOptions = {
    thresholds,
    scope: config.learn.scope,
    keep: config.learn.keep,
    cluster: DEFAULT_CLUSTER_OPTIONS,
    ...(previous === undefined ? {} : { previous }),
    ...(req.onProgress === undefined ? {} : { onProgress: req.onProgress }),
  };
  let result = learnPatterns(comments, options);

  const llm: ReportContext["llm"] = { used: false, calls: 0, cacheHits: 0, note: null };
  const key = req.env.ANTHROPIC_API_KEY;
  if (config.llm.enabled && (key === undefined || key === "") && req.llmClient === undefined) {
    llm.note = "llm.enabled is on but ANTHROPIC_API_KEY is not set";
  } else if (config.llm.enabled) {
    const refinement = await refine(req, config, result, comments, key ?? "");
    llm.calls = refinement.calls;
    llm.cacheHits = refinement.cacheHits;
    if (refinement.value !== null) {
      llm.used = true;
      result = learnPatterns(comments, { ...options, refinement: refinement.value, onProgress: undefined });
    }
  }

  const newest = comments.reduce((max, c) => (c.createdAt > max ? c.createdAt : max), "");
  const context: ReportContext = { input: req.input, thresholds, scope: config.learn.scope, windowEnd: newest, llm };
  const written: string[] = [];
  if (req.out !== null) {
    await mkdir(req.out, { recursive: true });
    const clustersPath = join(req.out, "clusters.json");
    const reportPath = join(req.out, "report.md");
    const droppedPath = join(req.out, "dropped.json");
    const urls = new Map(comments.map((c) => [c.id, c.url]));
    await writeAtomic(clustersPath, `${JSON.stringify(result.clusters, null, 2)}\n`);
    await writeAtomic(reportPath, renderReport(result, context));
    // Why each comment was not counted as a request (the filter explains itself).
    await writeAtomic(droppedPath, `${JSON.stringify(result.dropped.map((d) => ({ ...d, url: urls.get(d.commentId) ?? null })), null, 2)}\n`);
    written.push(clustersPath, reportPath, droppedPath);
    written.push(...(await writePlan(req, result, comments)));
  }
  return { result, context, written };
};

/** Linters of the local checkout, or guessed from the file types commented on. */
const lintersFor = async (repoDir: string | null, comments: readonly LearnComment[]): Promise<RepoLinters> => {
  if (repoDir === null) return guessLinters(comments.flatMap((c) => (c.path === null ? [] : [c.path])));
  let names: string[];
  try {
    names = await readdir(repoDir);
  } catch (e) {
    throw new InputError(`cannot read --repo-dir ${repoDir}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const texts = new Map<string, string>();
  for (const name of linterProbeFiles(names)) {
    try {
      texts.set(name, await readFile(join(repoDir, name), "utf8"));
    } catch {
      // unreadable: treated as absent
    }
  }
  return detectLinters(names, (name) => texts.get(name));
};

/** The plan a run would apply: DIR/plan.json and DIR/proposals/<patternId>.md. */
const writePlan = async (req: AnalyzeRequest, result: LearnResult, comments: readonly LearnComment[]): Promise<string[]> => {
  if (req.out === null) return [];
  const catalog = await loadCatalog(CHECKS_DIR);
  const bodies = new Map(comments.map((c) => [c.id, c.body]));
  const linters = await lintersFor(req.repoDir, comments);
  const configs = new Map<string, string>();
  if (req.repoDir !== null) {
    for (const file of new Set(linters.found.values())) {
      try {
        configs.set(file, await readFile(join(req.repoDir, file), "utf8"));
      } catch {
        // unreadable: no edit, the plan names the file only
      }
    }
  }
  const editConfig = (check: Check, linter: Linter, file: string): ConfigEdit | null => {
    const text = configs.get(file);
    return text === undefined ? null : applyRuleEdit(check, linter, file, text);
  };
  const byId = new Map(comments.map((c) => [c.id, c]));
  const plan = buildPlan(result.clusters, (c) => c.commentIds.map((id) => bodies.get(id) ?? ""), catalog, {
    linters,
    editConfig,
    comments: byId,
    snippets: (c) => patternSnippets(c, byId),
  });
  const dir = join(req.out, "proposals");
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const entry of plan) {
    const path = join(dir, `${entry.patternId}.md`);
    await writeAtomic(path, `# ${entry.title}\n\n${entry.body}`);
    // The edited config, as the PR would commit it: DIR/proposals/<id>/<file>.
    for (const change of entry.changes ?? []) {
      const target = join(dir, entry.patternId, change.path);
      await mkdir(dirname(target), { recursive: true });
      await writeAtomic(target, change.text);
    }
  }
  const planPath = join(req.out, "plan.json");
  await writeAtomic(planPath, `${JSON.stringify(plan, (key, value: unknown) => (key === "changes" || key === "guideline" ? undefined : value), 2)}\n`);
  written.push(planPath, `${dir}/ (${String(plan.length)} proposals: ${(["rule", "guideline", "escalation"] as const).map((k) => `${String(plan.filter((p) => p.kind === k).length)} ${k}`).join(", ")}; linters ${linters.source === "files" ? "from --repo-dir" : "guessed from file types"})`);
  return written;
};

const refine = (req: AnalyzeRequest, config: Config, result: LearnResult, comments: readonly LearnComment[], apiKey: string): Promise<RefineRun> =>
  runRefinement(result.clusters, new Map(comments.map((c) => [c.id, c.body])), {
    config: config.llm,
    apiKey,
    ...(req.env.ANTHROPIC_BASE_URL === undefined ? {} : { baseURL: req.env.ANTHROPIC_BASE_URL }),
    dataDir: req.dataDir,
    log: req.log,
    ...(req.llmClient === undefined ? {} : { client: req.llmClient }),
  });
