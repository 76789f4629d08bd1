import { renderConfigIssues, type ConfigResult } from "../../config/load.js";
import type { OctokitLike } from "../../github/api.js";
import { ensureIssue, findMarkedIssue, type EnsureResult } from "../../publish/ensure-issue.js";

/** The one issue that shows an invalid configuration to the repository. */
export const CONFIG_MARKER = "<!-- review-reviewer:config -->";
const CONFIG_TITLE = "review-reviewer: the configuration is invalid";

const configIssueBody = (config: Extract<ConfigResult, { ok: false }>): string =>
  [
    CONFIG_MARKER,
    renderConfigIssues(config),
    "",
    "review-reviewer keeps recording reviews, but opens and updates no proposal until the file is valid. This issue is updated while the problem lasts and closed once it is fixed.",
    "",
    "Check a file locally with `review-reviewer validate-config .github/review-reviewer.yml` (the app's command line).",
    "",
  ].join("\n");

const CONFIG_FIXED = [CONFIG_MARKER, "The configuration is valid again; proposals resumed.", ""].join("\n");

/**
 * Shows the config's state to the repository: an invalid config opens (or
 * reopens, or updates) the one issue and returns it; a valid one closes
 * that issue if it is open, and returns null.
 */
export const showConfigState = async (
  octokit: OctokitLike,
  o: { owner: string; repo: string; author: string; dryRun: boolean },
  config: ConfigResult,
): Promise<EnsureResult | null> => {
  const base = { owner: o.owner, repo: o.repo, marker: CONFIG_MARKER, author: o.author, dryRun: o.dryRun };
  if (!config.ok) return ensureIssue(octokit, { ...base, title: CONFIG_TITLE, body: configIssueBody(config), state: "open" });
  const open = await findMarkedIssue(octokit, { ...base });
  if (open !== null && open.state === "open") await ensureIssue(octokit, { ...base, title: open.title, body: CONFIG_FIXED, state: "closed" });
  return null;
};
