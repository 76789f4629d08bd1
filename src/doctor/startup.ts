import type { Environment } from "../config/env-file.js";
import type { Settings } from "../config/settings.js";
import type { Log } from "../shared/logger.js";
import { type AppRegistration, gatherFacts, type GitHubFact, githubFactsFrom, notChecked, readManifest, type SetupFacts } from "./facts.js";
import { assess, renderStartupLine } from "./report.js";

/** How long the start-up line waits for `GET /app` before saying it could not check. */
export const GITHUB_CHECK_TIMEOUT_MS = 10_000;

export interface StartupCheckDeps {
  environment: Environment;
  settings: Settings;
  log: Log;
  cwd?: string;
}

/** Asks GitHub once who the app is and what it was granted (`GET /app` with the app's JWT; bounded by a timeout; never throws). */
export const checkRegistration = async (getApp: () => Promise<AppRegistration | null>): Promise<GitHubFact> => {
  const manifest = await readManifest();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<GitHubFact>((resolve) => {
    timer = setTimeout(() => {
      resolve(notChecked(`GET /app did not answer in ${String(GITHUB_CHECK_TIMEOUT_MS / 1000)} s`));
    }, GITHUB_CHECK_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([githubFactsFrom(getApp, manifest), timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * The one start-up line saying what is on and why not (the same items as
 * `review-reviewer doctor`), logged at info, or at warn when something stops
 * a feature. The items go along as structured fields for log search.
 */
export const logWhatIsOn = async (
  deps: StartupCheckDeps,
  github: GitHubFact,
  runtime: { weeklyNext: Date | null },
): Promise<SetupFacts> => {
  const facts = await gatherFacts(deps.environment, deps.settings, { github, ...(deps.cwd !== undefined ? { cwd: deps.cwd } : {}) });
  const items = assess(facts, { weeklyNext: runtime.weeklyNext, holdsStore: true });
  const fields = { envFile: deps.environment.file, status: Object.fromEntries(items.map((i) => [i.name, i.state])) };
  const line = `what is on: ${renderStartupLine(items)}`;
  if (items.some((i) => i.state === "problem")) deps.log.warn(fields, line);
  else deps.log.info(fields, line);
  return facts;
};

/** Waits between further `GET /app` attempts while the slug is unknown (then hourly). */
export const IDENTIFY_RETRY_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000] as const;

export interface IdentifyDeps {
  getApp: () => Promise<AppRegistration | null>;
  log: Log;
  /** The login from APP_SLUG, or null to learn it from `GET /app`. */
  knownLogin: string | null;
  /** Whether to keep asking (an app id is set). */
  retry: boolean;
  retryMs?: readonly number[];
  /** Called once, with the first answer (the start-up line). */
  onFirst: (github: GitHubFact, weeklyNext: Date | null) => Promise<void>;
  /** Called once the login is known: sets it for the handlers and schedules the weekly run (its next check, or null). */
  onLogin: (login: string) => Promise<Date | null>;
}

/**
 * Learns who the app is: one `GET /app` at start (the slug when APP_SLUG is
 * unset, and the grants for the start-up line). When GitHub cannot say it
 * (a 5xx, DNS not ready in a fresh container), it asks again after 1, 5 and
 * 15 minutes, then hourly, instead of leaving the weekly run and the
 * commands off until a restart. Returns a stop function.
 */
export const identifyApp = (deps: IdentifyDeps): (() => void) => {
  const delays = deps.retryMs ?? IDENTIFY_RETRY_MS;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let known = false;
  const attempt = async (n: number): Promise<void> => {
    const github = await checkRegistration(deps.getApp);
    const login = deps.knownLogin ?? (github.slug === null ? null : `${github.slug}[bot]`);
    let weeklyNext: Date | null = null;
    if (login !== null && !stopped) {
      weeklyNext = await deps.onLogin(login);
      known = true;
    }
    if (n === 0) await deps.onFirst(github, weeklyNext);
    else if (known) deps.log.info({ slug: github.slug, attempt: n }, "the app's slug is known now (GET /app): the weekly run is scheduled and commands are on");
    if (!known && deps.retry && !stopped) {
      timer = setTimeout(() => {
        void attempt(n + 1).catch(failed);
      }, delays[Math.min(n, delays.length - 1)] ?? 3_600_000);
      timer.unref();
    }
  };
  const failed = (e: unknown): void => {
    deps.log.error({ error: e instanceof Error ? e.message : String(e) }, "the weekly run could not be scheduled");
  };
  void attempt(0).catch(failed);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
};
