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
