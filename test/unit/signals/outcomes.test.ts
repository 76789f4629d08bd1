import { mapPullRequestEvent, mapReviewEvent } from "../../../src/ingest/to-signal.js";
import { ciConclusion, computeOutcome, markReverts } from "../../../src/signals/outcomes.js";
import type { CheckSuiteSignal, PullRequestSignal, ReviewSignal } from "../../../src/signals/signal.js";
import { mapperEnv } from "../../helpers/env.js";
import { examplePayload } from "../../helpers/fixtures.js";

const pull = (number: number, title: string, merge: string | null): PullRequestSignal => {
  const p = examplePayload("pull_request", "closed");
  Object.assign(p.pull_request as object, {
    id: 100 + number, number, title, merged: merge !== null, merge_commit_sha: merge,
    created_at: "2026-11-01T00:00:00Z", merged_at: merge === null ? null : "2026-11-02T12:00:00Z", closed_at: "2026-11-02T12:00:00Z",
  });
  const r = mapPullRequestEvent(p, mapperEnv());
  if (r.status !== "ops" || r.ops[0]?.op !== "upsert" || r.ops[0].signal.kind !== "pull_request") throw new Error("map failed");
  return r.ops[0].signal;
};

const review = (id: number, state: string, at: string, login = "alice", commit = "c1"): ReviewSignal => {
  const p = examplePayload("pull_request_review", "submitted");
  Object.assign(p.review as object, { id, state, submitted_at: at, commit_id: commit, user: { login, id, type: "User" } });
  const r = mapReviewEvent(p, mapperEnv());
  if (r.status !== "ops" || r.ops[0]?.op !== "upsert" || r.ops[0].signal.kind !== "review") throw new Error("map failed");
  return r.ops[0].signal;
};

const base = { checkSuites: [], rollupState: null, commitMessages: [], deliveryId: "d", receivedAt: "2026-11-22T10:00:00.000Z" };

describe("computeOutcome", () => {
  it("counts a first-time approval, hours to review and to merge", () => {
    const o = computeOutcome({ ...base, pr: pull(1, "Add x", "aaa111"), reviews: [review(1, "approved", "2026-11-01T03:00:00Z")] });

    expect(o).toMatchObject({ approvedFirstReview: true, reviewRounds: 1, changesRequested: 0, hoursToFirstReview: 3, hoursToMerge: 36, state: "merged" });
  });

  it("is not a first-time approval when changes were requested first, and counts rounds by reviewed commit", () => {
    const reviews = [review(2, "approved", "2026-11-01T09:00:00Z", "bob", "c2"), review(1, "changes_requested", "2026-11-01T03:00:00Z", "alice", "c1")];

    const o = computeOutcome({ ...base, pr: pull(1, "Add x", "aaa111"), reviews });

    expect(o).toMatchObject({ approvedFirstReview: false, reviewRounds: 2, changesRequested: 1 });
  });

  it("has no first-review verdict before any human review", () => {
    expect(computeOutcome({ ...base, pr: pull(1, "Add x", null), reviews: [] })).toMatchObject({ approvedFirstReview: null, state: "closed_unmerged", hoursToMerge: null });
  });

  it("takes the worst check-suite conclusion on the head commit over GraphQL's rollup", () => {
    const suite = (id: number, conclusion: string): CheckSuiteSignal =>
      ({ kind: "check_suite", key: `check_suite:${String(id)}`, headSha: "h", conclusion } as unknown as CheckSuiteSignal);

    expect(ciConclusion("h", [suite(1, "success"), suite(2, "failure")], "SUCCESS")).toBe("failure");
    expect(ciConclusion("h", [], "SUCCESS")).toBe("success");
    expect(ciConclusion("h", [], null)).toBeNull();
  });
});

describe("markReverts", () => {
  it("marks a PR reverted by a later PR's revert commit or GitHub's revert title", () => {
    const original = pull(1, "Add caching", "abcdef1234567890");
    const other = pull(2, "Tune logging", "1111111111");
    const reverter = pull(3, "Revert \"Tune logging\"", "2222222222");
    const byCommit = pull(4, "Undo the cache", "3333333333");
    const pulls = new Map([original, other, reverter, byCommit].map((p) => [p.pullNumber, p]));
    const outcomes = [...pulls.values()].map((pr) =>
      computeOutcome({ ...base, pr, reviews: [], commitMessages: pr.pullNumber === 4 ? ['Revert "Add caching"\n\nThis reverts commit abcdef1234.'] : [] }),
    );

    const marked = markReverts(outcomes, pulls);

    expect(marked.map((o) => [o.pullNumber, o.reverted])).toEqual([[1, true], [2, true], [3, false], [4, false]]);
    expect(marked[0]?.revertedBy).toBe(byCommit.htmlUrl);
    expect(marked[1]?.revertedBy).toBe(reverter.htmlUrl);
  });
});
