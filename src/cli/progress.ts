import type { BackfillProgress, BackfillSummary } from "../jobs/backfill/backfill.js";

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
