import type { OctokitLike } from "../github/api.js";

export const REACTIONS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"] as const;
export type Reaction = (typeof REACTIONS)[number];

/**
 * React to a review comment. GitHub answers an existing reaction by the same
 * app with 200 instead of adding a second one, so this is idempotent by
 * itself: running it twice leaves one reaction.
 */
export const ensureReviewCommentReaction = async (
  octokit: OctokitLike,
  target: { owner: string; repo: string; commentId: number },
  content: Reaction,
  dryRun: boolean,
): Promise<"created" | "exists" | "dry-run"> => {
  if (dryRun) return "dry-run";
  const res = await octokit.rest.reactions.createForPullRequestReviewComment({
    owner: target.owner,
    repo: target.repo,
    comment_id: target.commentId,
    content,
  });
  return res.status === 201 ? "created" : "exists";
};

/** React to an issue or PR conversation comment; idempotent like the above. */
export const ensureIssueCommentReaction = async (
  octokit: OctokitLike,
  target: { owner: string; repo: string; commentId: number },
  content: Reaction,
  dryRun: boolean,
): Promise<"created" | "exists" | "dry-run"> => {
  if (dryRun) return "dry-run";
  const res = await octokit.rest.reactions.createForIssueComment({ owner: target.owner, repo: target.repo, comment_id: target.commentId, content });
  return res.status === 201 ? "created" : "exists";
};

/** Close the app's own PR or issue (never someone else's, never a merge); nothing when it is closed already. */
export const ensureClosed = async (
  octokit: OctokitLike,
  target: { owner: string; repo: string; issueNumber: number; state: string },
  dryRun: boolean,
): Promise<"closed" | "unchanged" | "dry-run"> => {
  if (target.state !== "open") return "unchanged";
  if (dryRun) return "dry-run";
  await octokit.rest.issues.update({ owner: target.owner, repo: target.repo, issue_number: target.issueNumber, state: "closed" });
  return "closed";
};
