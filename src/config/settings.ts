import { z } from "zod";
import { DEFAULT_AGENT_LOGINS } from "../signals/actor.js";
import { withoutEmpty } from "./env-file.js";

const list = z
  .string()
  .optional()
  .transform((v) => (v ?? "").split(",").map((s) => s.trim()).filter((s) => s.length > 0));

/**
 * Process-wide settings from the environment (Probot reads its own: APP_ID,
 * PRIVATE_KEY, WEBHOOK_SECRET, PORT, HOST, LOG_LEVEL). Invalid values stop
 * the app at start with a message naming the variable. An empty value counts
 * as unset. Nothing here is required: each command checks what it uses
 * (the server its webhook secret, backfill and run their credentials).
 */
export const SettingsSchema = z.object({
  DATA_DIR: z.string().min(1).default("./data").describe("Where the embedded store keeps its files."),
  STORE: z.enum(["lowdb"]).default("lowdb").describe("The signal store backend."),
  APP_ID: z.coerce.number().int().positive().optional().describe("This app's id, to recognise its own comments."),
  APP_SLUG: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional()
    .describe("This app's slug, to recognise comments by <slug>[bot]."),
  AGENT_LOGINS: list.describe("Comma-separated AI agent logins, added to the built-in list when recording."),
  BOT_LOGINS: list.describe("Comma-separated logins to record as bots."),
  ANTHROPIC_API_KEY: z.string().optional().describe("Enables the optional Claude refinement where a repository sets `llm.enabled`. Never logged."),
  ANTHROPIC_BASE_URL: z.url().optional().describe("Another endpoint for the Anthropic API (a proxy)."),
});

export interface Settings {
  dataDir: string;
  store: "lowdb";
  appId: number | null;
  appSlug: string | null;
  agentLogins: string[];
  botLogins: string[];
  anthropicApiKey: string | null;
  anthropicBaseUrl: string | null;
}

export class SettingsError extends Error {
  override readonly name = "SettingsError";
}

export const loadSettings = (env: Record<string, string | undefined>): Settings => {
  const parsed = SettingsSchema.safeParse(withoutEmpty(env));
  if (!parsed.success) {
    const msg = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new SettingsError(`invalid environment: ${msg}`);
  }
  const s = parsed.data;
  return {
    dataDir: s.DATA_DIR,
    store: s.STORE,
    appId: s.APP_ID ?? null,
    appSlug: s.APP_SLUG ?? null,
    agentLogins: [...DEFAULT_AGENT_LOGINS, ...s.AGENT_LOGINS],
    botLogins: s.BOT_LOGINS,
    anthropicApiKey: s.ANTHROPIC_API_KEY ?? null,
    anthropicBaseUrl: s.ANTHROPIC_BASE_URL ?? null,
  };
};

/** Probot's public default webhook secret: anyone can sign deliveries with it. */
export const PROBOT_DEFAULT_SECRET = "development";

/**
 * What stops the server from receiving webhooks safely, or null. With an app
 * id, a missing secret would make Probot verify with its public default
 * (`development`), so anyone could forge deliveries: refused, as is that
 * default itself.
 */
export const webhookSecretProblem = (env: Record<string, string | undefined>): string | null => {
  const e = withoutEmpty(env);
  if (e.APP_ID === undefined) return null;
  if (e.WEBHOOK_SECRET === undefined) return "WEBHOOK_SECRET is required when APP_ID is set (copy the webhook secret from the app's settings page into .env)";
  if (e.WEBHOOK_SECRET === PROBOT_DEFAULT_SECRET) return `WEBHOOK_SECRET must not be Probot's public default "${PROBOT_DEFAULT_SECRET}": anyone could sign deliveries with it`;
  return null;
};

/** A PRIVATE_KEY_PATH that holds a key (pasted into the wrong variable): it must never be echoed as a path. */
export const looksLikeKey = (value: string): boolean => value.includes("-----BEGIN") || value.includes("\n") || value.length > 512;

/** What is wrong with PRIVATE_KEY_PATH, without repeating its value, or null. */
export const privateKeyPathProblem = (env: Record<string, string | undefined>): string | null => {
  const e = withoutEmpty(env);
  if (e.PRIVATE_KEY !== undefined || e.PRIVATE_KEY_PATH === undefined) return null;
  return looksLikeKey(e.PRIVATE_KEY_PATH) ? "PRIVATE_KEY_PATH holds a key, not a path: put the key in PRIVATE_KEY, or the path of the .pem file in PRIVATE_KEY_PATH" : null;
};

/**
 * The GitHub REST API the app talks to, for clients built outside Probot
 * (the CLI, doctor): Probot's GHE_HOST (and GHE_PROTOCOL) for GitHub
 * Enterprise Server, else GITHUB_API_URL (set by GitHub Actions), else
 * undefined (api.github.com).
 */
export const githubApiUrl = (env: Record<string, string | undefined>): string | undefined => {
  const e = withoutEmpty(env);
  if (e.GHE_HOST !== undefined) return `${e.GHE_PROTOCOL ?? "https"}://${e.GHE_HOST}/api/v3`;
  return e.GITHUB_API_URL;
};
