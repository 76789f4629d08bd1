import { z } from "zod";

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
  })
  .describe("review-reviewer configuration (.github/review-reviewer.yml). Org-wide defaults can live in the org's `.github` repository; `_extends` is supported.");

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});

/** The JSON schema for editors, generated from the zod schema. */
export const configJsonSchema = (): Record<string, unknown> => ({
  $id: "https://github.com/review-reviewer/review-reviewer/blob/main/docs/review-reviewer.schema.json",
  ...z.toJSONSchema(ConfigSchema, { io: "input", target: "draft-2020-12" }),
});
