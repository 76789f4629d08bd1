import { commentedRegion } from "../signals/hunk.js";
import type { NormalizedComment } from "./normalize.js";
import type { Category } from "./types.js";

/**
 * What a review comment asks for, read from general evidence (pure): the
 * request words, the file it is on, the line it points at and what its
 * suggestion changes. The category is the first, coarse split of the
 * clustering (comments about naming never share a pattern with comments
 * about tests), so it favours precision: weak evidence stays `design`.
 */
export interface Intent {
  category: Category;
  /** Evidence that decided it, for explanations ("word:docstring", "path:docs"). */
  evidence: string[];
  /** Score margin over the runner-up; 0 means a default. */
  confidence: number;
}

interface Rule {
  category: Category;
  weight: number;
  pattern: RegExp;
  label: string;
}

const rule = (category: Category, weight: number, label: string, pattern: RegExp): Rule => ({ category, weight, pattern, label });

/** Word evidence, matched on normalized prose (identifiers are placeholders by then). */
const WORD_RULES: readonly Rule[] = [
  rule("naming", 3, "rename", /\b(rename[ds]?|renaming)\b/),
  rule("naming", 2, "name", /\b(names?|naming|named|camel ?case|snake_?case|pascal ?case|self[- ]documenting|descriptive|abbreviat\w*)\b/),
  rule("documentation", 3, "docstring", /\b(docstrings?|doc ?strings?|docs?|documentation|documented|document(ing)?|readme|changelog|release ?notes?|docstring)\b/),
  rule("documentation", 2, "comment", /\b(comments?|typos?|spelling|grammar|wording|sentence|paragraph|phrasing|reword|misspel\w*|example|description|explain\w*|mention)\b/),
  rule("testing", 3, "test", /\b(tests?|testing|tested|doctests?|unit ?tests?|test ?cases?|coverage|pytest|unittest|fixtures?|asserts?|assertions?|mock(s|ed|ing)?)\b/),
  rule("typing", 3, "type hint", /\b(type ?hints?|annotations?|annotated?|typing|mypy|pyright|type ?checker|return ?type|typed|generics?)\b/),
  rule("style", 2, "format", /\b(blank ?lines?|whitespace|white ?space|indent\w*|line ?length|long ?lines?|formatting|formatted|format(ter)?|pep ?8|black|ruff|prettier|lint(er|ing)?|trailing|newlines?|wrap(ped)?|shorten|line ?breaks?|spaces?|tabs?|quotes?|parenthes[ie]s|brackets?|chop|style|consistent|consistency|readab\w*|f-?strings?)\b/),
  rule("dead-code", 3, "unused", /\b(unused|dead ?code|leftover|commented[- ]out|not used|never used|no longer (used|needed)|debug(ging)? (code|prints?|statements?))\b/),
  rule("dead-code", 2, "remove", /\b(remove|delete|drop|unnecessary|redundant|superfluous|not needed|needless|no need)\b/),
  rule("error-handling", 3, "exception", /\b(exceptions?|raises?|raised|raising|try|except|catch(es|ing)?|error ?handling|valueerror|typeerror|keyerror|errors?|fail(s|ure)?|crash\w*)\b/),
  rule("error-handling", 2, "validate", /\b(validat\w*|checks?|checking|edge ?cases?|none|null|empty|negative|invalid|guard|sanit\w*|bounds?|overflow)\b/),
  rule("logging", 3, "log", /\b(log(s|ged|ging)?|loggers?|warnings?|warn|print(s|ing|ed)?|verbose|debug)\b/),
  rule("performance", 3, "performance", /\b(performance|perf|faster|slow(er)?|efficien\w*|complexity|o ?\( ?n|quadratic|memory|allocat\w*|cach(e|ed|ing)|lazy|expensive|optimi[sz]\w*|speed)\b/),
  rule("security", 3, "security", /\b(secur\w*|secrets?|passwords?|credentials?|tokens?|api ?keys?|inject\w*|xss|csrf|unsafe|vulnerab\w*|escap(e|ing)|permissions?|auth\w*|pickle|eval|shell ?=)\b/),
  rule("design", 1, "structure", /\b(refactor\w*|extract|helpers?|abstraction|interface|class(es)?|modules?|functions?|methods?|duplicat\w*|reuse|simplif\w*|inline|move|split|generic|coupl\w*|encapsulat\w*|api|signature|parameters?|arguments?|constants?|instead|approach)\b/),
  rule("process", 3, "process", /\b(unrelated|separate pr|follow[- ]?up|this pr|another pr|rebase|squash|commits?|changelog entry|news entry|ci|pipeline|workflow|deprecat\w*|backport|revert)\b/),
];

const DOC_PATH = /(^|\/)(docs?|documentation)\/|\.(md|mdx|rst|txt|adoc)$|(^|\/)(readme|changelog|changes|news|history)[^/]*$/i;
const TEST_PATH = /(^|\/)(tests?|__tests__|spec)\/|(^|\/)test_[^/]+$|_test\.[a-z]+$|\.(test|spec)\.[a-z]+$/i;
const CONFIG_PATH = /(^|\/)\.github\/|\.(ya?ml|toml|cfg|ini)$|(^|\/)(dockerfile|makefile|setup\.py|package\.json)$/i;
const COMMENT_LINE = /^\s*(#|\/\/|\/\*|\*|"""|'''|<!--)/;
const IMPORT_LINE = /^\s*(import\s|from\s+\S+\s+import\s|const\s+\S+\s*=\s*require\(|export\s+\*?\s*from\s)/;

/** How a suggestion differs from the code it replaces. */
export type SuggestionShape = "none" | "whitespace" | "deletion" | "rename" | "text" | "code";

const squash = (lines: readonly string[]): string => lines.join("\n").replace(/\s+/g, "");


/** Code with comments and string contents blanked, whitespace gone: what the program does. */
const codeOnly = (lines: readonly string[]): string =>
  squash(lines.map((l) => l.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""').replace(/\s(#|\/\/).*$|^\s*(#|\/\/).*$/, "")));

/** Compares a ```suggestion with the commented lines from the diff hunk. */
export const suggestionShape = (suggestion: readonly string[], original: readonly string[]): SuggestionShape => {
  if (original.length === 0) return "code";
  if (suggestion.every((l) => l.trim() === "")) return "deletion";
  if (squash(suggestion) === squash(original)) return "whitespace";
  // Only comments, docstrings or strings changed: a wording fix.
  if (codeOnly(suggestion) === codeOnly(original)) return "text";
  // Prose lines (inside a docstring or a doc file): words, no code punctuation.
  const prose = (lines: readonly string[]): boolean => lines.every((l) => !/[=(){}[\];]/.test(l) && (l.match(/[A-Za-z]+/g) ?? []).length >= 3);
  if (prose(suggestion) && prose(original)) return "text";
  const skeleton = (lines: readonly string[]): string => codeOnly(lines).replace(/[A-Za-z_][A-Za-z0-9_]*/g, "x");
  if (skeleton(suggestion) === skeleton(original)) return "rename";
  return "code";
};

/**
 * The end of a hunk that holds its last `span` new-side lines: the commented
 * lines are there, and parsing only them keeps long hunks cheap. The `@@`
 * header is kept so the result is still a hunk.
 */
export const hunkTail = (hunk: string, span: number): string => {
  let end = hunk.length;
  let kept = 0;
  while (end > 0 && kept < span + 1) {
    const start = hunk.lastIndexOf("\n", end - 1);
    if (start <= 0) return hunk;
    if (hunk[start + 1] !== "-") kept++;
    end = start;
  }
  const header = hunk.slice(0, Math.max(0, hunk.indexOf("\n")));
  return end <= header.length ? hunk : `${header}${hunk.slice(end)}`;
};

export interface IntentInput {
  normalized: NormalizedComment;
  path: string | null;
  diffHunk: string | null;
  /** How many lines the comment covers (1 unless it is a multi-line comment). */
  span: number;
}

export const detectIntent = (input: IntentInput): Intent => {
  const scores = new Map<Category, number>();
  const evidence: string[] = [];
  const add = (category: Category, weight: number, label: string): void => {
    scores.set(category, (scores.get(category) ?? 0) + weight);
    evidence.push(label);
  };
  const text = input.normalized.text;
  for (const r of WORD_RULES) if (r.pattern.test(text)) add(r.category, r.weight, `word:${r.label}`);

  const path = input.path ?? "";
  if (DOC_PATH.test(path)) add("documentation", 2, "path:docs");
  if (TEST_PATH.test(path)) add("testing", 1, "path:tests");
  if (CONFIG_PATH.test(path)) add("process", 1, "path:config");

  const region = input.diffHunk === null ? null : commentedRegion(hunkTail(input.diffHunk, input.span), "RIGHT", input.span);
  const lines = region?.lines ?? [];
  const last = lines.at(-1) ?? "";
  if (last !== "" && COMMENT_LINE.test(last)) add("documentation", 1, "line:comment");
  if (last !== "" && IMPORT_LINE.test(last)) add("dead-code", 1, "line:import");

  for (const suggestion of input.normalized.suggestions.slice(0, 3)) {
    const shape = suggestionShape(suggestion, lines);
    if (shape === "whitespace") add("style", 3, "suggestion:whitespace");
    else if (shape === "deletion") add("dead-code", 2, "suggestion:deletion");
    else if (shape === "rename") add("naming", 2, "suggestion:rename");
    else if (shape === "text") add("documentation", 2, "suggestion:text");
  }
  if (input.normalized.substitution !== null) add("naming", 1, "shorthand:s///");

  let best: Category = "design";
  let bestScore = 0;
  let second = 0;
  for (const [category, score] of scores) {
    if (score > bestScore) {
      second = bestScore;
      best = category;
      bestScore = score;
    } else if (score > second) second = score;
  }
  return { category: best, evidence, confidence: bestScore - second };
};
