import { createPrivateKey } from "node:crypto";
import { getPrivateKey } from "@probot/get-private-key";
import { readdir, readFile, rm, statfs, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import type { Environment } from "../config/env-file.js";
import { looksLikeKey, PROBOT_DEFAULT_SECRET, type Settings } from "../config/settings.js";
import { createOctokit } from "../github/api.js";
import { lockState } from "../store/lock.js";
import { lowdbDirectory } from "../store/registry.js";

/**
 * What is switched on, read from the environment, the disk and GitHub: the
 * facts behind the start-up line and `review-reviewer doctor`. Reading only:
 * the one write is a probe file in DATA_DIR, removed at once. No secret is
 * ever part of a fact (only whether it is set and where it came from).
 */
export type Source = "env-file" | "environment" | "github";

export interface KeyFact {
  state: "ok" | "missing" | "unreadable" | "invalid";
  /** PRIVATE_KEY, PRIVATE_KEY_PATH (the path is no secret), or a *.pem found in the folder, as Probot does. */
  from: string | null;
  detail: string | null;
}

export interface StoreFact {
  backend: Settings["store"];
  dataDir: string;
  writable: boolean;
  error: string | null;
  freeBytes: number | null;
  /** The writer's lock: free, held by a live process (this one, or the running app), or stale. */
  lock: { state: "free" | "held" | "stale"; pid: number | null };
}

export interface GitHubFact {
  checked: boolean;
  /** Why not checked, or why the check failed. */
  error: string | null;
  slug: string | null;
  missingPermissions: { name: string; need: string; granted: string | null }[];
  missingEvents: string[];
}

export interface SetupFacts {
  envFile: string | null;
  appId: number | null;
  appIdFrom: Source | null;
  slug: string | null;
  slugFrom: Source | null;
  webhookSecret: "set" | "missing" | "default";
  webhookProxy: string | null;
  /** NODE_ENV=production (Probot's switch: no setup page, no proxy channel created). */
  production: boolean;
  key: KeyFact;
  store: StoreFact;
  llmKey: boolean;
  github: GitHubFact;
}

/** The manifest the app registers with (app.yml): the permissions and events the features need. */
export interface Manifest {
  permissions: Record<string, string>;
  events: string[];
}

/** app.yml ships at the package root, beside dist/ and src/. */
export const APP_YML = fileURLToPath(new URL("../../app.yml", import.meta.url));

export const readManifest = async (path: string = APP_YML): Promise<Manifest> => {
  const raw = parseYaml(await readFile(path, "utf8")) as { default_permissions?: Record<string, string>; default_events?: string[] } | null;
  return { permissions: raw?.default_permissions ?? {}, events: raw?.default_events ?? [] };
};

const source = (name: string, env: Environment): Source | null => (env.env[name] === undefined ? null : env.fromFile.has(name) ? "env-file" : "environment");

/** PRIVATE_KEY_PATH as it may be shown. */
const shownPath = (value: string): string => (looksLikeKey(value) ? "(a key, not a path: put it in PRIVATE_KEY)" : value);

/**
 * The private key exactly as Probot finds it (@probot/get-private-key:
 * PRIVATE_KEY as PEM, one line or base64; PRIVATE_KEY_PATH; else the one
 * *.pem in the folder), then parsed as a key. Its text is never part of a fact.
 */
export const readPrivateKey = (env: Record<string, string>, cwd: string): { fact: KeyFact; pem: string | null } => {
  const from =
    env.PRIVATE_KEY !== undefined ? "PRIVATE_KEY" : env.PRIVATE_KEY_PATH !== undefined ? `PRIVATE_KEY_PATH (${shownPath(env.PRIVATE_KEY_PATH)})` : "a .pem file in the folder";
  if (env.PRIVATE_KEY === undefined && env.PRIVATE_KEY_PATH !== undefined && looksLikeKey(env.PRIVATE_KEY_PATH)) {
    return { fact: { state: "invalid", from, detail: "PRIVATE_KEY_PATH holds a key: move it to PRIVATE_KEY" }, pem: null };
  }
  let pem: string | null;
  try {
    pem = getPrivateKey({ env, cwd });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const state = /does not exist|ENOENT|EACCES|EISDIR/i.test(message) ? "unreadable" : /more than one/i.test(message) ? "missing" : "invalid";
    const detail = state === "unreadable" ? "no such readable file" : state === "missing" ? "several .pem files in the folder: set PRIVATE_KEY_PATH" : "not a PEM private key";
    return { fact: { state, from, detail }, pem: null };
  }
  if (pem === null) return { fact: { state: "missing", from: null, detail: null }, pem: null };
  try {
    createPrivateKey(pem);
  } catch {
    return { fact: { state: "invalid", from, detail: "not a PEM private key" }, pem: null };
  }
  return { fact: { state: "ok", from, detail: null }, pem };
};

/** The nearest folder that exists at or above `path` (DATA_DIR is created at start when missing). */
const existingAncestor = async (path: string): Promise<string> => {
  let dir = path;
  for (;;) {
    try {
      await readdir(dir);
      return dir;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" || dirname(dir) === dir) return dir;
      dir = dirname(dir);
    }
  }
};

export const storeFacts = async (settings: Pick<Settings, "dataDir" | "store">, cwd: string): Promise<StoreFact> => {
  const dataDir = resolve(cwd, settings.dataDir);
  // Probe the folder, or the nearest existing one above it (the app creates DATA_DIR at start): nothing else is created.
  const target = await existingAncestor(dataDir);
  let writable = false;
  let error: string | null = null;
  const probe = join(target, `.review-reviewer-doctor-${String(process.pid)}`);
  try {
    await writeFile(probe, "", { flag: "wx" });
    await rm(probe, { force: true });
    writable = true;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    error = `${target === dataDir ? dataDir : `${target} (to create ${dataDir})`}: ${err.code ?? err.message}`;
  }
  const freeBytes = await statfs(target).then((fs) => fs.bavail * fs.bsize, () => null);
  return { backend: settings.store, dataDir, writable, error, freeBytes, lock: await lockState(lowdbDirectory(dataDir)) };
};

const LEVEL = { none: 0, read: 1, write: 2, admin: 3 } as const satisfies Record<string, number>;
const level = (v: string | null | undefined): number => (v === null || v === undefined ? 0 : (LEVEL as Record<string, number>)[v] ?? 0);

/** What app.yml needs and the registration does not grant (pure). */
export const compareGrants = (
  manifest: Manifest,
  granted: { permissions: Record<string, string | undefined>; events: string[] },
): Pick<GitHubFact, "missingPermissions" | "missingEvents"> => ({
  missingPermissions: Object.entries(manifest.permissions)
    .filter(([name, need]) => level(granted.permissions[name]) < level(need))
    .map(([name, need]) => ({ name, need, granted: granted.permissions[name] ?? null })),
  missingEvents: manifest.events.filter((e) => !granted.events.includes(e)),
});

export interface GitHubCheckOptions {
  baseUrl?: string;
  /** Tests: no waiting between retries. */
  retries?: number;
}

/** The part of `GET /app` read here. */
export interface AppRegistration {
  slug?: string | undefined;
  permissions?: Record<string, string | undefined> | undefined;
  events?: string[] | undefined;
}

/** The registration could not be (or was not) checked, and why. */
export const notChecked = (error: string): GitHubFact => ({ checked: false, error, slug: null, missingPermissions: [], missingEvents: [] });

/** The app's registration (one `GET /app`) against app.yml; a failure is a fact, not an exception. */
export const githubFactsFrom = async (getApp: () => Promise<AppRegistration | null>, manifest: Manifest): Promise<GitHubFact> => {
  try {
    const data = await getApp();
    if (data === null) return notChecked("GitHub returned no app");
    return { checked: true, error: null, slug: data.slug ?? null, ...compareGrants(manifest, { permissions: data.permissions ?? {}, events: data.events ?? [] }) };
  } catch (e) {
    const status = (e as { status?: unknown }).status;
    const reason =
      status === 401
        ? "GitHub refused the app's token (401): APP_ID and the private key do not belong together, or the key was revoked"
        : `GET /app failed: ${typeof status === "number" ? `HTTP ${String(status)}: ` : ""}${e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e)}`;
    return notChecked(reason);
  }
};

/** `GET /app` as the app (a JWT from APP_ID and the key). */
export const githubFacts = async (appId: number | null, pem: string | null, manifest: Manifest, options: GitHubCheckOptions = {}): Promise<GitHubFact> => {
  if (appId === null || pem === null) return notChecked("needs APP_ID and a readable private key");
  const octokit = createOctokit({ app: { appId, privateKey: pem }, retries: options.retries ?? 0, ...(options.baseUrl !== undefined ? { baseUrl: options.baseUrl } : {}) });
  return githubFactsFrom(async () => (await octokit.rest.apps.getAuthenticated()).data, manifest);
};

export interface GatherOptions extends GitHubCheckOptions {
  cwd?: string;
  manifestPath?: string;
  /** Skip `GET /app`. */
  offline?: boolean;
  /** The registration already asked of GitHub (the app at start-up, through Probot's client). */
  github?: GitHubFact;
}

/** Everything doctor reports, from the merged environment and settings. */
export const gatherFacts = async (environment: Environment, settings: Settings, options: GatherOptions = {}): Promise<SetupFacts> => {
  const cwd = options.cwd ?? process.cwd();
  const env = environment.env;
  const { fact: key, pem } = readPrivateKey(env, cwd);
  const github =
    options.github ??
    (options.offline === true ? notChecked("not asked") : await githubFacts(settings.appId, pem, await readManifest(options.manifestPath), options));
  return {
    envFile: environment.file,
    appId: settings.appId,
    appIdFrom: source("APP_ID", environment),
    slug: settings.appSlug ?? github.slug,
    slugFrom: settings.appSlug !== null ? source("APP_SLUG", environment) : github.slug !== null ? "github" : null,
    webhookSecret: env.WEBHOOK_SECRET === undefined ? "missing" : env.WEBHOOK_SECRET === PROBOT_DEFAULT_SECRET ? "default" : "set",
    webhookProxy: env.WEBHOOK_PROXY_URL ?? null,
    production: env.NODE_ENV === "production",
    key,
    store: await storeFacts(settings, cwd),
    llmKey: settings.anthropicApiKey !== null,
    github,
  };
};
