import { compileChecks, type CompiledCheck, type InvalidCheck } from "../checks/learned/compile.js";
import { readAddedLines } from "../checks/learned/diff.js";
import { conclusionFor, runChecks, summaryFor, titleFor } from "../checks/learned/run.js";
import { LEARNED_CHECKS_DIR } from "../checks/learned/schema.js";
import type { OctokitLike } from "../github/api.js";
import { ensureCheckRun, type CheckRunResult } from "../publish/ensure-check-run.js";
import type { Log } from "../shared/logger.js";

/**
 * Enforcing learned checks on a pull request (opened, synchronize,
 * reopened): the check files come from the default branch (so a PR cannot
 * change the checks it is judged by), cached by their blob SHAs; the PR's
 * diff is fetched once; every check runs on the added lines only; one
 * "review-reviewer" Check Run reports the findings as annotations. An
 * invalid check file makes the run neutral and names the file; nothing the
 * repository contains ever runs as code.
 */
export const CHECK_RUN_NAME = "review-reviewer";
/** Annotations sent per run at most (GitHub keeps them all, but a wall of them helps nobody); the summary says how many more. */
export const MAX_ANNOTATIONS = 500;

export interface EnforceTarget {
  owner: string;
  repo: string;
  pullNumber: number;
  headSha: string;
}

export interface EnforceDeps {
  appId: number;
  log: Log;
  /** Compiled checks per repository and set of blob SHAs (the checks change only when a file does). */
  cache?: Map<string, { key: string; checks: CompiledCheck[]; invalid: InvalidCheck[] }>;
}

export type EnforceOutcome = { status: "no-checks" } | { status: "checked"; annotations: number; conclusion: string; run: CheckRunResult };

/** GitHub lists at most 3,000 files of a pull request. */
export const MAX_FILES_API = 3000;

/** A unified diff rebuilt from the per-file patches (files GitHub gives no patch for, binary or huge, are left out). */
const diffFromFiles = async (octokit: OctokitLike, o: { owner: string; repo: string }, pullNumber: number): Promise<string> => {
  const parts: string[] = [];
  let files = 0;
  for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, { ...o, pull_number: pullNumber, per_page: 100 })) {
    for (const f of page.data) {
      files++;
      if (f.patch === undefined || f.status === "removed") continue;
      parts.push(`diff --git a/${f.filename} b/${f.filename}\n--- a/${f.filename}\n+++ b/${f.filename}\n${f.patch}\n`);
    }
    if (files >= MAX_FILES_API) break;
  }
  return parts.join("");
};

const isNotFound = (e: unknown): boolean => typeof e === "object" && e !== null && "status" in e && e.status === 404;

/** The check files on the default branch, compiled (from the cache when no file changed). */
const loadChecks = async (deps: EnforceDeps, octokit: OctokitLike, o: { owner: string; repo: string }): Promise<{ checks: CompiledCheck[]; invalid: InvalidCheck[] }> => {
  let listing: { name: string; path: string; sha: string; type: string }[];
  try {
    const res = await octokit.rest.repos.getContent({ ...o, path: LEARNED_CHECKS_DIR });
    listing = Array.isArray(res.data) ? res.data : [];
  } catch (e) {
    if (isNotFound(e)) return { checks: [], invalid: [] };
    throw e;
  }
  const files = listing.filter((f) => f.type === "file" && /\.ya?ml$/.test(f.name)).sort((a, b) => (a.path < b.path ? -1 : 1));
  const key = files.map((f) => `${f.path}@${f.sha}`).join("\n");
  const cacheKey = `${o.owner}/${o.repo}`.toLowerCase();
  const cached = deps.cache?.get(cacheKey);
  if (cached?.key === key) return cached;
  const texts: { path: string; text: string }[] = [];
  for (const f of files) {
    const blob = await octokit.rest.git.getBlob({ ...o, file_sha: f.sha });
    texts.push({ path: f.path, text: Buffer.from(blob.data.content, "base64").toString("utf8") });
  }
  const compiled = compileChecks(texts);
  deps.cache?.set(cacheKey, { key, ...compiled });
  return compiled;
};

export const enforceChecks = async (deps: EnforceDeps, octokit: OctokitLike, target: EnforceTarget): Promise<EnforceOutcome> => {
  const o = { owner: target.owner, repo: target.repo };
  const { checks, invalid } = await loadChecks(deps, octokit, o);
  if (checks.length === 0 && invalid.length === 0) return { status: "no-checks" };
  let diffText: string;
  let limits: { maxFiles?: number } = {};
  try {
    const res = await octokit.rest.pulls.get({ ...o, pull_number: target.pullNumber, mediaType: { format: "diff" } });
    // With the diff media type GitHub answers text, though the types describe the JSON shape.
    const data: unknown = res.data;
    diffText = typeof data === "string" ? data : "";
  } catch (e) {
    // GitHub refuses whole diffs past 300 files or 20,000 lines (406): read the per-file patches instead (up to 3,000 files).
    if (!(typeof e === "object" && e !== null && "status" in e && e.status === 406)) throw e;
    diffText = await diffFromFiles(octokit, o, target.pullNumber);
    limits = { maxFiles: MAX_FILES_API };
  }
  const diff = readAddedLines(diffText, limits);
  const all = runChecks(checks, diff.lines);
  const annotations = all.slice(0, MAX_ANNOTATIONS);
  const conclusion = conclusionFor(all, invalid);
  const more = all.length - annotations.length;
  const summary = summaryFor({ checks, annotations: all, invalid, diff, limits }) + (more > 0 ? `\n\nThe first ${String(MAX_ANNOTATIONS)} findings are annotated; ${String(more)} more are counted above.` : "");
  const run = await ensureCheckRun(octokit, {
    ...o,
    headSha: target.headSha,
    name: CHECK_RUN_NAME,
    externalId: "learned-checks",
    conclusion,
    output: { title: titleFor(all, invalid), summary },
    annotations: annotations.map((a) => ({ path: a.path, start_line: a.line, end_line: a.line, annotation_level: a.severity, title: a.title, message: a.message })),
    appId: deps.appId,
    dryRun: false,
  });
  deps.log.info({ repo: `${o.owner}/${o.repo}`, pull: target.pullNumber, annotations: all.length, conclusion, outcome: run.outcome }, "learned checks");
  return { status: "checked", annotations: all.length, conclusion, run };
};
