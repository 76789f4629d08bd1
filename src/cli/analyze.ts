import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { InputError, jsonRecords } from "../analyze/input.js";
import { renderReport, renderSummaryTable } from "../analyze/report.js";
import { runAnalyze } from "../analyze/run.js";
import { parseConfig } from "../config/load.js";
import { DEFAULT_CONFIG, type Config } from "../config/schema.js";
import { DEFAULT_CLUSTER_OPTIONS } from "../learn/cluster.js";
import { learnPatterns, type LearnStage } from "../learn/learn.js";
import { cliSettings } from "./settings.js";
import { errorMessage, UsageError } from "./errors.js";
import type { CliIo } from "./main.js";

/** Inputs at least this large get a progress bar (on a terminal). */
const PROGRESS_MIN = 5000;

const bar = (stage: LearnStage, done: number, total: number, width = 24): string => {
  const filled = total === 0 ? width : Math.round((Math.min(done, total) / total) * width);
  return `\r${stage.padEnd(9)} [${"#".repeat(filled).padEnd(width, ".")}] ${String(done)}/${String(total)}`;
};

/** Whether an export holds no records at all: an empty file, `[]` (what gh prints for a repository without comments), `[][]`, blank lines. */
const isEmptyExport = async (path: string): Promise<boolean> => {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return false;
  }
  if (text.trim() === "") return true;
  try {
    return jsonRecords(text, "review comment").length === 0;
  } catch {
    return false;
  }
};

/** The --config file, checked as `analyze` checks it, so an empty export does not hide a bad config. */
const readConfig = async (path: string | null): Promise<Config> => {
  if (path === null) return DEFAULT_CONFIG;
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw new InputError(`cannot read config ${path}: ${errorMessage(e)}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new InputError(`${path}: not YAML (${errorMessage(e)})`);
  }
  const parsed = parseConfig(raw ?? {});
  if (!parsed.ok) throw new InputError(`${path}: invalid config\n${parsed.issues.map((i) => `  ${i.path === "" ? "(root)" : i.path}: ${i.message}`).join("\n")}`);
  return parsed.config;
};

/**
 * An export without comments (a new or quiet repository): nothing recurs,
 * which is an answer, not an error. With --out the usual files are written,
 * empty, so scripts that read them keep working; stale proposals go.
 */
const analyzeEmpty = async (input: string, out: string | null, configPath: string | null): Promise<{ written: string[] }> => {
  const config = await readConfig(configPath);
  const thresholds = { minOccurrences: config.learn.minOccurrences, minPullRequests: config.learn.minPullRequests, windowDays: config.learn.windowDays };
  const result = learnPatterns([], { thresholds, scope: config.learn.scope, keep: config.learn.keep, cluster: DEFAULT_CLUSTER_OPTIONS });
  if (out === null) return { written: [] };
  await mkdir(out, { recursive: true });
  const files: [string, string][] = [
    ["clusters.json", "[]\n"],
    ["report.md", renderReport(result, { input, thresholds, scope: config.learn.scope, windowEnd: "", llm: { used: false, calls: 0, cacheHits: 0, note: null } })],
    ["dropped.json", "[]\n"],
    ["plan.json", "[]\n"],
  ];
  const written: string[] = [];
  for (const [name, text] of files) {
    await writeFile(join(out, name), text);
    written.push(join(out, name));
  }
  const proposals = join(out, "proposals");
  await rm(proposals, { recursive: true, force: true });
  await mkdir(proposals, { recursive: true });
  written.push(`${proposals}/ (0 proposals)`);
  return { written };
};

export const analyzeCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { input: { type: "string" }, out: { type: "string" }, config: { type: "string" }, pulls: { type: "string" }, "repo-dir": { type: "string" }, "data-dir": { type: "string" } },
    strict: true,
  });
  const input = values.input;
  if (input === undefined) throw new UsageError("needs --input FILE (a `gh api --paginate repos/OWNER/REPO/pulls/comments` export)");
  const settings = cliSettings(io, values["data-dir"], "store");
  let lastDraw = 0;
  const drawn = { any: false };
  const onProgress =
    io.isTty === true
      ? (stage: LearnStage, done: number, total: number): void => {
          if (total < PROGRESS_MIN) return;
          const now = Date.now();
          if (done < total && now - lastDraw < 100) return;
          lastDraw = now;
          drawn.any = true;
          io.err(bar(stage, done, total));
        }
      : undefined;
  try {
    const outcome = await runAnalyze({
      input,
      out: values.out ?? null,
      config: values.config ?? null,
      pulls: values.pulls ?? null,
      repoDir: values["repo-dir"] ?? null,
      env: io.env,
      dataDir: settings.dataDir,
      log: (line) => {
        io.err(`${line}\n`);
      },
      ...(onProgress === undefined ? {} : { onProgress }),
    });
    if (drawn.any) io.err("\n");
    io.out(renderSummaryTable(outcome.result));
    for (const path of outcome.written) io.out(`wrote ${path}\n`);
    return 0;
  } catch (e) {
    if (drawn.any) io.err("\n");
    if (!(e instanceof InputError)) throw e;
    try {
      if (await isEmptyExport(input)) {
        const empty = await analyzeEmpty(input, values.out ?? null, values.config ?? null);
        io.out(`no review comments in ${input}: nothing recurs yet\n`);
        for (const path of empty.written) io.out(`wrote ${path}\n`);
        return 0;
      }
    } catch (inner) {
      if (!(inner instanceof InputError)) throw inner;
      io.err(`analyze: ${inner.message}\n`);
      return 1;
    }
    io.err(`analyze: ${e.message}\n`);
    return 1;
  }
};
