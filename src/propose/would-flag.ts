import { Linter } from "eslint";
import { builtinRules } from "eslint/use-at-your-own-risk";
import tseslint from "typescript-eslint";
import type { Check } from "../checks/schema.js";

/**
 * Whether a check's rule would have caught what reviewers commented on (pure:
 * no file or network I/O, no clock, no environment). The rule, with the
 * check's options and nothing else, runs in-process through ESLint's
 * `Linter` on each commented snippet, the way a repository enabling it would
 * lint that code. Snippets are fragments of a diff, linted as they are: one
 * that does not parse on its own is counted apart, not guessed at.
 */
export type WouldFlag = { ran: true; flagged: number; total: number; unparsable: number } | { ran: false; reason: string };

export type WouldFlagLinter = "eslint" | "typescript-eslint";

export interface CodeSnippet {
  /** The file the code comes from; only its extension is read. */
  path: string;
  code: string;
}

/** Longer snippets keep only their last lines (the commented line ends a diff hunk), up to this many characters. */
export const MAX_SNIPPET_CHARS = 16_000;

/** At most this many snippets are linted; later ones are left out (and out of `total`). */
export const MAX_SNIPPETS = 200;

/**
 * At most this many characters are linted in one call (after truncation);
 * the snippet that would pass it, and every later one, is left out (and out
 * of `total`). ESLint takes some 50–80 ms per 16,000 dense characters, so
 * MAX_SNIPPETS full-size snippets alone would block for over 10 s; this
 * caps a call at roughly 2 s. Real commented hunks are far smaller.
 */
export const MAX_TOTAL_CHARS = 400_000;

const TS_PREFIX = "@typescript-eslint/";

const JS_EXTENSIONS = [".js", ".mjs", ".cjs"] as const;
const JSX_EXTENSIONS = [".jsx"] as const;
const TS_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts"] as const;
const EXTENSIONS: ReadonlySet<string> = new Set([...JS_EXTENSIONS, ...JSX_EXTENSIONS, ...TS_EXTENSIONS]);

const globs = (extensions: readonly string[]): string[] => extensions.map((e) => `**/*${e}`);

/** The extension that picks the parser, lower-cased, or undefined when it is not JavaScript or TypeScript. */
const extensionOf = (path: string): string | undefined => {
  const base = path.slice(path.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  if (dot <= 0) return undefined;
  const ext = base.slice(dot).toLowerCase();
  return EXTENSIONS.has(ext) ? ext : undefined;
};

/**
 * The last MAX_SNIPPET_CHARS characters of `code`, starting at a line
 * boundary; undefined when no whole line fits (one line longer than the
 * limit), since a cut line would only fail to parse.
 */
const lastLines = (code: string): string | undefined => {
  if (code.length <= MAX_SNIPPET_CHARS) return code;
  const start = code.length - MAX_SNIPPET_CHARS;
  if (code[start - 1] === "\n") return code.slice(start);
  const newline = code.indexOf("\n", start);
  if (newline < 0 || newline + 1 === code.length) return undefined;
  return code.slice(newline + 1);
};

/** What this module reads of a typescript-eslint rule. */
interface TsRuleModule {
  meta?: { docs?: { requiresTypeChecking?: boolean } };
}

// typescript-eslint types its plugin without `rules`; the object has them.
const tsRules = (): Readonly<Record<string, TsRuleModule | undefined>> => (tseslint.plugin as { rules?: Record<string, TsRuleModule | undefined> }).rules ?? {};

/** Why the rule cannot run on snippets, or undefined when it can. */
const unrunnable = (linter: WouldFlagLinter, rule: string, typeChecked: boolean): string | undefined => {
  if (linter === "eslint") {
    // ESLint publishes no other list of its core rules.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    return builtinRules.has(rule) ? undefined : `${rule} is not a rule of the installed ESLint ${Linter.version}`;
  }
  const found = rule.startsWith(TS_PREFIX) ? tsRules()[rule.slice(TS_PREFIX.length)] : undefined;
  if (found === undefined) return `${rule} is not a rule of the installed typescript-eslint`;
  if (typeChecked || found.meta?.docs?.requiresTypeChecking === true) {
    return `${rule} needs type information from a TypeScript program, which a snippet on its own does not have`;
  }
  return undefined;
};

/** The flat config: each language's parser, and the one rule on every file, with inline config comments ignored. */
const configFor = (rule: string, options: Linter.RuleEntry, withPlugin: boolean): Linter.Config[] => [
  { files: globs(JS_EXTENSIONS), languageOptions: { ecmaVersion: "latest", sourceType: "module" } },
  {
    files: globs(JSX_EXTENSIONS),
    languageOptions: { ecmaVersion: "latest", sourceType: "module", parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  // No project or projectService: the parser reads no files, and typescript-estree takes JSX from the extension (.tsx).
  { files: globs(TS_EXTENSIONS), languageOptions: { parser: tseslint.parser, sourceType: "module" } },
  {
    files: globs([...EXTENSIONS]),
    ...(withPlugin ? { plugins: { "@typescript-eslint": tseslint.plugin } } : {}),
    // A snippet's own `/* eslint ... */` or disable comments must not change what runs.
    linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: "off", reportUnusedInlineConfigs: "off" },
    rules: { [rule]: options },
  },
];

/** An error's message on one line, and short: ESLint's option errors span lines ("Key "rules": Key "no-console":\n\tValue 5 should be array."). */
const oneLine = (e: unknown): string => {
  const text = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").trim();
  return text.length <= 300 ? text : `${text.slice(0, 299)}…`;
};

export const wouldHaveFlagged = (check: Check, linter: WouldFlagLinter, snippets: readonly CodeSnippet[]): WouldFlag => {
  const entry = linter === "eslint" ? check.rules.eslint : check.rules["typescript-eslint"];
  if (entry === undefined) return { ran: false, reason: `${check.id} has no ${linter} rule` };
  const typeChecked = "typeChecked" in entry && entry.typeChecked === true;
  const why = unrunnable(linter, entry.rule, typeChecked);
  if (why !== undefined) return { ran: false, reason: why };
  if (snippets.length === 0) return { ran: false, reason: "there are no commented snippets to check" };

  const runnable: { ext: string; code: string }[] = [];
  for (const s of snippets) {
    const ext = extensionOf(s.path);
    if (ext !== undefined) runnable.push({ ext, code: s.code });
  }
  const first = runnable[0];
  if (first === undefined) {
    return { ran: false, reason: `none of the ${String(snippets.length)} commented snippets is JavaScript or TypeScript` };
  }

  const linterInstance = new Linter({ cwd: "/" });
  const config = configFor(entry.rule, entry.options, linter === "typescript-eslint");
  const fileName = (i: number, ext: string): string => `/snippet-${String(i)}${ext}`;

  // Options the rule rejects make every verify throw: say so once instead of counting every snippet as unparsable.
  try {
    linterInstance.verify("", config, fileName(0, first.ext));
  } catch (e) {
    return { ran: false, reason: `${entry.rule} does not accept the check's options: ${oneLine(e)}` };
  }

  let total = 0;
  let flagged = 0;
  let unparsable = 0;
  let chars = 0;
  for (const { ext, code } of runnable) {
    if (total === MAX_SNIPPETS) break;
    const text = lastLines(code);
    chars += text?.length ?? 0;
    if (chars > MAX_TOTAL_CHARS) break;
    total += 1;
    if (text === undefined) {
      unparsable += 1;
      continue;
    }
    try {
      const messages = linterInstance.verify(text, config, fileName(total, ext));
      if (messages.some((m) => m.fatal === true)) unparsable += 1;
      else if (messages.some((m) => m.ruleId === entry.rule)) flagged += 1;
    } catch {
      // A rule that throws on odd code must not end the proposal. (ESLint itself reports a parser's stack overflow as a fatal message.)
      unparsable += 1;
    }
  }
  return { ran: true, flagged, total, unparsable };
};

export const renderWouldFlag = (w: WouldFlag): string => {
  if (!w.ran) return `not run: ${w.reason}`;
  const noun = w.total === 1 ? "snippet" : "snippets";
  const unparsed = w.unparsable === 0 ? "" : ` (${String(w.unparsable)} could not be parsed on ${w.unparsable === 1 ? "its" : "their"} own)`;
  return `would have flagged ${String(w.flagged)} of ${String(w.total)} commented ${noun}${unparsed}`;
};
