import { commentedRegion, locateRegion, sameCode, suggestionBlocks } from "./hunk.js";
import type { CorrectionSignal, ReviewCommentSignal, ReviewThreadSignal } from "./signal.js";
import { signalKey } from "./signal.js";

/** A commit in the PR, as GraphQL lists them. */
export interface PullCommit {
  sha: string;
  committedAt: string;
  message: string;
}

export interface CorrectionInput {
  comment: ReviewCommentSignal;
  /** The file at the PR's final head (or merge) commit; null if it no longer exists, undefined if unknown. */
  fileAtHead: string | null | undefined;
  headSha: string | null;
  commits: readonly PullCommit[];
  thread: ReviewThreadSignal | undefined;
  /** Recording metadata for the derived signal. */
  deliveryId: string;
  receivedAt: string;
}

const APPLY_SUGGESTION = /^Apply suggestions? from (code review|@)/i;

/**
 * Did the author change the code a reviewer commented on? Pure.
 *
 * GitHub already says a lot: a comment whose lines changed in a later commit
 * comes back outdated (`position` and `line` null). We combine that with the
 * commented lines (`before`, from the hunk) and the same region located in
 * the file at the PR's head (`after`), the ```suggestion block and whether
 * it was applied, and the thread's resolved state. Each conclusion carries
 * the evidence it rests on.
 */
export const deriveCorrection = (input: CorrectionInput): CorrectionSignal => {
  const c = input.comment;
  const span = c.startLine !== null && c.line !== null ? c.line - c.startLine + 1 : c.originalStartLine !== null && c.originalLine !== null ? c.originalLine - c.originalStartLine + 1 : 1;
  const region = commentedRegion(c.diffHunk, c.side, span);
  const outdated = c.position === null && c.line === null;
  const evidence: string[] = [];
  if (outdated) evidence.push("GitHub marks the comment outdated: its lines changed after it was written");
  let after: string[] | null = null;
  let status: CorrectionSignal["status"] = "unknown";
  if (input.fileAtHead === null) {
    evidence.push("the file no longer exists at the head commit");
    status = outdated ? "addressed" : "unknown";
  } else if (input.fileAtHead !== undefined) {
    const found = locateRegion(input.fileAtHead, region, c.originalLine);
    if (found === null) {
      evidence.push("the commented region could not be located at the head commit");
      status = outdated ? "addressed" : "unknown";
    } else {
      after = found.lines;
      const changed = !sameCode(region.lines, found.lines);
      evidence.push(changed ? "the commented lines differ at the head commit" : "the commented lines are unchanged at the head commit");
      status = changed ? "addressed" : outdated ? "unknown" : "not_addressed";
    }
  } else if (outdated) {
    status = "addressed";
  } else if (c.position !== null) {
    evidence.push("GitHub still maps the comment onto the head diff");
    status = "not_addressed";
  }
  const blocks = suggestionBlocks(c.body);
  const suggestion = blocks.length > 0 ? blocks.map((b) => b.join("\n")).join("\n") : null;
  let suggestionApplied: boolean | null = null;
  if (blocks.length > 0) {
    const laterApply = input.commits.find((k) => k.committedAt >= c.createdAt && APPLY_SUGGESTION.test(k.message));
    const located = after;
    const inHead = located !== null && blocks.some((b) => (b.length === 0 ? located.length === 0 : sameCode(b, located.slice(0, b.length))));
    suggestionApplied = laterApply !== undefined || inHead;
    if (laterApply !== undefined) evidence.push(`commit ${laterApply.sha.slice(0, 7)} "${laterApply.message.split("\n")[0] ?? ""}" follows the comment`);
    if (inHead) evidence.push("the suggested code is at the head commit");
    if (suggestionApplied && status !== "addressed") status = "addressed";
  }
  return {
    kind: "correction",
    key: signalKey("correction", c.id),
    repo: c.repo,
    repoId: c.repoId,
    installationId: c.installationId,
    pullNumber: c.pullNumber,
    deliveryId: input.deliveryId,
    receivedAt: input.receivedAt,
    commentId: c.id,
    commentKey: c.key,
    path: c.path,
    status,
    outdated,
    before: region.lines.join("\n"),
    after: after === null ? null : after.join("\n"),
    afterCommit: after === null ? null : input.headSha,
    suggestion,
    suggestionApplied,
    threadResolved: input.thread?.resolved ?? null,
    resolvedBy: input.thread?.resolvedBy?.login ?? null,
    reviewer: c.author,
    evidence,
  };
};
