import {
  DEFAULT_THRESHOLDS,
  describeCluster,
  excerpt,
  isRecurring,
  pickExamples,
  reconcileIds,
  seedId,
  weekOf,
  weeklyCounts,
  type RecurrenceThresholds,
} from "../../../src/learn/patterns.js";
import type { Cluster, LearnComment } from "../../../src/learn/types.js";
import { learnComment } from "../../helpers/learn.js";

const comment = (id: number, over: Partial<LearnComment> = {}): LearnComment => learnComment(id, { path: "src/app.py", ...over });

const cluster = (id: string, commentIds: number[]): Cluster => ({
  id,
  title: "t",
  category: "design",
  recurring: false,
  scope: "acme/app",
  commentIds,
  pullRequests: [],
  pullRequestRefs: [],
  reviewers: [],
  authors: [],
  occurrences: commentIds.length,
  firstSeen: "",
  lastSeen: "",
  weekly: [],
  examples: [],
  terms: [],
});

const DAY = 86_400_000;
const at = (iso: string): number => Date.parse(iso);

describe("weekOf", () => {
  it.each([
    ["2024-03-11T00:00:00Z", "2024-03-11"], // a Monday
    ["2024-03-13T15:30:00Z", "2024-03-11"], // a Wednesday
    ["2024-03-10T23:59:59Z", "2024-03-04"], // a Sunday belongs to the week before
    ["2024-03-11T01:00:00+02:00", "2024-03-04"], // Sunday 23:00 UTC
    ["2024-03-10T22:00:00-05:00", "2024-03-11"], // Sunday local time, Monday 03:00 UTC
    ["2025-01-01T12:00:00Z", "2024-12-30"], // year boundary
    ["2023-01-01T12:00:00Z", "2022-12-26"], // a Sunday on new year's day
    ["2024-02-29T10:00:00Z", "2024-02-26"], // leap day
  ])("puts %s in the week of %s", (iso, monday) => {
    expect(weekOf(iso)).toBe(monday);
  });
});

describe("weeklyCounts", () => {
  it("counts per week from the first to the last week, zero-filling the gaps, whatever the input order", () => {
    expect(weeklyCounts(["2024-01-03T00:00:00Z", "2024-01-24T00:00:00Z", "2024-01-02T00:00:00Z"])).toEqual([
      { week: "2024-01-01", count: 2 },
      { week: "2024-01-08", count: 0 },
      { week: "2024-01-15", count: 0 },
      { week: "2024-01-22", count: 1 },
    ]);
  });

  it("crosses a year boundary", () => {
    expect(weeklyCounts(["2024-12-31T00:00:00Z", "2024-12-20T00:00:00Z"])).toEqual([
      { week: "2024-12-16", count: 1 },
      { week: "2024-12-23", count: 0 },
      { week: "2024-12-30", count: 1 },
    ]);
  });

  it("gives one week for dates in one week, and nothing for no dates", () => {
    expect(weeklyCounts(["2024-03-11T00:00:00Z", "2024-03-17T23:59:59Z"])).toEqual([{ week: "2024-03-11", count: 2 }]);
    expect(weeklyCounts([])).toEqual([]);
  });

  it("sums to the number of dates", () => {
    const dates = Array.from({ length: 40 }, (_, i) => new Date(at("2024-01-01T00:00:00Z") + i * 3.3 * DAY).toISOString());

    expect(weeklyCounts(dates).reduce((n, w) => n + w.count, 0)).toBe(40);
  });
});

describe("isRecurring", () => {
  const t: RecurrenceThresholds = { minOccurrences: 3, minPullRequests: 3, windowDays: 90 };
  const end = at("2024-06-30T00:00:00.000Z");
  const day = (d: number): string => new Date(end - d * DAY).toISOString();

  it("needs at least 3 comments on at least 3 distinct PRs inside the window", () => {
    expect(isRecurring([comment(1, { createdAt: day(1) }), comment(2, { createdAt: day(2) }), comment(3, { createdAt: day(3) })], end, t)).toBe(true);
    expect(isRecurring([comment(1, { createdAt: day(1) }), comment(2, { createdAt: day(2) })], end, t)).toBe(false);
  });

  it("does not count three comments on two PRs", () => {
    const members = [
      comment(1, { pullNumber: 1, createdAt: day(1) }),
      comment(2, { pullNumber: 1, createdAt: day(2) }),
      comment(3, { pullNumber: 2, createdAt: day(3) }),
    ];

    expect(isRecurring(members, end, t)).toBe(false);
    expect(isRecurring([...members, comment(4, { pullNumber: 3, createdAt: day(4) })], end, t)).toBe(true);
  });

  it("counts the same PR number in two repos as two PRs", () => {
    const members = [
      comment(1, { repo: "acme/app", pullNumber: 7, createdAt: day(1) }),
      comment(2, { repo: "acme/lib", pullNumber: 7, createdAt: day(2) }),
      comment(3, { repo: "acme/app", pullNumber: 8, createdAt: day(3) }),
    ];

    expect(isRecurring(members, end, t)).toBe(true);
  });

  it("ignores comments outside the window, which ends at windowEnd and is windowDays long, both ends included", () => {
    const base = [comment(1, { createdAt: day(1) }), comment(2, { createdAt: day(2) })];

    expect(isRecurring([...base, comment(3, { createdAt: day(90) })], end, t)).toBe(true);
    expect(isRecurring([...base, comment(3, { createdAt: day(91) })], end, t)).toBe(false);
    expect(isRecurring([...base, comment(3, { createdAt: day(0) })], end, t)).toBe(true);
    // After the window end.
    expect(isRecurring([...base, comment(3, { createdAt: day(-1) })], end, t)).toBe(false);
  });

  it("moves with windowEnd", () => {
    const members = [comment(1, { createdAt: day(200) }), comment(2, { createdAt: day(201) }), comment(3, { createdAt: day(202) })];

    expect(isRecurring(members, end, t)).toBe(false);
    expect(isRecurring(members, end - 195 * DAY, t)).toBe(true);
  });

  it("follows other thresholds", () => {
    const members = [comment(1, { createdAt: day(1) }), comment(2, { pullNumber: 1, createdAt: day(2) })];

    expect(isRecurring(members, end, { minOccurrences: 2, minPullRequests: 1, windowDays: 7 })).toBe(true);
    expect(isRecurring(members, end, { minOccurrences: 2, minPullRequests: 2, windowDays: 7 })).toBe(false);
  });
});

describe("excerpt", () => {
  it("strips HTML comments, badges and tags and collapses whitespace", () => {
    expect(excerpt("<!-- meta -->\n![high](https://x.test/high.svg) Please <b>add</b>\n\n a   docstring.")).toBe("Please add a docstring.");
  });

  it("keeps text up to 280 characters as is", () => {
    const text = "a".repeat(280);

    expect(excerpt(text)).toBe(text);
  });

  it("truncates longer text to 280 characters ending in an ellipsis", () => {
    const e = excerpt("word ".repeat(100));

    expect(e).toHaveLength(280);
    expect(e).toBe(`${"word ".repeat(55)}word…`);
    expect(excerpt("b".repeat(281))).toBe(`${"b".repeat(279)}…`);
  });
});

describe("pickExamples", () => {
  it("takes the most central comment of each PR first, then the rest, at most five", () => {
    const members = [
      comment(1, { pullNumber: 1 }),
      comment(2, { pullNumber: 1 }),
      comment(3, { pullNumber: 2 }),
      comment(4, { pullNumber: 3 }),
      comment(5, { pullNumber: 1 }),
      comment(6, { pullNumber: 4 }),
      comment(7, { pullNumber: 2 }),
    ];
    const centrality = new Map([
      [1, 0.5],
      [2, 0.9],
      [3, 0.4],
      [4, 0.1],
      [5, 0.8],
      [6, 0.2],
      [7, 0.7],
    ]);

    // Ranked: 2 (PR1), 5 (PR1), 7 (PR2), 1 (PR1), 3 (PR2), 6 (PR4), 4 (PR3).
    expect(pickExamples(members, centrality).map((e) => e.commentId)).toEqual([2, 7, 6, 4, 5]);
  });

  it("breaks centrality ties by comment id and treats missing centrality as 0", () => {
    const members = [comment(9), comment(3), comment(5)];

    expect(pickExamples(members, new Map([[5, 0.1]])).map((e) => e.commentId)).toEqual([5, 3, 9]);
  });

  it("treats the same PR number in two repos as two PRs", () => {
    const members = [comment(1, { repo: "a/x", pullNumber: 1 }), comment(2, { repo: "a/x", pullNumber: 1 }), comment(3, { repo: "a/y", pullNumber: 1 })];

    expect(pickExamples(members, new Map()).map((e) => e.commentId)).toEqual([1, 3, 2]);
  });

  it("honours k and carries the comment's location and an excerpt", () => {
    const c = comment(4, { pullNumber: 12, path: "docs/x.md", body: "<b>Add</b> a docstring.", url: "https://github.com/acme/app/pull/12#discussion_r4" });

    expect(pickExamples([c, comment(5)], new Map(), 1)).toEqual([
      { commentId: 4, url: "https://github.com/acme/app/pull/12#discussion_r4", repo: "acme/app", pullNumber: 12, path: "docs/x.md", excerpt: "Add a docstring." },
    ]);
    expect(pickExamples([], new Map())).toEqual([]);
  });
});

describe("seedId", () => {
  it("is a stable short hash of the scope and the oldest comment", () => {
    expect(seedId("acme/app", 1)).toMatch(/^p-[0-9a-f]{12}$/);
    expect(seedId("acme/app", 1)).toBe(seedId("acme/app", 1));
    expect(seedId("acme/app", 1)).not.toBe(seedId("acme/app", 2));
    expect(seedId("acme/app", 1)).not.toBe(seedId("org:acme", 1));
  });
});

describe("describeCluster", () => {
  it("reports members sorted, first/last seen, weekly counts and recurrence", () => {
    const members = [
      comment(30, { pullNumber: 3, createdAt: "2024-03-20T00:00:00.000Z", author: "bo", pullAuthor: null }),
      comment(10, { pullNumber: 1, createdAt: "2024-03-04T00:00:00.000Z", author: "al", pullAuthor: "dev" }),
      comment(20, { pullNumber: 2, createdAt: "2024-03-05T00:00:00.000Z", author: "al", pullAuthor: "eve" }),
    ];
    const c = describeCluster(
      { scope: "acme/app", category: "testing", members, terms: ["test"], title: "Add tests", centrality: new Map() },
      "p-1",
      at("2024-03-20T00:00:00.000Z"),
      DEFAULT_THRESHOLDS,
    );

    expect(c).toEqual({
      id: "p-1",
      title: "Add tests",
      category: "testing",
      recurring: true,
      scope: "acme/app",
      commentIds: [10, 20, 30],
      pullRequests: [1, 2, 3],
      pullRequestRefs: ["acme/app#1", "acme/app#2", "acme/app#3"],
      reviewers: ["al", "bo"],
      authors: ["dev", "eve"],
      occurrences: 3,
      firstSeen: "2024-03-04T00:00:00.000Z",
      lastSeen: "2024-03-20T00:00:00.000Z",
      weekly: [
        { week: "2024-03-04", count: 2 },
        { week: "2024-03-11", count: 0 },
        { week: "2024-03-18", count: 1 },
      ],
      examples: expect.any(Array) as unknown,
      terms: ["test"],
    });
    expect(c.examples.map((e) => e.commentId)).toEqual([10, 20, 30]);
  });
});

describe("reconcileIds", () => {
  it("inherits the id of the previous cluster it overlaps", () => {
    const out = reconcileIds([cluster("p-new", [1, 2, 3, 4])], [{ id: "p-old", commentIds: [1, 2, 3] }]);

    expect(out.map((c) => c.id)).toEqual(["p-old"]);
    expect(out[0]?.commentIds).toEqual([1, 2, 3, 4]);
  });

  it("inherits at exactly half of the previous members still present, not below", () => {
    // Previous {1,2,3,4}: all still present; a and b overlap 2 of 4 each → the earlier (a) inherits.
    expect(reconcileIds([cluster("a", [1, 2, 9]), cluster("b", [3, 4, 8])], [{ id: "old", commentIds: [1, 2, 3, 4] }]).map((c) => c.id)).toEqual([
      "old",
      "b",
    ]);
    // Previous {1,2,3,4,5}: overlap 2 of 5 → no cluster inherits.
    expect(reconcileIds([cluster("a", [1, 2, 9]), cluster("b", [3, 4, 5, 7, 8, 10])], [{ id: "old", commentIds: [1, 2, 3, 4, 5] }]).map((c) => c.id)).toEqual([
      "a",
      "old",
    ]);
  });

  it("measures the half against previous members that are still present", () => {
    // 3, 4, 5 are gone from every cluster now: only {1, 2} count, and cluster a holds both.
    const out = reconcileIds([cluster("a", [1, 2, 9]), cluster("b", [7, 8])], [{ id: "old", commentIds: [1, 2, 3, 4, 5] }]);

    expect(out.map((c) => c.id)).toEqual(["old", "b"]);
  });

  it("keeps the id on the larger part of a split", () => {
    const prev = [{ id: "old", commentIds: [1, 2, 3, 4, 5, 6] }];

    expect(reconcileIds([cluster("small", [5, 6]), cluster("large", [1, 2, 3, 4])], prev).map((c) => c.id)).toEqual(["small", "old"]);
    // An even split: both qualify; the earlier cluster wins and the other keeps its fresh id.
    expect(reconcileIds([cluster("x", [1, 2, 3]), cluster("y", [4, 5, 6])], prev).map((c) => c.id)).toEqual(["old", "y"]);
  });

  it("is one to one: a merged cluster takes one previous id, the strongest overlap", () => {
    const out = reconcileIds(
      [cluster("m", [1, 2, 3, 4, 5])],
      [
        { id: "two", commentIds: [1, 2] },
        { id: "three", commentIds: [3, 4, 5] },
      ],
    );

    expect(out.map((c) => c.id)).toEqual(["three"]);
  });

  it("assigns strongest overlaps first, so a cluster that lost a weaker claim leaves that id to another", () => {
    // a qualifies for "three" (3) and "two" (2); b qualifies for "two" (2).
    const out = reconcileIds(
      [cluster("a", [1, 2, 3, 4, 5]), cluster("b", [6, 7])],
      [
        { id: "two", commentIds: [1, 2, 6, 7] },
        { id: "three", commentIds: [3, 4, 5] },
      ],
    );

    expect(out.map((c) => c.id)).toEqual(["three", "two"]);
  });

  it("keeps fresh ids when nothing overlaps, and with no previous clusters", () => {
    const clusters = [cluster("a", [1, 2]), cluster("b", [3, 4])];

    expect(reconcileIds(clusters, [{ id: "old", commentIds: [8, 9] }]).map((c) => c.id)).toEqual(["a", "b"]);
    expect(reconcileIds(clusters, []).map((c) => c.id)).toEqual(["a", "b"]);
  });

  it("suffixes a fresh id that collides with an inherited one", () => {
    const out = reconcileIds([cluster("p-x", [10, 11]), cluster("p-y", [1, 2])], [{ id: "p-x", commentIds: [1, 2] }]);

    expect(out.map((c) => c.id)).toEqual(["p-x-2", "p-x"]);
  });

  it("does not change the clusters given", () => {
    const clusters = [cluster("a", [1, 2])];
    reconcileIds(clusters, [{ id: "old", commentIds: [1, 2] }]);

    expect(clusters[0]?.id).toBe("a");
  });
});
