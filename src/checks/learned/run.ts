import RE2 from "re2";
import { quoteUntrusted } from "../../shared/markdown.js";
import type { CompiledCheck, InvalidCheck } from "./compile.js";
import { DEFAULT_DIFF_LIMITS, type AddedLine, type AddedLines, type DiffLimits } from "./diff.js";
import type { LearnedCheckSeverity } from "./schema.js";

/** One flagged line: a GitHub check-run annotation (its `annotation_level` is the severity). */
export interface Annotation {
  path: string;
  line: number;
  checkId: string;
  severity: LearnedCheckSeverity;
  title: string;
  message: string;
}

/** The check-run conclusions learned checks use. */
export type LearnedChecksConclusion = "success" | "neutral" | "failure";

type RE2Set = InstanceType<typeof RE2.Set>;

/** Patterns per RE2.Set: one pass over a line tests them all. RE2 refuses sets that compile too large, so keep them moderate. */
const SET_SIZE = 128;

interface Group {
  /** One RE2.Set over several patterns, or null for a pattern RE2 could not put in a set. */
  set: RE2Set | null;
  single: RE2 | null;
  /** The index of the check owning each pattern of the group. */
  owners: readonly number[];
}

const groupsOf = (entries: readonly { re: RE2; owner: number }[]): Group[] => {
  if (entries.length === 0) return [];
  if (entries.length === 1) {
    const only = entries[0];
    if (only !== undefined) return [{ set: null, single: only.re, owners: [only.owner] }];
  }
  try {
    return [{ set: new RE2.Set(entries.map((e) => e.re), "u"), single: null, owners: entries.map((e) => e.owner) }];
  } catch {
    // Too large for one set (RE2's memory budget): halve it.
    const half = Math.ceil(entries.length / 2);
    return [...groupsOf(entries.slice(0, half)), ...groupsOf(entries.slice(half))];
  }
};

/**
 * Which checks could flag a line: every pattern of every check in a few
 * RE2.Set passes instead of one test per pattern (about 20 times faster on
 * 50 checks). Only a prefilter: candidates are confirmed with the check's
 * own `flags`, so the result is exactly that of testing each check.
 */
const prefilter = (checks: readonly CompiledCheck[]): ((text: string, into: Set<number>) => void) => {
  const entries = checks.flatMap((c, owner) => c.patterns.map((re) => ({ re, owner })));
  const groups: Group[] = [];
  for (let at = 0; at < entries.length; at += SET_SIZE) groups.push(...groupsOf(entries.slice(at, at + SET_SIZE)));
  return (text, into) => {
    for (const g of groups) {
      if (g.set !== null) {
        for (const n of g.set.match(text)) {
          const owner = g.owners[n];
          if (owner !== undefined) into.add(owner);
        }
      } else if (g.single?.test(text) === true) {
        const owner = g.owners[0];
        if (owner !== undefined) into.add(owner);
      }
    }
  };
};

const compareAnnotations = (a: Annotation, b: Annotation): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : a.line !== b.line ? a.line - b.line : a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0;

/**
 * Runs every check on every added line it applies to. One annotation per
 * (path, line, check), ordered by path (code-unit order), line, then check id.
 */
export const runChecks = (checks: readonly CompiledCheck[], lines: readonly AddedLine[]): Annotation[] => {
  if (checks.length === 0 || lines.length === 0) return [];
  const candidates = prefilter(checks);
  const applicable = new Map<string, readonly boolean[]>();
  const found = new Map<string, Annotation>();
  const hits = new Set<number>();
  for (const added of lines) {
    let applies = applicable.get(added.path);
    if (applies === undefined) {
      applies = checks.map((c) => c.appliesTo(added.path));
      applicable.set(added.path, applies);
    }
    if (!applies.includes(true)) continue;
    hits.clear();
    candidates(added.text, hits);
    for (const n of hits) {
      const c = checks[n];
      if (c === undefined || applies[n] !== true || !c.flags(added.text)) continue;
      const key = `${added.path}\0${String(added.line)}\0${c.check.id}`;
      if (found.has(key)) continue;
      found.set(key, { path: added.path, line: added.line, checkId: c.check.id, severity: c.check.severity, title: c.check.title, message: c.check.message });
    }
  }
  return [...found.values()].sort(compareAnnotations);
};

/**
 * The check run's conclusion:
 * - `failure` when any annotation has severity failure (an invalid check file does not soften it);
 * - `neutral` when there are warnings but no failure, or when any check file is invalid: visible
 *   (grey, not green) without blocking a merge (GitHub counts neutral as passing for required checks);
 * - `success` otherwise: nothing found, or notices only (they still show on the diff).
 */
export const conclusionFor = (annotations: readonly Annotation[], invalid: readonly InvalidCheck[]): LearnedChecksConclusion => {
  if (annotations.some((a) => a.severity === "failure")) return "failure";
  if (invalid.length > 0 || annotations.some((a) => a.severity === "warning")) return "neutral";
  return "success";
};

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** The check run's output title: what was found, in one line. */
export const titleFor = (annotations: readonly Annotation[], invalid: readonly InvalidCheck[]): string => {
  const by = (s: LearnedCheckSeverity): number => annotations.filter((a) => a.severity === s).length;
  const parts = [
    by("failure") > 0 ? plural(by("failure"), "failure") : "",
    by("warning") > 0 ? plural(by("warning"), "warning") : "",
    by("notice") > 0 ? plural(by("notice"), "notice") : "",
    invalid.length > 0 ? plural(invalid.length, "invalid check file") : "",
  ].filter((p) => p !== "");
  return parts.length === 0 ? "No findings" : parts.join(", ");
};

/** Room GitHub gives a check run's output summary (65,535 characters), with a margin. */
const SUMMARY_MAX = 60_000;
const ERROR_MAX = 300;
const INVALID_SHOWN = 50;

const code = (text: string): string => `\`${text.replace(/[`\r\n]/g, "'")}\``;

export interface SummaryInput {
  checks: readonly CompiledCheck[];
  annotations: readonly Annotation[];
  invalid: readonly InvalidCheck[];
  /** What readAddedLines read: counts and what its limits skipped. */
  diff?: AddedLines;
  limits?: Partial<DiffLimits>;
}

/** Markdown for the check run's output summary: findings per check, invalid check files, what the limits left unread. */
export const summaryFor = (input: SummaryInput): string => {
  const { checks, annotations, invalid } = input;
  const limits = { ...DEFAULT_DIFF_LIMITS, ...input.limits };
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const a of annotations) counts.set(a.checkId, (counts.get(a.checkId) ?? 0) + 1);
  const read =
    input.diff === undefined
      ? ""
      : ` on ${plural(input.diff.lines.length, "added line")} in ${plural(input.diff.files, "file")}`;
  if (checks.length === 0) out.push(`No learned checks to run${read}.`);
  else if (annotations.length === 0) out.push(`No learned check flagged anything: ${plural(checks.length, "check")} ran${read}.`);
  else out.push(`**${plural(annotations.length, "finding")}** from ${String(counts.size)} of ${plural(checks.length, "learned check")}${read}.`);

  if (annotations.length > 0) {
    out.push("", "| Check | Severity | Findings |", "|---|---|---:|");
    const rows = checks
      .filter((c) => counts.has(c.check.id))
      .sort((a, b) => (counts.get(b.check.id) ?? 0) - (counts.get(a.check.id) ?? 0) || (a.check.id < b.check.id ? -1 : 1));
    for (const c of rows) out.push(`| ${code(c.check.id)} ${quoteUntrusted(c.check.title)} | ${c.check.severity} | ${String(counts.get(c.check.id) ?? 0)} |`);
  }

  if (invalid.length > 0) {
    out.push("", `### ${plural(invalid.length, "check file")} could not be used`, "", "Fix or remove these files; the other checks ran without them.", "");
    for (const f of invalid.slice(0, INVALID_SHOWN)) {
      const error = f.error.length > ERROR_MAX ? `${f.error.slice(0, ERROR_MAX)}…` : f.error;
      out.push(`- ${code(f.path)}: ${quoteUntrusted(error)}`);
    }
    if (invalid.length > INVALID_SHOWN) out.push(`- and ${plural(invalid.length - INVALID_SHOWN, "more file")}`);
  }

  const s = input.diff?.skipped;
  if (s !== undefined && (s.files > 0 || s.lines > 0 || s.longLines > 0 || s.binary > 0)) {
    out.push("", "### Not checked", "");
    if (s.files > 0) out.push(`- ${plural(s.files, "file")} past the limit of ${plural(limits.maxFiles, "file")} per diff`);
    if (s.lines > 0) out.push(`- ${plural(s.lines, "added line")} past the limit of ${plural(limits.maxLines, "line")} per diff`);
    if (s.longLines > 0) out.push(`- ${plural(s.longLines, "added line")} longer than ${plural(limits.maxLineLength, "character")} (minified or generated)`);
    if (s.binary > 0) out.push(`- ${plural(s.binary, "binary file")}`);
  }
  const text = `${out.join("\n")}\n`;
  return text.length <= SUMMARY_MAX ? text : `${text.slice(0, SUMMARY_MAX)}\n\n(summary cut at ${SUMMARY_MAX.toLocaleString("en-US")} characters)\n`;
};
