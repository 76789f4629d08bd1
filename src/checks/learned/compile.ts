import RE2 from "re2";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { LEARNED_CHECK_LIMITS, LearnedCheckSchema, learnedCheckIssues, type LearnedCheck } from "./schema.js";

/**
 * Compiles learned check files into matchers. Patterns and globs are
 * untrusted (a check file is repository content, written by the app from
 * review comments or by anyone with write access), so every one of them runs
 * on RE2: linear time in the input, no backreferences, no lookaround, no
 * catastrophic backtracking. Nothing here builds a JavaScript RegExp from
 * check data.
 */

/** The largest check file read, in bytes (UTF-8). A check is a few hundred bytes. */
export const MAX_CHECK_FILE_BYTES = 64 * 1024;

/** The most YAML alias expansions a check file may use (there is no need for any; this stops alias bombs). */
export const MAX_YAML_ALIASES = 20;

/** The most learned checks loaded for one repository; files beyond (in path order) are reported invalid. */
export const MAX_LEARNED_CHECKS = 200;

/** An exception's message. RE2's errors come from the native addon's realm: under jest they fail `instanceof Error`. */
const messageOf = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e && typeof e.message === "string" ? e.message : String(e);

export type PatternResult = { ok: true; re: RE2 } | { ok: false; error: string };

export interface CompiledCheck {
  readonly check: LearnedCheck;
  /** The compiled `pattern` entries: a line is flagged when any matches… */
  readonly patterns: readonly RE2[];
  /** …and `unless` (if any) does not. */
  readonly unless: RE2 | null;
  /** Whether the check reads this repository path (an include glob matches, no exclude glob does). */
  appliesTo(path: string): boolean;
  /** Whether the check flags this line (its text, without the diff marker or line ending). */
  flags(lineText: string): boolean;
}

export interface InvalidCheck {
  /** The check file's path. */
  path: string;
  /** What is wrong, naming the field (`pattern.2: …`) where there is one. */
  error: string;
}

export type CheckResult = { ok: true; check: CompiledCheck } | ({ ok: false } & InvalidCheck);

/** RE2's messages for what it leaves out on purpose, as constructs a check author recognises. */
const UNSUPPORTED: readonly { test: RegExp; construct: (m: RegExpExecArray) => string }[] = [
  { test: /invalid perl operator: \(\?=/, construct: () => "lookahead (?=…)" },
  { test: /invalid perl operator: \(\?!/, construct: () => "negative lookahead (?!…)" },
  { test: /invalid perl operator: \(\?<=/, construct: () => "lookbehind (?<=…)" },
  { test: /invalid perl operator: \(\?<!/, construct: () => "negative lookbehind (?<!…)" },
  { test: /invalid perl operator: \(\?>/, construct: () => "atomic group (?>…)" },
  { test: /invalid perl operator: \(\?#/, construct: () => "inline comment (?#…)" },
  { test: /invalid escape sequence: \\([1-9])/, construct: (m) => `backreference \\${m[1] ?? ""}` },
  { test: /invalid escape sequence: \\k/, construct: () => "named backreference \\k<…>" },
  { test: /bad repetition operator: ([*+?}])\+/, construct: (m) => `possessive quantifier ${m[1] ?? ""}+` },
];

/** A clear message for RE2's compile error, naming the unsupported construct when it is one. */
export const explainRe2Error = (message: string): string => {
  for (const u of UNSUPPORTED) {
    const m = u.test.exec(message);
    if (m !== null) return `${u.construct(m)} is not supported: patterns run on RE2, which matches in linear time and has no backreferences or lookaround (RE2: ${message})`;
  }
  if (/invalid repetition size/.test(message)) return `a repetition count is above RE2's limit of 1000 (RE2: ${message})`;
  if (/pattern too large/.test(message)) return `the pattern is too large for RE2 once compiled; split it into several patterns (RE2: ${message})`;
  return `not a valid RE2 pattern: ${message}`;
};

/** Lines of different shapes: a pattern that matches all of them matches every line (`.*`, `x?`, `\s*`). */
const EVERY_LINE_PROBES = ["", "a", "Z9 _-.", "\t}", "é😀"];

/** Compiles one untrusted pattern with RE2 (Unicode mode, no flags: use `(?i)` inside the pattern). */
export const compilePattern = (source: string): PatternResult => {
  if (source.length === 0) return { ok: false, error: "the pattern is empty" };
  if (source.length > LEARNED_CHECK_LIMITS.patternLength) {
    return { ok: false, error: `the pattern is ${String(source.length)} characters long; the limit is ${String(LEARNED_CHECK_LIMITS.patternLength)}` };
  }
  let re: RE2;
  try {
    re = new RE2(source, "u");
  } catch (e) {
    return { ok: false, error: explainRe2Error(messageOf(e)) };
  }
  if (EVERY_LINE_PROBES.every((probe) => re.test(probe))) {
    return { ok: false, error: "the pattern matches every line (it even matches an empty one), so it cannot tell lines apart" };
  }
  return { ok: true, re };
};

class GlobError extends Error {}

/** Characters that mean something in RE2 outside a class. */
const REGEX_META = /[.*+?^${}()|[\]\\]/;

const literal = (c: string): string => (REGEX_META.test(c) ? `\\${c}` : c);

/** A character inside an RE2 class, written as a code point so no character is special there. */
const classChar = (c: string): string => `\\x{${(c.codePointAt(0) ?? 0).toString(16)}}`;

/** Translates a glob (syntax in schema.ts) into an RE2 source matching whole paths. */
const translateGlob = (glob: string): string => {
  const chars = Array.from(glob.startsWith("./") ? glob.slice(2) : glob.startsWith("/") ? glob.slice(1) : glob);
  let i = 0;

  const seq = (depth: number): string => {
    let out = "";
    while (i < chars.length) {
      const c = chars[i] ?? "";
      if (depth > 0 && (c === "," || c === "}")) return out;
      if (c === "\\") {
        const next = chars[i + 1];
        if (next === undefined) throw new GlobError("it ends with a lone \\ (escape a character, or write \\\\ for a backslash)");
        out += literal(next);
        i += 2;
      } else if (c === "*") {
        let end = i;
        while (chars[end] === "*") end++;
        const before = i === 0 ? "/" : (chars[i - 1] ?? "");
        const after = chars[end] ?? "/";
        const leftEdge = before === "/" || (depth > 0 && (before === "{" || before === ","));
        const rightEdge = after === "/" || (depth > 0 && (after === "," || after === "}"));
        if (end - i >= 2 && leftEdge && rightEdge) {
          // A whole-segment `**` spans zero or more directories.
          if (chars[end] === "/") {
            out += "(?:[^/]*/)*";
            end++;
          } else if (chars[end] !== undefined && out.endsWith("/")) {
            // `{lib,src/**}/x`: the directory itself or anything under it, so the `/` after the brace still fits.
            out = `${out.slice(0, -1)}(?:/.*)?`;
          } else {
            out += ".*";
          }
        } else {
          out += "[^/]*";
        }
        i = end;
      } else if (c === "?") {
        out += "[^/]";
        i++;
      } else if (c === "[") {
        out += charClass();
      } else if (c === "{") {
        i++;
        const alternatives = [seq(depth + 1)];
        while (chars[i] === ",") {
          i++;
          alternatives.push(seq(depth + 1));
        }
        if (chars[i] !== "}") throw new GlobError("a { has no closing } (write \\{ for a literal brace)");
        i++;
        out += `(?:${alternatives.join("|")})`;
      } else {
        out += literal(c);
        i++;
      }
    }
    return out;
  };

  const charClass = (): string => {
    const start = i;
    i++;
    let negated = false;
    if (chars[i] === "!" || chars[i] === "^") {
      negated = true;
      i++;
    }
    const items: string[] = [];
    let first = true;
    const one = (): string => {
      const c = chars[i];
      if (c === undefined) throw new GlobError(`a [ has no closing ] (write \\[ for a literal bracket)`);
      if (c === "\\") {
        const next = chars[i + 1];
        if (next === undefined) throw new GlobError("it ends with a lone \\");
        i += 2;
        return next;
      }
      i++;
      return c;
    };
    while (i < chars.length && (first || chars[i] !== "]")) {
      first = false;
      const lo = one();
      if (chars[i] === "-" && chars[i + 1] !== undefined && chars[i + 1] !== "]") {
        i++;
        const hi = one();
        if ((lo.codePointAt(0) ?? 0) > (hi.codePointAt(0) ?? 0)) throw new GlobError(`the range ${lo}-${hi} in [${chars.slice(start + 1, i).join("")}] is backwards`);
        items.push(`${classChar(lo)}-${classChar(hi)}`);
      } else {
        items.push(classChar(lo));
      }
    }
    if (chars[i] !== "]") throw new GlobError("a [ has no closing ] (write \\[ for a literal bracket)");
    i++;
    // A class matches one character of a name, never the directory separator.
    return negated ? `[^/${items.join("")}]` : `(?:[${items.join("")}])`;
  };

  const body = seq(0);
  if (i < chars.length) throw new GlobError(`unexpected ${chars[i] ?? ""}`);
  return `^${body}$`;
};

/**
 * A glob as an RE2 over whole repository paths (`/`-separated, no leading
 * `/`): `**` as a whole segment spans directories, `*` and `?` stay within
 * one, `{a,b}` alternatives, `[abc]`/`[a-z]`/`[!abc]` classes, `\` escapes.
 * Everything else is literal: `a+b(c).ts` matches only that name.
 */
export const globToRe2 = (glob: string): PatternResult => {
  if (glob.length === 0) return { ok: false, error: "the glob is empty" };
  if (glob.length > LEARNED_CHECK_LIMITS.globLength) {
    return { ok: false, error: `the glob is ${String(glob.length)} characters long; the limit is ${String(LEARNED_CHECK_LIMITS.globLength)}` };
  }
  let source: string;
  try {
    source = translateGlob(glob);
  } catch (e) {
    if (e instanceof GlobError) return { ok: false, error: `not a valid glob: ${e.message}` };
    throw e;
  }
  try {
    return { ok: true, re: new RE2(source, "u") };
  } catch (e) {
    return { ok: false, error: `not a valid glob: ${explainRe2Error(messageOf(e))}` };
  }
};

const describeIssues = (zodIssues: readonly z.core.$ZodIssue[]): string => {
  const issues = learnedCheckIssues(zodIssues);
  const shown = issues.slice(0, 5).map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`));
  const more = issues.length > shown.length ? `; and ${String(issues.length - shown.length)} more` : "";
  return `${shown.join("; ")}${more}`;
};

/** The file's base name without .yml/.yaml: what its id must be. */
export const checkFileBaseName = (path: string): string => {
  const base = path.split(/[\\/]/).pop() ?? path;
  return base.replace(/\.ya?ml$/, "");
};

/** Compiles an already parsed check file (a YAML or JSON value). */
export const compileCheckValue = (path: string, value: unknown): CheckResult => {
  const invalid = (error: string): CheckResult => ({ ok: false, path, error });
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return invalid(`expected a mapping of check fields (id, title, message, severity, pattern…), got ${value === null ? "an empty file" : Array.isArray(value) ? "a list" : `a ${typeof value}`}`);
  }
  const parsed = LearnedCheckSchema.safeParse(value);
  if (!parsed.success) return invalid(describeIssues(parsed.error.issues));
  const check = parsed.data;
  const base = checkFileBaseName(path);
  if (check.id !== base) return invalid(`id: "${check.id}" must equal the file's base name "${base}"`);

  const compileAll = (field: string, sources: readonly string[], single: boolean, compile: (s: string) => PatternResult): RE2[] | string => {
    const out: RE2[] = [];
    for (const [n, source] of sources.entries()) {
      const r = compile(source);
      if (!r.ok) return `${single ? field : `${field}.${String(n)}`}: ${r.error}`;
      out.push(r.re);
    }
    return out;
  };
  const include = compileAll("paths.include", check.paths.include, false, globToRe2);
  if (typeof include === "string") return invalid(include);
  const exclude = compileAll("paths.exclude", check.paths.exclude, false, globToRe2);
  if (typeof exclude === "string") return invalid(exclude);
  const sources = typeof check.pattern === "string" ? [check.pattern] : check.pattern;
  const patterns = compileAll("pattern", sources, typeof check.pattern === "string", compilePattern);
  if (typeof patterns === "string") return invalid(patterns);
  let unless: RE2 | null = null;
  if (check.unless !== undefined) {
    const r = compilePattern(check.unless);
    if (!r.ok) return invalid(`unless: ${r.error}`);
    unless = r.re;
  }
  return {
    ok: true,
    check: {
      check,
      patterns,
      unless,
      appliesTo: (p) => include.some((re) => re.test(p)) && !exclude.some((re) => re.test(p)),
      flags: (text) => patterns.some((re) => re.test(text)) && (unless === null || !unless.test(text)),
    },
  };
};

/** Parses, validates and compiles one check file; never throws on bad content. */
export const compileCheck = (path: string, text: string): CheckResult => {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_CHECK_FILE_BYTES) {
    return { ok: false, path, error: `the file is ${String(bytes)} bytes; a check file may be at most ${String(MAX_CHECK_FILE_BYTES)} bytes (64 KiB)` };
  }
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: MAX_YAML_ALIASES, uniqueKeys: true, logLevel: "error", prettyErrors: true }) as unknown;
  } catch (e) {
    return { ok: false, path, error: `not valid YAML: ${messageOf(e).replace(/\s+/g, " ").trim()}` };
  }
  return compileCheckValue(path, value);
};

/**
 * Compiles a repository's check files: the valid ones, in path order, and
 * every invalid one with its error. A second file with an id already loaded
 * (`x.yml` beside `x.yaml`) and files past MAX_LEARNED_CHECKS are invalid.
 */
export const compileChecks = (files: readonly { path: string; text: string }[]): { checks: CompiledCheck[]; invalid: InvalidCheck[] } => {
  const checks: CompiledCheck[] = [];
  const invalid: InvalidCheck[] = [];
  const seen = new Map<string, string>();
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const file of sorted) {
    if (checks.length >= MAX_LEARNED_CHECKS) {
      invalid.push({ path: file.path, error: `not loaded: a repository may have at most ${String(MAX_LEARNED_CHECKS)} learned checks` });
      continue;
    }
    const r = compileCheck(file.path, file.text);
    if (!r.ok) {
      invalid.push({ path: r.path, error: r.error });
      continue;
    }
    const first = seen.get(r.check.check.id);
    if (first !== undefined) {
      invalid.push({ path: file.path, error: `id: "${r.check.check.id}" is already the id of ${first}` });
      continue;
    }
    seen.set(r.check.check.id, file.path);
    checks.push(r.check);
  }
  return { checks, invalid };
};
