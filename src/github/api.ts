import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

/**
 * The slice of Octokit the readers use, so jobs can be driven by a Probot
 * installation client, a token client (CLI) or a test fake alike. Every
 * request is counted: the backfill reports what it spent.
 */
export interface GitHubApi {
  /** A REST GET; `route` like "GET /repos/{owner}/{repo}/pulls". */
  get(route: string, params: Record<string, string | number>): Promise<{ data: unknown; headers: Record<string, string | number | undefined> }>;
  graphql(query: string, variables: Record<string, string | number | boolean | null>): Promise<unknown>;
  /** Requests sent so far, retries included. */
  requests(): number;
}

/** The Octokit the app and the CLI use (Probot's, with its plugins). */
export type OctokitLike = InstanceType<typeof ProbotOctokit>;

/** HTTP requests really sent by clients made with createOctokit, retries included. */
const sentByClient = new WeakMap<OctokitLike, { count: number }>();

export const createGitHubApi = (octokit: OctokitLike): GitHubApi => {
  // Clients from createOctokit count at the fetch level (every retry too);
  // others (a Probot context's client) count the calls made.
  let calls = 0;
  octokit.hook.before("request", () => {
    calls += 1;
  });
  const sent = sentByClient.get(octokit);
  const count = (): number => sent?.count ?? calls;
  return {
    get: async (route, params) => {
      const res = await octokit.request(route, params);
      return { data: res.data as unknown, headers: res.headers };
    },
    graphql: (query, variables) => octokit.graphql(query, variables),
    requests: count,
  };
};

export interface ClientOptions {
  /** A token (GITHUB_TOKEN): the simplest way to run the CLI. */
  token?: string;
  /** Or the app's own credentials and the installation to act as. */
  app?: { appId: number; privateKey: string; installationId?: number };
  baseUrl?: string;
  /** Called when GitHub rate-limits us; the client waits and retries. */
  onLimit?: (message: string) => void;
  /** Rate-limit retries before giving up (default 5). */
  maxLimitRetries?: number;
  /** Tests shrink GitHub's retry-after seconds to milliseconds. */
  retryAfterBaseValue?: number;
  /** Spacing of GraphQL and write requests (default 1,000 ms, GitHub's guidance against secondary limits). */
  writeSpacingMs?: number;
  /** Retries of 5xx responses (default 3). */
  retries?: number;
}

/**
 * An Octokit for the CLI and jobs, with Probot's plugins: throttling (primary
 * and secondary rate limits are waited out and retried) and retry of
 * transient server errors.
 */
export const createOctokit = (opts: ClientOptions): OctokitLike => {
  const maxRetries = opts.maxLimitRetries ?? 5;
  const onLimit = (kind: string) => (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number): boolean => {
    opts.onLimit?.(`${kind} rate limit on ${options.method} ${options.url}; retry ${String(retryCount + 1)} in ${String(retryAfter)} s`);
    return retryCount < maxRetries;
  };
  const auth = opts.token !== undefined ? { token: opts.token } : opts.app;
  if (auth === undefined) throw new Error("GitHub credentials needed: set GITHUB_TOKEN, or APP_ID, PRIVATE_KEY and an installation");
  const sent = { count: 0 };
  const countingFetch: typeof fetch = (input, init) => {
    sent.count += 1;
    return fetch(input, init);
  };
  const octokit = new ProbotOctokit({
    request: { fetch: countingFetch },
    auth,
    ...(opts.baseUrl !== undefined ? { baseUrl: opts.baseUrl } : {}),
    throttle: {
      enabled: true,
      onRateLimit: onLimit("primary"),
      onSecondaryRateLimit: onLimit("secondary"),
      ...(opts.retryAfterBaseValue !== undefined ? { retryAfterBaseValue: opts.retryAfterBaseValue } : {}),
      ...(opts.writeSpacingMs !== undefined
        ? { write: new Bottleneck.Group({ id: "review-reviewer-write", maxConcurrent: 1, minTime: opts.writeSpacingMs }) }
        : {}),
    },
    retry: { retries: opts.retries ?? 3 },
  });
  sentByClient.set(octokit, sent);
  return octokit;
};
