import { z } from "zod";

/**
 * A learned check (`.github/review-reviewer/checks/<id>.yml`): recurring
 * review feedback that no linter rule covers, written as line patterns over
 * the lines a pull request adds. The app enforces each file as annotations of
 * one GitHub check run.
 *
 * Everything in a check file is untrusted data: patterns and globs are
 * compiled with RE2 (linear time, no backreferences or lookaround) by
 * compile.ts, never with JavaScript's RegExp. Unknown keys are errors, so a
 * typo never silently turns a check off.
 */

/** Where a repository keeps its learned checks, one file per check. */
export const LEARNED_CHECKS_DIR = ".github/review-reviewer/checks";

/** Limits of one check file; compile.ts enforces the same numbers on patterns and globs compiled directly. */
export const LEARNED_CHECK_LIMITS = {
  idLength: 63,
  titleLength: 100,
  messageLength: 1000,
  globs: 50,
  globLength: 200,
  patterns: 100,
  patternLength: 500,
  evidence: 50,
  urlLength: 2000,
} as const;

const L = LEARNED_CHECK_LIMITS;

export const LearnedCheckIdSchema = z
  .string()
  .min(1)
  .max(L.idLength)
  .regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, "must be kebab-case: lower-case words joined by single hyphens, such as no-sleep-in-tests")
  .describe("The check's id, kebab-case. It must equal the file's base name (no-sleep-in-tests.yml has id no-sleep-in-tests).");

const glob = z
  .string()
  .min(1, "must not be empty")
  .max(L.globLength)
  .describe(
    "A glob over the repository path, matched against the whole path: `*` and `?` stay inside one directory, `**` spans directories (`**/*.ts` is any .ts file, `*.ts` only those at the root), `{a,b}` alternatives, `[abc]`, `[a-z]` and `[!abc]` character classes, `\\` escapes the next character. Every other character is literal.",
  );

const globs = (what: string) =>
  z
    .array(glob)
    .max(L.globs, `takes at most ${String(L.globs)} ${what} globs`);

const pattern = z
  .string()
  .min(1, "must not be empty")
  .max(L.patternLength)
  .describe("An RE2 regular expression (https://github.com/google/re2/wiki/Syntax) tested against each added line, without its line ending. No backreferences or lookaround; use (?i) for case-insensitive matching.");

export const LearnedCheckSchema = z
  .strictObject({
    id: LearnedCheckIdSchema,
    title: z
      .string()
      .min(1)
      .max(L.titleLength)
      .regex(/^[^\r\n]*$/, "must be one line")
      .describe("A short title, shown as the annotation's title."),
    message: z
      .string()
      .min(1)
      .max(L.messageLength)
      .describe("What to do instead, shown on every flagged line (the annotation's message)."),
    severity: z
      .enum(["notice", "warning", "failure"])
      .describe("The annotation level. Any `failure` makes the check run fail; `warning` alone makes it neutral; `notice` alone leaves it successful."),
    paths: z
      .strictObject({
        include: globs("include").min(1, "needs at least one glob (use ** for every file)").default(["**"]).describe("Files the check applies to (default: every file)."),
        exclude: globs("exclude").default([]).describe("Files the check skips even when included, such as generated code or fixtures."),
      })
      .default({ include: ["**"], exclude: [] })
      .describe("Which files the check reads, as globs over repository paths."),
    pattern: z
      .union([pattern, z.array(pattern).min(1, "needs at least one pattern").max(L.patterns, `takes at most ${String(L.patterns)} patterns`)])
      .describe("The pattern an added line must match to be flagged, or a list of patterns of which any may match."),
    unless: pattern
      .optional()
      .describe("An RE2 regular expression: a line that matches it is not flagged, even when it matches `pattern` (such as an explicit opt-out comment)."),
    evidence: z
      .array(
        z
          .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
          .max(L.urlLength),
      )
      .max(L.evidence, `takes at most ${String(L.evidence)} URLs`)
      .default([])
      .describe("Links to the review comments this check was learned from."),
  })
  .describe(`A learned check (${LEARNED_CHECKS_DIR}/<id>.yml): recurring review feedback enforced on the lines a pull request adds.`);

/** A parsed check file, defaults applied. */
export type LearnedCheck = z.infer<typeof LearnedCheckSchema>;
export type LearnedCheckSeverity = LearnedCheck["severity"];

/** The JSON schema for editors, generated from the zod schema (docs/learned-check.schema.json). */
export const learnedCheckJsonSchema = (): Record<string, unknown> => ({
  $id: "https://github.com/review-reviewer/review-reviewer/blob/main/docs/learned-check.schema.json",
  ...z.toJSONSchema(LearnedCheckSchema, { io: "input", target: "draft-2020-12" }),
});

export interface LearnedCheckIssue {
  /** Dotted path of the field, such as `pattern.2` or `paths.include.0`; empty for the whole file. */
  path: string;
  message: string;
}

type ZodIssue = z.core.$ZodIssue;

const isTypeMismatch = (branch: readonly ZodIssue[]): boolean => branch.length === 1 && branch[0]?.code === "invalid_type" && branch[0].path.length === 0;

/**
 * Zod's issues as field paths and messages. A union (`pattern`: a string or
 * a list) reports the branch that matches the value's type, so a list of 101
 * patterns reads "takes at most 100 patterns", not "Invalid input".
 */
export const learnedCheckIssues = (issues: readonly ZodIssue[], prefix: readonly PropertyKey[] = []): LearnedCheckIssue[] =>
  issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union") {
      const fitting = issue.errors.filter((branch) => !isTypeMismatch(branch));
      const only = fitting[0];
      if (fitting.length === 1 && only !== undefined) return learnedCheckIssues(only, path);
      if (fitting.length === 0) {
        const expected = issue.errors.flatMap((b) => (b[0]?.code === "invalid_type" ? [b[0].expected] : []));
        return [{ path: path.map(String).join("."), message: `expected ${expected.join(" or ")}` }];
      }
    }
    return [{ path: path.map(String).join("."), message: issue.message }];
  });
