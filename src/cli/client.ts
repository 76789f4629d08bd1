import { githubApiUrl, privateKeyPathProblem } from "../config/settings.js";
import { readFile } from "node:fs/promises";
import { createOctokit, type OctokitLike } from "../github/api.js";
import { errorMessage, SetupError } from "./errors.js";

/** How `backfill` and `run` authenticate. */
export type Credentials = { kind: "app"; appId: number; privateKey: string } | { kind: "token"; token: string };

/** The variables the CLI reads credentials from; empty values count as unset (the Actions example passes `APP_ID: ""`). */
const value = (env: Record<string, string | undefined>, name: string): string | undefined => {
  const v = env[name];
  return v === undefined || v.trim() === "" ? undefined : v;
};

/**
 * The app's own credentials (APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH)
 * when they are complete, else GITHUB_TOKEN (or GH_TOKEN). `note` is called
 * when half of the app's credentials are set and the token is used instead.
 * Throws SetupError naming the variables when neither is usable.
 */
export const chooseCredentials = async (env: Record<string, string | undefined>, note: (line: string) => void): Promise<Credentials> => {
  const appIdText = value(env, "APP_ID");
  const keyPath = value(env, "PRIVATE_KEY_PATH");
  const inlineKey = value(env, "PRIVATE_KEY");
  const token = value(env, "GITHUB_TOKEN") ?? value(env, "GH_TOKEN");
  const hasKey = inlineKey !== undefined || keyPath !== undefined;
  if (appIdText !== undefined && hasKey) {
    const appId = Number(appIdText);
    if (!Number.isInteger(appId) || appId <= 0) throw new SetupError(`APP_ID must be the app's numeric id: ${appIdText}`);
    let privateKey = inlineKey;
    const pasted = privateKeyPathProblem(env);
    if (pasted !== null) throw new SetupError(pasted);
    if (privateKey === undefined && keyPath !== undefined) {
      try {
        privateKey = await readFile(keyPath, "utf8");
      } catch (e) {
        throw new SetupError(`cannot read PRIVATE_KEY_PATH ${keyPath}: ${errorMessage(e)}`);
      }
    }
    if (privateKey !== undefined) return { kind: "app", appId, privateKey };
  }
  const half = appIdText !== undefined ? "APP_ID is set without PRIVATE_KEY or PRIVATE_KEY_PATH" : hasKey ? "PRIVATE_KEY or PRIVATE_KEY_PATH is set without APP_ID" : null;
  if (token !== undefined) {
    if (half !== null) note(`${half}: using GITHUB_TOKEN`);
    return { kind: "token", token };
  }
  throw new SetupError(
    half === null ? "needs GitHub credentials: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH" : `${half}: set the missing one, or GITHUB_TOKEN`,
  );
};

export interface CliClient {
  octokit: OctokitLike;
  /** The installation the app's credentials act as; null with a token. */
  installationId: number | null;
  /** The login the client's writes appear under (its own PRs and issues are found by it). */
  login: () => Promise<string>;
}

export interface ClientContext {
  env: Record<string, string | undefined>;
  /** Rate-limit waits. */
  onLimit: (line: string) => void;
  /** Which credentials were passed over, and why. */
  note: (line: string) => void;
}

/** A client for one repository: the app acting as its installation there, or the token's. */
export const cliClient = async (ctx: ClientContext, owner: string, repo: string): Promise<CliClient> => {
  const credentials = await chooseCredentials(ctx.env, ctx.note);
  const baseUrl = githubApiUrl(ctx.env);
  const common = { onLimit: ctx.onLimit, ...(baseUrl !== undefined ? { baseUrl } : {}) };
  if (credentials.kind === "app") {
    // The app's own credentials: its PRs then trigger CI, and carry its name.
    const { appId, privateKey } = credentials;
    const asApp = createOctokit({ app: { appId, privateKey }, ...common });
    const installationId = (await asApp.rest.apps.getRepoInstallation({ owner, repo })).data.id;
    return {
      octokit: createOctokit({ app: { appId, privateKey, installationId }, ...common }),
      installationId,
      login: async () => {
        const app = (await asApp.rest.apps.getAuthenticated()).data;
        if (app?.slug === undefined) throw new Error("GitHub did not say the app's slug; pass --as LOGIN");
        return `${app.slug}[bot]`;
      },
    };
  }
  const octokit = createOctokit({ token: credentials.token, ...common });
  return {
    octokit,
    installationId: null,
    login: async () => {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (e) {
        // GitHub Actions' GITHUB_TOKEN is an installation token: it cannot read /user, and writes as github-actions[bot].
        if (ctx.env.GITHUB_ACTIONS === "true") return "github-actions[bot]";
        throw e;
      }
    },
  };
};
