import type { OctokitLike } from "../github/api.js";
import { parseProposalMarker, type OwnProposal } from "../propose/lifecycle.js";
import { ownIssuePages } from "./ensure-issue.js";

/**
 * The app's own proposal PRs and escalation issues in a repository, open or
 * closed, found by the marker their bodies start with. One paginated listing
 * of the issues the app created (GitHub lists PRs among issues, with their
 * merge time), so a run knows every earlier decision without a store.
 */
export const listOwnProposals = async (octokit: OctokitLike, target: { owner: string; repo: string; author: string }): Promise<OwnProposal[]> => {
  const own: OwnProposal[] = [];
  for await (const page of ownIssuePages(octokit, target)) {
    for (const item of page.data) {
      const marker = parseProposalMarker(item.body ?? "");
      if (marker === null) continue;
      const mergedAt = item.pull_request?.merged_at ?? null;
      own.push({
        ...marker,
        number: item.number,
        kind: item.pull_request === undefined ? "issue" : "pull",
        title: item.title,
        state: item.state === "open" ? "open" : "closed",
        merged: mergedAt !== null,
        createdAt: item.created_at,
        closedAt: item.closed_at,
        mergedAt,
        url: item.html_url,
      });
    }
  }
  return own;
};
