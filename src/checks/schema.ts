import { z } from "zod";
import { CATEGORIES } from "../learn/types.js";
import { MARKDOWNLINT_COMMON_OPTIONS, MARKDOWNLINT_RULES } from "./markdownlint-rules.js";
import { RUFF_CODES, RUFF_VERSION } from "./ruff-codes.js";

/**
 * One catalog check (`checks/<id>.yml`): the review phrases it answers, the
 * rule that enforces it in each linter, and a guideline sentence. Unknown
 * keys are errors. Names are checked here as far as a pinned list allows
 * (ruff codes, markdownlint ids and option names); ESLint and
 * typescript-eslint rule names and options are checked against the installed
 * packages by the catalog test, since those are not runtime dependencies.
 */

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const CheckIdSchema = z
  .string()
  .max(60)
  .regex(KEBAB, "must be kebab-case: lower-case words joined by single hyphens, such as no-unused-imports");

const sentence = (what: string, max: number): z.ZodString =>
  z
    .string()
    .max(max)
    .regex(/^[A-Z0-9`"(]/, `${what} must start with a capital letter`)
    .regex(/[.!?]$/, `${what} must end with a full stop`)
    .regex(/^[^\n]*$/, `${what} must be one line (use a folded scalar, >-)`);

/** A phrase is matched as a sequence of words, so it holds words only. */
const phrase = z
  .string()
  .min(3)
  .max(80)
  .refine((s) => s === s.toLowerCase(), "must be lower case, as reviewers write it")
  .regex(/^[a-z0-9]+(['-]?[a-z0-9]+)*( [a-z0-9]+(['-]?[a-z0-9]+)*)*$/, "must be plain words separated by single spaces (no code, quotes or punctuation: those never reach the matcher)");

const keyword = z
  .string()
  .regex(/^[a-z][a-z_]+$/, "must be one lower-case word (letters and underscores), such as unused or import");

const unique = <T extends z.ZodType>(item: T, min: number, max: number, what: string) =>
  z
    .array(item)
    .min(min, `needs at least ${String(min)} ${what}`)
    .max(max, `takes at most ${String(max)} ${what}`)
    .refine((xs) => new Set(xs).size === xs.length, `${what} must not repeat`);

const severity = z.enum(["error", "warn"], { error: 'the first entry must be the severity, "error" or "warn"' });

/** The full ESLint rule entry: severity, then the rule's options. */
export const RuleEntrySchema = z.tuple([severity], z.json());

const eslintRuleName = z
  .string()
  .regex(/^[a-z]+(-[a-z]+)*$/, "must be an ESLint core rule name, such as no-unused-vars (plugin rules go under their plugin's key)");

const tsRuleName = z
  .string()
  .regex(/^@typescript-eslint\/[a-z]+(-[a-z]+)*$/, "must be a typescript-eslint rule name, such as @typescript-eslint/no-unused-vars");

const eslintRule = (name: z.ZodString) => z.strictObject({ rule: name, options: RuleEntrySchema });

/** typescript-eslint rules may need type information: proposing one to a repo whose config has none would break its lint. */
const tsRule = z.strictObject({
  rule: tsRuleName,
  options: RuleEntrySchema,
  typeChecked: z.boolean().optional().describe("true when the rule needs type information (parserOptions.projectService)"),
});

const ruffCode = z.string().refine((c) => RUFF_CODES.has(c), {
  error: (issue) => `${String(issue.input)} is not in the pinned ruff codes (src/checks/ruff-codes.ts, ruff ${RUFF_VERSION})`,
});

const markdownlint = z
  .strictObject({
    rule: z.string().refine((r) => MARKDOWNLINT_RULES.has(r), {
      error: (issue) => `${String(issue.input)} is not a markdownlint rule id (MD001…MD060, see src/checks/markdownlint-rules.ts)`,
    }),
    options: z.record(z.string(), z.json()).optional(),
  })
  .superRefine((md, ctx) => {
    const known = MARKDOWNLINT_RULES.get(md.rule);
    if (known === undefined || md.options === undefined) return;
    for (const key of Object.keys(md.options)) {
      if (!known.options.includes(key) && !MARKDOWNLINT_COMMON_OPTIONS.includes(key)) {
        const allowed = [...known.options, ...MARKDOWNLINT_COMMON_OPTIONS].join(", ");
        ctx.addIssue({ code: "custom", path: ["options", key], message: `${md.rule} has no option ${key} (it takes: ${allowed})` });
      }
    }
  });

/** The linters a check can name, as keys of `rules`. */
export const LINTER_KEYS = ["eslint", "typescript-eslint", "ruff", "markdownlint"] as const;

export const RulesSchema = z
  .strictObject({
    eslint: eslintRule(eslintRuleName).optional(),
    "typescript-eslint": tsRule.optional(),
    ruff: z.strictObject({ codes: unique(ruffCode, 1, 12, "ruff codes") }).optional(),
    markdownlint: markdownlint.optional(),
  })
  .refine((r) => LINTER_KEYS.some((k) => r[k] !== undefined), "needs at least one enforcing rule (eslint, typescript-eslint, ruff or markdownlint)");

export const CheckSchema = z.strictObject({
  id: CheckIdSchema,
  title: z
    .string()
    .min(5)
    .max(80)
    .regex(/^[A-Z]/, "must start with a capital letter (an imperative, such as Remove unused imports)")
    // Proposals read "Reviewers keep asking to <title>", so the title says what to do.
    .refine((t) => !/^(don't|do not|never|no)\b/i.test(t), "must say what to do, not what to avoid (Remove eval calls, not Don't use eval)")
    .regex(/[^.\s]$/, "must not end with a full stop or space"),
  description: sentence("the description", 400).refine((s) => (s.match(/[.!?](\s|$)/g) ?? []).length <= 3, "must be 1 to 3 sentences"),
  category: z.enum(CATEGORIES),
  phrases: unique(phrase, 3, 8, "phrases"),
  keywords: unique(keyword, 2, 10, "keywords"),
  rules: RulesSchema,
  guideline: sentence("the guideline", 200).refine((s) => !/[.!?]\s+[A-Z]/.test(s), "must be one sentence"),
});

export type Check = z.infer<typeof CheckSchema>;
export type RuleEntry = z.infer<typeof RuleEntrySchema>;
