import type { CheckSuiteSignal, PullOutcomeSignal, PullRequestSignal, ReviewSignal } from "./signal.js";
import { signalKey } from "./signal.js";

/**
 * Preference and outcome signals per PR, computed from stored signals. Pure.
 *  - preference: approved at the first human review with no changes requested; review rounds.
 *  - outcome: merged or closed unmerged, reverted later, CI conclusion of the head commit.
 */

export interface OutcomeInput {
  pr: PullRequestSignal;
  reviews: readonly ReviewSignal[];
  checkSuites: readonly CheckSuiteSignal[];
  /** CI state from GraphQL's statusCheckRollup of the head commit, when no check suite was recorded. */
  rollupState: string | null;
  /** Messages of the PR's commits, to find the commits it reverts. */
  commitMessages: readonly string[];
  deliveryId: string;
  receivedAt: string;
}

const REVERTS_COMMIT = /This reverts commit ([0-9a-f]{7,40})/gi;

/** Worst first: one failing suite makes the head red. */
const CONCLUSION_RANK = ["failure", "timed_out", "cancelled", "action_required", "stale", "startup_failure", "neutral", "skipped", "success"];

export const ciConclusion = (headSha: string, suites: readonly CheckSuiteSignal[], rollupState: string | null): string | null => {
  const conclusions = suites.filter((s) => s.headSha === headSha && s.conclusion !== null).map((s) => s.conclusion ?? "");
  if (conclusions.length === 0) return rollupState === null ? null : rollupState.toLowerCase();
  const rank = (c: string): number => {
    const i = CONCLUSION_RANK.indexOf(c);
    return i === -1 ? CONCLUSION_RANK.length : i;
  };
  return conclusions.reduce((worst, c) => (rank(c) < rank(worst) ? c : worst));
};

const hours = (from: string, to: string | null): number | null =>
  to === null ? null : Math.round(((Date.parse(to) - Date.parse(from)) / 3_600_000) * 100) / 100;

export const computeOutcome = (input: OutcomeInput): PullOutcomeSignal => {
  const { pr } = input;
  const human = input.reviews
    .filter((r) => r.reviewer.kind === "human" && r.reviewer.login !== pr.author.login && r.submittedAt !== null)
    .sort((a, b) => ((a.submittedAt ?? "") < (b.submittedAt ?? "") ? -1 : 1));
  const first = human[0];
  const stateOf = (r: ReviewSignal): string => r.submittedState ?? r.state;
  const changesRequested = human.filter((r) => stateOf(r) === "changes_requested").length;
  const rounds = new Set(human.map((r) => r.commitId ?? `review-${String(r.id)}`)).size;
  const reverts = new Set<string>();
  for (const m of input.commitMessages) for (const match of m.matchAll(REVERTS_COMMIT)) if (match[1] !== undefined) reverts.add(match[1].toLowerCase());
  return {
    kind: "pr_outcome",
    key: signalKey("pr_outcome", pr.id),
    repo: pr.repo,
    repoId: pr.repoId,
    installationId: pr.installationId,
    pullNumber: pr.pullNumber,
    deliveryId: input.deliveryId,
    receivedAt: input.receivedAt,
    pullId: pr.id,
    authorKind: pr.author.kind,
    approvedFirstReview: first === undefined ? null : stateOf(first) === "approved" && changesRequested === 0,
    reviewRounds: rounds,
    changesRequested,
    firstReviewAt: first?.submittedAt ?? null,
    hoursToFirstReview: first === undefined ? null : hours(pr.createdAt, first.submittedAt),
    hoursToMerge: pr.merged ? hours(pr.createdAt, pr.mergedAt) : null,
    state: pr.merged ? "merged" : pr.state === "closed" ? "closed_unmerged" : "open",
    reverted: false,
    revertedBy: null,
    ciConclusion: ciConclusion(pr.headSha, input.checkSuites, input.rollupState),
    revertsCommits: [...reverts].sort(),
  };
};

/**
 * Mark PRs reverted by a later PR: one whose commits say "This reverts
 * commit <merge sha>", or GitHub's revert button's `Revert "<title>"`.
 */
export const markReverts = (
  outcomes: readonly PullOutcomeSignal[],
  pulls: ReadonlyMap<number, PullRequestSignal>,
): PullOutcomeSignal[] => {
  const byTitle = new Map<string, PullRequestSignal>();
  for (const pr of pulls.values()) if (pr.merged) byTitle.set(pr.title, pr);
  const revertedBy = new Map<number, string>();
  for (const o of outcomes) {
    const reverter = pulls.get(o.pullNumber);
    if (reverter === undefined) continue;
    const title = /^Revert "(.+)"$/.exec(reverter.title)?.[1];
    const target = title === undefined ? undefined : byTitle.get(title);
    if (target !== undefined && target.pullNumber !== reverter.pullNumber && reverter.merged) revertedBy.set(target.pullNumber, reverter.htmlUrl);
    for (const sha of o.revertsCommits) {
      for (const pr of pulls.values()) {
        const merge = pr.mergeCommitSha?.toLowerCase();
        if (pr.pullNumber !== o.pullNumber && merge !== undefined && merge.startsWith(sha)) revertedBy.set(pr.pullNumber, reverter.htmlUrl);
      }
    }
  }
  return outcomes.map((o) => {
    const by = revertedBy.get(o.pullNumber);
    return by === undefined ? o : { ...o, reverted: true, revertedBy: by };
  });
};
