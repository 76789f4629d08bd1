import type { OctokitLike } from "../github/api.js";
import { parseProposalMarker } from "../propose/lifecycle.js";
import { ensureClosed, ensureIssueCommentReaction } from "../publish/ensure-reaction.js";
import type { Clock } from "../shared/clock.js";
import type { Log } from "../shared/logger.js";
import type { SignalStore } from "../store/store.js";
import { recordIgnore } from "./propose/state.js";
import { hasWriteAccess } from "./repo-jobs.js";

/**
 * `/review-reviewer ignore` on one of the app's proposal PRs or escalation
 * issues. From a user with write access: the pattern is suppressed for good
 * (stored), the proposal is closed, the command gets a 👍. From anyone else:
 * 😕 and nothing changes. On anything that is not the app's own proposal:
 * nothing at all.
 */
export interface IgnoreCommand {
  owner: string;
  repo: string;
  issueNumber: number;
  issueState: string;
  issueBody: string;
  /** Who opened the PR or issue: must be the app. */
  issueAuthor: string;
  commentId: number;
  commenter: string;
}

export const processIgnore = async (
  deps: { store: SignalStore; clock: Clock; log: Log; author: string },
  octokit: OctokitLike,
  cmd: IgnoreCommand,
): Promise<"ignored" | "refused" | "not-a-proposal"> => {
  const marker = parseProposalMarker(cmd.issueBody);
  if (marker === null || cmd.issueAuthor.toLowerCase() !== deps.author.toLowerCase()) return "not-a-proposal";
  const target = { owner: cmd.owner, repo: cmd.repo, commentId: cmd.commentId };
  if (!(await hasWriteAccess(octokit, cmd.owner, cmd.repo, cmd.commenter))) {
    await ensureIssueCommentReaction(octokit, target, "confused", false);
    deps.log.info({ repo: `${cmd.owner}/${cmd.repo}`, number: cmd.issueNumber }, "ignore refused: no write access");
    return "refused";
  }
  await recordIgnore(deps.store, `${cmd.owner}/${cmd.repo}`, marker.patternId, cmd.commenter, deps.clock());
  await ensureClosed(octokit, { owner: cmd.owner, repo: cmd.repo, issueNumber: cmd.issueNumber, state: cmd.issueState }, false);
  await ensureIssueCommentReaction(octokit, target, "+1", false);
  deps.log.info({ repo: `${cmd.owner}/${cmd.repo}`, patternId: marker.patternId }, "pattern ignored");
  return "ignored";
};
