import type { DropReason } from "../learn/filter.js";
import type { LearnResult } from "../learn/learn.js";
import type { RecurrenceThresholds } from "../learn/patterns.js";
import type { Cluster } from "../learn/types.js";
import { day, quoteUntrusted, sparkline } from "../shared/markdown.js";

/**
 * What `analyze` writes and prints (pure). Comment text is untrusted: in
 * markdown it is quoted with HTML, mentions and link syntax neutralised, so
 * a report pasted into GitHub pings nobody and renders no markup.
 */
export interface ReportContext {
  input: string;
  thresholds: RecurrenceThresholds;
  scope: string;
  /** ISO date the recurrence window ends (the newest comment). */
  windowEnd: string;
  /** Whether an LLM refined titles and merges, with its call stats. */
  llm: { used: boolean; calls: number; cacheHits: number; note: string | null };
}

const pattern = (c: Cluster, n: number): string => {
  const lines = [
    `### ${String(n)}. ${quoteUntrusted(c.title)}`,
    "",
    `\`${c.id}\` · **${c.category}** · ${String(c.occurrences)} comments on ${String(c.pullRequestRefs.length)} PRs · ${String(c.reviewers.length)} reviewer${c.reviewers.length === 1 ? "" : "s"}` +
      (c.authors.length > 0 ? ` · ${String(c.authors.length)} PR author${c.authors.length === 1 ? "" : "s"}` : "") +
      ` · ${c.scope}`,
    "",
    `First seen ${day(c.firstSeen)}, last seen ${day(c.lastSeen)}. Weekly trend (last ${String(Math.min(26, c.weekly.length))} weeks): \`${sparkline(c.weekly)}\``,
    "",
    `Key terms: ${c.terms.slice(0, 6).map((t) => quoteUntrusted(t)).join(", ")}`,
    "",
    "Examples:",
    "",
  ];
  for (const e of c.examples) {
    const where = `${e.repo}#${String(e.pullNumber)}${e.path === null ? "" : ` ${quoteUntrusted(e.path)}`}`;
    const link = e.url === null ? where : `[${where}](${e.url})`;
    lines.push(`- ${link}: “${quoteUntrusted(e.excerpt)}”`);
  }
  lines.push("");
  return lines.join("\n");
};

const dropLine = (dropped: LearnResult["dropped"]): string => {
  const counts = new Map<DropReason, number>();
  for (const d of dropped) counts.set(d.reason, (counts.get(d.reason) ?? 0) + 1);
  const parts = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${String(n)}`);
  return parts.length === 0 ? "none" : parts.join(", ");
};

export const renderReport = (result: LearnResult, ctx: ReportContext): string => {
  const clusters = result.clusters; // strongest first, as learnPatterns orders them
  const recurring = clusters.filter((c) => c.recurring);
  const other = clusters.filter((c) => !c.recurring);
  const t = ctx.thresholds;
  const out = [
    "# Recurring review feedback",
    "",
    `Input: \`${quoteUntrusted(ctx.input)}\` — ${String(result.counts.comments)} review comments, ${String(result.counts.actionable)} actionable ` +
      `(dropped: ${dropLine(result.dropped)}; each with its reason in dropped.json).`,
    "",
    `A pattern recurs when at least ${String(t.minOccurrences)} comments on at least ${String(t.minPullRequests)} different pull requests ask for the same thing ` +
      `within ${String(t.windowDays)} days ${day(ctx.windowEnd) === "" ? "(no comments yet)" : `ending ${day(ctx.windowEnd)} (the newest comment)`}. Scope: ${ctx.scope}.`,
    "",
    ctx.llm.used
      ? `Titles, categories and merges refined by an LLM (${String(ctx.llm.calls)} calls, ${String(ctx.llm.cacheHits)} cached).`
      : `Offline analysis (no LLM)${ctx.llm.note === null ? "" : `: ${ctx.llm.note}`}.`,
    "",
    `## Recurring patterns (${String(recurring.length)})`,
    "",
  ];
  if (recurring.length === 0) out.push("None yet: no cluster meets the thresholds inside the window.", "");
  recurring.forEach((c, i) => out.push(pattern(c, i + 1)));
  out.push(`## Other clusters (${String(other.length)})`, "");
  if (other.length > 0) {
    out.push("Similar comments that do not (yet) recur enough inside the window.", "", "| id | category | comments | PRs | last seen | title |", "|---|---|---:|---:|---|---|");
    for (const c of other.slice(0, 50)) {
      out.push(`| \`${c.id}\` | ${c.category} | ${String(c.occurrences)} | ${String(c.pullRequestRefs.length)} | ${day(c.lastSeen)} | ${quoteUntrusted(c.title)} |`);
    }
    if (other.length > 50) out.push("", `…and ${String(other.length - 50)} more in clusters.json.`);
  }
  out.push("");
  return out.join("\n");
};

const pad = (s: string, n: number): string => (s.length >= n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));

/** The stdout summary: counts, then the strongest patterns as a table. */
export const renderSummaryTable = (result: LearnResult, limit = 15): string => {
  const clusters = result.clusters; // strongest first, as learnPatterns orders them
  const c = result.counts;
  const lines = [
    `comments ${String(c.comments)}  actionable ${String(c.actionable)}  dropped ${String(result.dropped.length)}  clusters ${String(result.clusters.length)}  recurring ${String(c.recurring)}`,
    "",
    `${pad("id", 16)} ${pad("category", 15)} ${"comments".padStart(8)} ${"PRs".padStart(5)}  ${"recurring".padEnd(9)}  title`,
  ];
  for (const k of clusters.slice(0, limit)) {
    // Titles can come from an LLM: no terminal control sequences.
    const title = Array.from(k.title, (ch) => ((ch.codePointAt(0) ?? 32) < 32 || ch === "\u007f" ? " " : ch)).join("");
    lines.push(
      `${pad(k.id, 16)} ${pad(k.category, 15)} ${String(k.occurrences).padStart(8)} ${String(k.pullRequestRefs.length).padStart(5)}  ${(k.recurring ? "yes" : "no").padEnd(9)}  ${title}`,
    );
  }
  if (clusters.length > limit) lines.push(`… ${String(clusters.length - limit)} more`);
  return `${lines.join("\n")}\n`;
};
