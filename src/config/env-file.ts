import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";

/**
 * The process environment as the app and the CLI see it: `.env` in the
 * working directory, read once at start, before anything reads a setting.
 *
 * Which wins: a value in `.env` wins over the same variable exported in the
 * environment, as Probot's own `run()` does (it applies `.env` over
 * `process.env`), so Probot and the app's settings always agree. An empty
 * value (`APP_SLUG=`, as in `.env.example`, or `docker run --env-file`)
 * counts as unset everywhere: it neither overrides an exported value nor
 * fails validation.
 */
export interface Environment {
  /** The merged variables, empty values removed. */
  env: Record<string, string>;
  /** The `.env` file read, or null when there was none. */
  file: string | null;
  /** Names whose value came from the file (for "found in .env" in doctor and the start-up line). */
  fromFile: ReadonlySet<string>;
}

export class EnvFileError extends Error {
  override readonly name = "EnvFileError";
}

/** Drops unset and empty values. */
export const withoutEmpty = (env: Record<string, string | undefined>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== "") out[k] = v;
  return out;
};

/**
 * `docker run --env-file .env` passes values literally, so the setup page's
 * `PRIVATE_KEY="-----BEGIN …\n…"` arrives with its quotes and `\n`
 * escapes. A PEM never starts with a quote: one pair is removed and the
 * escapes turned into newlines, as a .env parser would.
 */
export const unquoteKey = (value: string): string =>
  value.length >= 2 && value.startsWith('"') && value.endsWith('"') && value.includes("-----BEGIN") ? value.slice(1, -1).replace(/\\n/g, "\n") : value;

/** Merges a parsed `.env` over the environment (pure). */
export const mergeEnv = (processEnv: Record<string, string | undefined>, fileEnv: Record<string, string | undefined>): Omit<Environment, "file"> => {
  const fromFileValues = withoutEmpty(fileEnv);
  const env = { ...withoutEmpty(processEnv), ...fromFileValues };
  if (env.PRIVATE_KEY !== undefined) env.PRIVATE_KEY = unquoteKey(env.PRIVATE_KEY);
  return { env, fromFile: new Set(Object.keys(fromFileValues)) };
};

/** Reads `<cwd>/.env` (absent is fine; unreadable is an error naming the file) and merges it over `processEnv`. */
export const readEnvironment = (processEnv: Record<string, string | undefined>, cwd: string = process.cwd()): Environment => {
  const file = join(cwd, ".env");
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { ...mergeEnv(processEnv, {}), file: null };
    throw new EnvFileError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { ...mergeEnv(processEnv, parseEnv(text)), file };
};
