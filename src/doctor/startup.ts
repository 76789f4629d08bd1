import type { Environment } from "../config/env-file.js";
import type { Settings } from "../config/settings.js";
import type { Log } from "../shared/logger.js";
import { type AppRegistration, gatherFacts, type GitHubFact, githubFactsFrom, readManifest, type SetupFacts } from "./facts.js";
import { assess, renderStartupLine } from "./report.js";

/** How long the start-up line waits for `GET /app` before saying it could not check. */
export const GITHUB_CHECK_TIMEOUT_MS = 10_000;

export interface StartupCheckDeps {
  environment: Environment;
  settings: Settings;
  log: Log;
  /** `GET /app` with the app's JWT (Probot's `app.auth()`), or null without credentials. */
  getApp: (() => Promise<AppRegistration | null>) | null;
  cwd?: string;
}

/** Asks GitHub once who the app is and what it was granted (bounded by a timeout; never throws). */
export const checkRegistration = async (deps: Pick<StartupCheckDeps, "getApp">): Promise<GitHubFact> => {
  const getApp = deps.getApp;
  if (getApp === null) return { checked: false, error: "needs APP_ID and a readable private key", slug: null, missingPermissions: [], missingEvents: [] };
  const manifest = await readManifest();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<GitHubFact>((resolve) => {
    timer = setTimeout(() => {
      resolve({ checked: false, error: `GET /app did not answer in ${String(GITHUB_CHECK_TIMEOUT_MS / 1000)} s`, slug: null, missingPermissions: [], missingEvents: [] });
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
  deps: Omit<StartupCheckDeps, "getApp">,
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
