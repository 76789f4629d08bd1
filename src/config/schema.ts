import { Cron } from "croner";
import { z } from "zod";
import { DROP_REASONS } from "../learn/filter.js";
import { CATEGORIES } from "../learn/types.js";

/** Where a repo keeps its configuration, under `.github/` (read with `context.config`). */
export const CONFIG_FILE = "review-reviewer.yml";

const login = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]*(\[bot\])?$/, "must be a GitHub login, such as octocat or my-app[bot]");

/**
 * The one configuration schema. Every field has a default and a description;
 * `npm run schema` turns it into docs/review-reviewer.schema.json and the
 * README's configuration reference. Unknown keys are errors, so a typo never
 * silently falls back to a default.
 */
export const AuthorsSchema = z
  .strictObject({
    agents: z
      .array(login)
      .default([])
      .describe("Extra logins of AI coding agents whose pull requests and comments are tagged `agent`. Added to the built-in list."),
    useDefaultAgents: z
      .boolean()
      .default(true)
      .describe("Also recognise the built-in list of common coding agents (Copilot, Devin, Claude, Codex, Cursor, Jules, …)."),
    bots: z
      .array(login)
      .default([])
      .describe("Extra logins to treat as bots, such as service accounts without the `[bot]` suffix. Bot feedback never counts as human feedback."),
  })
  .describe("How authors are classified: human, bot, or AI agent.");

export const LearnSchema = z
  .strictObject({
    scope: z
      .enum(["repo", "org", "all"])
      .default("repo")
      .describe("Find patterns per repository (`repo`), across the organisation's repositories under the same installation (`org`), or across every repository given (`all`: offline analysis of a multi-repo export; the app treats it as `org`). Proposals quote only the repository's own comments; the others count."),
    minOccurrences: z.number().int().min(2).max(1000).default(3).describe("Comments a pattern needs inside the window to count as recurring."),
    minPullRequests: z.number().int().min(1).max(1000).default(3).describe("Distinct pull requests those comments must be on."),
    windowDays: z
      .number()
      .int()
      .min(1)
      .max(36500)
      .default(90)
      .describe("The recurrence window in days. It ends at the newest comment analysed, not at the wall clock."),
    keep: z
      .array(z.enum(DROP_REASONS))
      .default([])
      .describe("Comment kinds the actionable filter should keep rather than drop (by default bots, the PR author's replies, empty comments, bare agreement, praise and pure questions are dropped)."),
  })
  .describe("How recurring feedback is found.");

export const LlmSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .default(false)
      .describe("Let Claude merge clusters that say the same thing, write titles and check categories. Needs `ANTHROPIC_API_KEY`; without it the offline result is used and nothing touches the network."),
    model: z.string().min(1).max(100).default("claude-haiku-4-5").describe("The Claude model to use."),
    maxTokensPerRun: z.number().int().min(1000).max(5_000_000).default(60_000).describe("Token budget per run (input + output). Past it the remaining clusters keep their offline labels."),
    timeoutSeconds: z.number().int().min(1).max(600).default(30).describe("Per-call timeout; a call that takes longer falls back to the offline labels."),
  })
  .describe("Optional LLM refinement of learned patterns. It only labels and merges; it never causes a write.");

/** A cron expression croner accepts (5 or 6 fields, evaluated in UTC). */
const cron = z
  .string()
  .min(9)
  .max(100)
  .refine((pattern) => {
    try {
      return new Cron(pattern, { paused: true, timezone: "UTC" }).nextRun() !== null;
    } catch {
      return false;
    }
  }, "must be a cron expression that runs, such as `0 6 * * 1` (Mondays 06:00 UTC)");

export const EscalationSchema = z
  .strictObject({
    minOccurrences: z.number().int().min(2).max(10000).default(5).describe("Comments in the window for the impact to count as significant."),
    minSpread: z.number().int().min(1).max(1000).default(3).describe("Distinct authors (or pull requests, when authors are unknown) for the cause to count as systemic."),
    categories: z
      .array(z.enum(CATEGORIES))
      .default(["design", "process", "security"])
      .describe("Categories whose fix needs a decision or someone's authority, or is risky to automate: their significant, systemic patterns become escalation issues instead of PRs."),
  })
  .describe("When a pattern becomes an escalation issue (in the evidence template) instead of a pull request.");

export const ProposalsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe("Open proposal PRs and escalation issues. `false` keeps learning (and `analyze`) without any write to the repository."),
    schedule: cron.default("0 6 * * 1").describe("When the weekly run proposes fixes for this repository: a cron expression in UTC."),
    maxOpenProposals: z.number().int().min(0).max(50).default(3).describe("Proposal PRs and escalation issues the app keeps open at once in this repository; open ones are still updated."),
    maxNewPerRun: z.number().int().min(0).max(50).default(1).describe("New proposals one run may open."),
    guidelinesFile: z
      .string()
      .min(1)
      .max(200)
      .regex(/^(?!\/)(?!.*\.\.)(?!\.github\/workflows\/)[A-Za-z0-9._/-]+\.md$/, "must be a Markdown file path inside the repository (not under .github/workflows), such as CONTRIBUTING.md or docs/review.md")
      .default("CONTRIBUTING.md")
      .describe("The review guidelines file guideline PRs update (created when missing). Agent instruction files (AGENTS.md, CLAUDE.md, .github/copilot-instructions.md) are updated too, where present."),
    escalation: EscalationSchema.default({ minOccurrences: 5, minSpread: 3, categories: ["design", "process", "security"] }),
  })
  .describe("Proposals: the app's write budget (it never floods a repository), its schedule, and where guidelines go.");

export const ConfigSchema = z
  .strictObject({
    harvest: z
      .boolean()
      .default(true)
      .describe("Learn from this repository's reviews. `false` opts it out: no backfill, and its stored signals are deleted."),
    backfillDays: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .default(180)
      .describe("How far back the history backfill reads, in days, when the app is installed."),
    retentionDays: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe("Delete stored signals older than this many days; 0 keeps them."),
    authors: AuthorsSchema.default({ agents: [], useDefaultAgents: true, bots: [] }),
    learn: LearnSchema.default({ scope: "repo", minOccurrences: 3, minPullRequests: 3, windowDays: 90, keep: [] }),
    llm: LlmSchema.default({ enabled: false, model: "claude-haiku-4-5", maxTokensPerRun: 60_000, timeoutSeconds: 30 }),
    proposals: ProposalsSchema.default({
      enabled: true,
      schedule: "0 6 * * 1",
      maxOpenProposals: 3,
      maxNewPerRun: 1,
      guidelinesFile: "CONTRIBUTING.md",
      escalation: { minOccurrences: 5, minSpread: 3, categories: ["design", "process", "security"] },
    }),
  })
  .describe("review-reviewer configuration (.github/review-reviewer.yml). Org-wide defaults can live in the org's `.github` repository; `_extends` is supported.");

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

/** The JSON schema for editors, generated from the zod schema. */
export const configJsonSchema = (): Record<string, unknown> => ({
  $id: "https://github.com/review-reviewer/review-reviewer/blob/main/docs/review-reviewer.schema.json",
  ...z.toJSONSchema(ConfigSchema, { io: "input", target: "draft-2020-12" }),
});
