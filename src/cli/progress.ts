import type { ConfigResult } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { BackfillProgress, BackfillSummary } from "../jobs/backfill/backfill.js";
import type { BackfillOutcome, BackfillWindow } from "../jobs/repo-jobs.js";

const duration = (ms: number): string => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${String(s)}s` : `${String(Math.floor(s / 60))}m${String(s % 60).padStart(2, "0")}s`;
};

/** One progress line: phase, a bar when the total is known, pages, requests and ETA. */
export const renderProgress = (p: BackfillProgress, width = 24): string => {
  const bar =
    p.total === null || p.total === 0
      ? ""
      : `[${"#".repeat(Math.round((Math.min(p.done, p.total) / p.total) * width)).padEnd(width, ".")}] `;
  const of = p.total === null ? "" : `/${String(p.total)}`;
  const eta = p.etaMs === null ? "" : `  ETA ${duration(p.etaMs)}`;
  return `${p.repo} ${p.phase.padEnd(14)} ${bar}${String(p.done)}${of}  requests ${String(p.requests)}  ${duration(p.elapsedMs)}${eta}`;
};

export const renderSummary = (s: BackfillSummary): string =>
  [
    `${s.repo}: backfill ${s.resumed ? "resumed and " : ""}done in ${duration(s.elapsedMs)}`,
    `  review comments   ${String(s.comments)}`,
    `  conversation      ${String(s.conversationComments)}`,
    `  pull requests     ${String(s.pulls)}`,
    `  reviews           ${String(s.reviews)}`,
    `  threads           ${String(s.threads)}`,
    `  corrections       ${String(s.corrections)} (${String(s.addressed)} addressed)`,
    `  skipped items     ${String(s.skipped)}`,
    `  requests          ${String(s.requests)}`,
    `  per 1,000 comments ${s.requestsPer1000Comments === null ? "n/a" : String(s.requestsPer1000Comments)}`,
  ].join("\n") + "\n";

/** Text from a repository (its config's keys, YAML errors) shown on a terminal: no control sequences. */
const printable = (text: string): string =>
  Array.from(text, (ch) => {
    const cp = ch.codePointAt(0) ?? 32;
    return cp < 32 || (cp >= 0x7f && cp <= 0x9f) ? " " : ch;
  }).join("");

const day = (d: Date): string => d.toISOString().slice(0, 10);

const windowLine = (w: BackfillWindow, config: Config): string => {
  const why = {
    backfillDays: `backfillDays: ${String(config.backfillDays)}`,
    requested: "--since/--days",
    retentionDays: `retentionDays: ${String(config.retentionDays)}; older activity would be deleted`,
    resumed: "the interrupted run's window",
  }[w.from];
  return `  since             ${day(w.since)} (${why})`;
};

/** What `review-reviewer backfill` prints: the summary, or why nothing was backfilled. */
export const renderBackfillOutcome = (repo: string, config: Config, outcome: Exclude<BackfillOutcome, { status: "invalid-config" }>): string => {
  const deleted = (n: number): string => `${String(n)} stored signal${n === 1 ? "" : "s"}`;
  if (outcome.status === "opted-out") {
    return `${repo}: harvest: false in .github/review-reviewer.yml — nothing backfilled; deleted ${deleted(outcome.purged)} of the repository\n`;
  }
  const [first = "", ...rest] = renderSummary(outcome.summary).trimEnd().split("\n");
  const lines = [first, windowLine(outcome.window, config), ...rest];
  if (config.retentionDays > 0) lines.push(`  retention         deleted ${deleted(outcome.purged)} older than ${String(config.retentionDays)} days (retentionDays)`);
  return `${lines.join("\n")}\n`;
};

/** Why `review-reviewer backfill` stopped before writing anything: the file and each invalid path. */
export const renderInvalidConfig = (repo: string, config: Extract<ConfigResult, { ok: false }>): string =>
  [
    `review-reviewer backfill: invalid ${config.file} in ${repo}: nothing backfilled, nothing written. Fix it (review-reviewer validate-config checks a copy):`,
    ...config.issues.map((i) => `  ${i.path === "" ? "(file)" : printable(i.path)}: ${printable(i.message)}`),
    "",
  ].join("\n");
