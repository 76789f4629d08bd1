import { codeSpan } from "../shared/markdown.js";
import { CONFIG_FILE, ConfigSchema, DEFAULT_CONFIG, type Config } from "./schema.js";

export interface ConfigIssue {
  /** Dotted path into the config, such as `authors.agents.0`; empty for the whole file. */
  path: string;
  message: string;
}

/**
 * The validation result, kept whole so the publish layer can show it to the
 * repo. An invalid config is never replaced by defaults: callers that write
 * must stop when `ok` is false.
 */
export type ConfigResult =
  | { ok: true; config: Config; source: "file" | "defaults" }
  | { ok: false; file: string; issues: ConfigIssue[]; message: string };

const FILE_PATH = `.github/${CONFIG_FILE}`;

export const parseConfig = (raw: unknown): ConfigResult => {
  if (raw === null || raw === undefined) return { ok: true, config: DEFAULT_CONFIG, source: "defaults" };
  const parsed = ConfigSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data, source: "file" };
  const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));
  return invalid(issues);
};

const invalid = (issues: ConfigIssue[]): ConfigResult => ({
  ok: false,
  file: FILE_PATH,
  issues,
  message: `Invalid ${FILE_PATH}: ${issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)).join("; ")}`,
});

/** What `loadRepoConfig` needs from a Probot context. */
export interface ConfigReader {
  config(fileName: string): Promise<unknown>;
}

/**
 * Read `.github/review-reviewer.yml` through Probot's `context.config`, so
 * org defaults in the org's `.github` repo and `_extends` apply. YAML errors
 * and schema errors become an invalid result; API failures (HTTP status)
 * are thrown, because they say nothing about the config.
 */
export const loadRepoConfig = async (reader: ConfigReader): Promise<ConfigResult> => {
  let raw: unknown;
  try {
    raw = await reader.config(CONFIG_FILE);
  } catch (e) {
    if (typeof e === "object" && e !== null && "status" in e && typeof e.status === "number") throw e;
    const message = e instanceof Error ? e.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, "") : String(e);
    const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message.split("\n")[0] ?? ""}` : "";
    return invalid([{ path: "", message: `${message}${cause}` }]);
  }
  return parseConfig(raw);
};

/** Markdown for showing a config result to the repo (used by the publish layer). */
export const renderConfigIssues = (result: ConfigResult): string => {
  if (result.ok) return "";
  // Paths and messages can repeat the file's own text (an unknown key): code spans keep it inert.
  const rows = result.issues.map((i) => `- ${codeSpan(i.path === "" ? "(file)" : i.path)}: ${codeSpan(i.message)}`);
  return [`**review-reviewer: invalid \`${result.file}\`.** Nothing is written until it is fixed.`, "", ...rows].join("\n");
};

