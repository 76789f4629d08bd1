import { parseReviewComments } from "../../../src/analyze/input.js";
import { applyRefinement, DEFAULT_LEARN_OPTIONS, learnPatterns, scopeOf, voteCategory, type LearnOptions, type LearnResult } from "../../../src/learn/learn.js";
import { DEFAULT_THRESHOLDS, seedId, type ClusterDraft } from "../../../src/learn/patterns.js";
import type { Category, Cluster, LearnComment, Refinement } from "../../../src/learn/types.js";
import { createActorClassifier } from "../../../src/signals/actor.js";
import { crcComments } from "../../helpers/fixtures.js";
import { learnComment } from "../../helpers/learn.js";

const comment = (id: number, body: string, over: Partial<LearnComment> = {}): LearnComment => learnComment(id, { body, ...over });

/** A date `d` days after 2024-03-01 (UTC). */
const day = (d: number): string => new Date(Date.UTC(2024, 2, 1) + d * 86_400_000).toISOString();

const DOCSTRING = [
  "Please add a docstring to this function.",
  "Add a docstring to this function, please.",
  "This function needs a docstring.",
  "Please add a docstring to this function explaining the arguments.",
  "Missing docstring on this function, please add one.",
];
const UNUSED_IMPORT = ["Remove the unused import.", "Unused import, please remove it.", "Please remove this unused import."];

const learn = (comments: readonly LearnComment[], options: Partial<LearnOptions> = {}): LearnResult =>
  learnPatterns(comments, { ...DEFAULT_LEARN_OPTIONS, ...options });

const only = (r: LearnResult, commentId: number): Cluster => {
  const found = r.clusters.filter((c) => c.commentIds.includes(commentId));
  if (found.length !== 1 || found[0] === undefined) throw new Error(`comment ${String(commentId)} is in ${String(found.length)} clusters`);
  return found[0];
};

const shuffled = <T>(values: readonly T[], seed: number): T[] => {
  const out = [...values];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 48271) % 2147483647;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

describe("learnPatterns on hand-built comments", () => {
  it("finds a recurring pattern: 3 comments on 3 PRs in the window", () => {
    const comments = [
      comment(1, DOCSTRING[0] ?? "", { pullNumber: 1, createdAt: day(0) }),
      comment(2, DOCSTRING[1] ?? "", { pullNumber: 2, createdAt: day(4) }),
      comment(3, DOCSTRING[2] ?? "", { pullNumber: 3, createdAt: day(11) }),
      comment(4, UNUSED_IMPORT[0] ?? "", { pullNumber: 3, createdAt: day(11) }),
      comment(5, UNUSED_IMPORT[1] ?? "", { pullNumber: 4, createdAt: day(12) }),
    ];

    const r = learn(comments);

    expect(r.counts).toEqual({ comments: 5, actionable: 5, clustered: 5, recurring: 1 });
    expect(r.clusters.map((c) => [c.commentIds, c.recurring, c.category])).toEqual([
      [[1, 2, 3], true, "documentation"],
      [[4, 5], false, "dead-code"],
    ]);
    const docs = r.clusters[0];
    expect(docs).toMatchObject({
      id: seedId("acme/app", 1),
      scope: "acme/app",
      pullRequests: [1, 2, 3],
      reviewers: ["reviewer"],
      authors: ["dev"],
      occurrences: 3,
      firstSeen: day(0),
      lastSeen: day(11),
      weekly: [
        { week: "2024-02-26", count: 1 },
        { week: "2024-03-04", count: 1 },
        { week: "2024-03-11", count: 1 },
      ],
    });
    expect(docs?.title).toMatch(/docstring/i);
    expect(docs?.terms).toContain("docstring");
    expect(docs?.examples.map((e) => e.commentId).sort()).toEqual([1, 2, 3]);
    expect(docs?.examples.find((e) => e.commentId === 1)).toEqual({
      commentId: 1,
      url: "https://github.com/acme/app/pull/1#discussion_r1",
      repo: "acme/app",
      pullNumber: 1,
      path: "src/app/service.py",
      excerpt: "Please add a docstring to this function.",
    });
  });

  it("learns nothing from no comments", () => {
    expect(learn([])).toEqual({ clusters: [], dropped: [], counts: { comments: 0, actionable: 0, clustered: 0, recurring: 0 } });
  });

  it("does not call the same request on only 2 PRs recurring", () => {
    const comments = [
      comment(1, DOCSTRING[0] ?? "", { pullNumber: 1, createdAt: day(0) }),
      comment(2, DOCSTRING[1] ?? "", { pullNumber: 1, createdAt: day(1) }),
      comment(3, DOCSTRING[2] ?? "", { pullNumber: 2, createdAt: day(2) }),
    ];

    const r = learn(comments);

    expect(r.clusters).toHaveLength(1);
    expect(r.clusters[0]).toMatchObject({ commentIds: [1, 2, 3], pullRequests: [1, 2], occurrences: 3, recurring: false });
    expect(r.counts).toEqual({ comments: 3, actionable: 3, clustered: 3, recurring: 0 });
  });

  it("ends the window at the newest comment by default, or at windowEnd", () => {
    const comments = [
      comment(1, DOCSTRING[0] ?? "", { createdAt: day(0) }),
      comment(2, DOCSTRING[1] ?? "", { createdAt: day(1) }),
      comment(3, DOCSTRING[2] ?? "", { createdAt: day(2) }),
      // The newest comment, 120 days later, and dropped: the window still ends here.
      comment(4, "LGTM, thanks!", { createdAt: day(122) }),
    ];

    expect(learn(comments).clusters.map((c) => [c.commentIds, c.recurring])).toEqual([[[1, 2, 3], false]]);
    expect(learn(comments.slice(0, 3)).clusters.map((c) => c.recurring)).toEqual([true]);
    expect(learn(comments, { windowEnd: Date.parse(day(30)) }).clusters.map((c) => c.recurring)).toEqual([true]);
    // Within 92 days of the end (the first comment is 92 days old) only two comments count.
    expect(learn(comments, { windowEnd: Date.parse(day(92)) }).clusters.map((c) => c.recurring)).toEqual([false]);
    expect(learn(comments, { windowEnd: Date.parse(day(90)) }).clusters.map((c) => c.recurring)).toEqual([true]);
  });

  it("follows the recurrence thresholds given", () => {
    const comments = [comment(1, DOCSTRING[0] ?? "", { createdAt: day(0) }), comment(2, DOCSTRING[1] ?? "", { createdAt: day(1) })];

    expect(learn(comments).clusters.map((c) => c.recurring)).toEqual([false]);
    expect(learn(comments, { thresholds: { ...DEFAULT_THRESHOLDS, minOccurrences: 2, minPullRequests: 2 } }).clusters.map((c) => c.recurring)).toEqual([true]);
  });

  it("drops comments that ask for nothing, each with its reason, in chronological order", () => {
    const comments = [
      comment(6, "Done, added the docstring.", { author: "Dev", createdAt: day(6) }),
      comment(1, "Please add a docstring.", { author: "ci-helper[bot]", authorKind: "bot", createdAt: day(1) }),
      comment(2, "LGTM, thanks!", { createdAt: day(2) }),
      comment(3, "Why is this here?", { createdAt: day(3) }),
      comment(4, "+1", { createdAt: day(4) }),
      comment(5, "Please add a docstring.", { authorKind: "agent", createdAt: day(5) }),
      comment(7, "Please add a docstring.", { createdAt: day(7) }),
    ];

    const r = learn(comments);

    expect(r.dropped).toEqual([
      { commentId: 1, reason: "bot", detail: "written by a bot" },
      { commentId: 2, reason: "praise", detail: "praise or thanks, no request" },
      { commentId: 3, reason: "question", detail: "only questions, no concrete request" },
      { commentId: 4, reason: "agreement", detail: "a bare +1 or agreement" },
      { commentId: 5, reason: "bot", detail: "written by an AI agent" },
      { commentId: 6, reason: "author-reply", detail: "the PR author's own comment" },
    ]);
    expect(r.counts).toEqual({ comments: 7, actionable: 1, clustered: 0, recurring: 0 });
    expect(r.clusters).toEqual([]);
  });

  it("keeps the PR author's comment when the PR author is unknown, and keeps what `keep` says to", () => {
    const comments = [comment(1, "Done, added the docstring.", { author: "dev", pullAuthor: null }), comment(2, "Why is this here?")];

    expect(learn(comments).dropped).toEqual([{ commentId: 2, reason: "question", detail: "only questions, no concrete request" }]);
    expect(learn(comments, { keep: ["question"] }).dropped).toEqual([]);
    expect(learn(comments, { keep: ["question"] }).counts.actionable).toBe(2);
  });

  describe("scope", () => {
    const comments = [
      comment(1, DOCSTRING[0] ?? "", { repo: "acme/app", pullNumber: 1, createdAt: day(0) }),
      comment(2, DOCSTRING[1] ?? "", { repo: "acme/app", pullNumber: 2, createdAt: day(1) }),
      comment(3, DOCSTRING[2] ?? "", { repo: "acme/lib", pullNumber: 1, createdAt: day(2) }),
      comment(4, DOCSTRING[3] ?? "", { repo: "acme/lib", pullNumber: 2, createdAt: day(3) }),
      comment(5, DOCSTRING[4] ?? "", { repo: "other/tool", pullNumber: 1, createdAt: day(4) }),
      comment(6, DOCSTRING[0] ?? "", { repo: "other/tool", pullNumber: 2, createdAt: day(5) }),
    ];
    const shape = (r: LearnResult): [string, number[], boolean][] =>
      r.clusters.map((c) => [c.scope, c.commentIds, c.recurring] as [string, number[], boolean]).sort((a, b) => (a[1][0] ?? 0) - (b[1][0] ?? 0));

    it('"repo" keeps repositories apart', () => {
      expect(shape(learn(comments, { scope: "repo" }))).toEqual([
        ["acme/app", [1, 2], false],
        ["acme/lib", [3, 4], false],
        ["other/tool", [5, 6], false],
      ]);
    });

    it('"org" joins the repositories of one owner, counting same-numbered PRs of two repos as two PRs', () => {
      const r = learn(comments, { scope: "org" });

      expect(shape(r)).toEqual([
        ["org:acme", [1, 2, 3, 4], true],
        ["org:other", [5, 6], false],
      ]);
      expect(only(r, 1).id).toBe(seedId("org:acme", 1));
    });

    it('"all" joins everything', () => {
      const r = learn(comments, { scope: "all" });

      expect(shape(r)).toEqual([["all", [1, 2, 3, 4, 5, 6], true]]);
      expect(only(r, 1).id).toBe(seedId("all", 1));
    });
  });

  describe("stable ids", () => {
    const base = [
      comment(10, DOCSTRING[0] ?? "", { pullNumber: 1, createdAt: day(10) }),
      comment(11, DOCSTRING[1] ?? "", { pullNumber: 2, createdAt: day(11) }),
      comment(12, DOCSTRING[2] ?? "", { pullNumber: 3, createdAt: day(12) }),
      comment(20, UNUSED_IMPORT[0] ?? "", { pullNumber: 2, createdAt: day(11) }),
      comment(21, UNUSED_IMPORT[1] ?? "", { pullNumber: 3, createdAt: day(13) }),
    ];

    it("seeds a new pattern's id from its scope and oldest comment", () => {
      const r = learn(base);

      expect(only(r, 10).id).toBe(seedId("acme/app", 10));
      expect(only(r, 20).id).toBe(seedId("acme/app", 20));
    });

    it("keeps the id when newer comments join, without `previous`", () => {
      const before = learn(base);
      const after = learn([...base, comment(13, DOCSTRING[3] ?? "", { pullNumber: 4, createdAt: day(20) }), comment(22, UNUSED_IMPORT[2] ?? "", { pullNumber: 5, createdAt: day(21) })]);

      expect(only(after, 13).commentIds).toEqual([10, 11, 12, 13]);
      expect(only(after, 13).id).toBe(only(before, 10).id);
      expect(only(after, 22).commentIds).toEqual([20, 21, 22]);
      expect(only(after, 22).id).toBe(only(before, 20).id);
    });

    it("moves the seed when an older comment joins, and `previous` keeps the id", () => {
      const before = learn(base);
      const older = comment(5, DOCSTRING[3] ?? "", { pullNumber: 9, createdAt: day(1) });

      const fresh = learn([...base, older]);
      expect(only(fresh, 5).commentIds).toEqual([5, 10, 11, 12]);
      expect(only(fresh, 5).id).toBe(seedId("acme/app", 5));
      expect(only(fresh, 5).id).not.toBe(only(before, 10).id);

      const kept = learn([...base, older], { previous: before.clusters });
      expect(only(kept, 5).id).toBe(only(before, 10).id);
      expect(only(kept, 20).id).toBe(only(before, 20).id);
    });

    it("gives the same result, ids included, for the same input in any order", () => {
      const a = learn(base);

      expect(learn(shuffled(base, 3))).toEqual(a);
      expect(learn([...base].reverse())).toEqual(a);
    });
  });

  describe("refinement", () => {
    const comments = [
      comment(1, DOCSTRING[0] ?? "", { pullNumber: 1, createdAt: day(0) }),
      comment(2, DOCSTRING[1] ?? "", { pullNumber: 2, createdAt: day(1) }),
      comment(3, DOCSTRING[2] ?? "", { pullNumber: 3, createdAt: day(2) }),
      comment(4, UNUSED_IMPORT[0] ?? "", { pullNumber: 4, createdAt: day(3) }),
      comment(5, UNUSED_IMPORT[1] ?? "", { pullNumber: 5, createdAt: day(4) }),
      comment(6, DOCSTRING[0] ?? "", { repo: "acme/lib", pullNumber: 1, createdAt: day(5) }),
      comment(7, DOCSTRING[1] ?? "", { repo: "acme/lib", pullNumber: 2, createdAt: day(6) }),
    ];
    const base = learn(comments);
    const docs = only(base, 1);
    const imports = only(base, 4);
    const lib = only(base, 6);
    const refine = (r: Partial<Refinement>): LearnResult =>
      learn(comments, { refinement: { titles: new Map(), categories: new Map(), merges: [], ...r } });

    it("starts from three clusters in two scopes", () => {
      expect(base.clusters.map((c) => [c.scope, c.commentIds]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))).toEqual([
        ["acme/app", [1, 2, 3]],
        ["acme/app", [4, 5]],
        ["acme/lib", [6, 7]],
      ]);
    });

    it("replaces titles and categories, ignoring unknown ids", () => {
      const r = refine({
        titles: new Map([
          [docs.id, "Document every public function"],
          ["p-unknown", "Nothing"],
        ]),
        categories: new Map<string, Category>([
          [imports.id, "style"],
          ["p-unknown", "security"],
        ]),
      });

      expect(only(r, 1)).toEqual({ ...docs, title: "Document every public function" });
      expect(only(r, 4)).toEqual({ ...imports, category: "style" });
      expect(only(r, 6)).toEqual(lib);
    });

    it("merges clusters of one scope; the larger keeps its id and takes the other's members", () => {
      const r = refine({ merges: [[imports.id, docs.id]] });

      expect(r.clusters.map((c) => [c.id, c.commentIds])).toEqual([
        [docs.id, [1, 2, 3, 4, 5]],
        [lib.id, [6, 7]],
      ]);
      expect(only(r, 4)).toMatchObject({ occurrences: 5, pullRequests: [1, 2, 3, 4, 5], recurring: true, title: docs.title, category: docs.category });
      expect(r.counts).toEqual({ ...base.counts, clustered: 7, recurring: 1 });
    });

    it("applies a title given to the merged-away cluster to the survivor, unless the survivor has its own", () => {
      expect(only(refine({ merges: [[docs.id, imports.id]], titles: new Map([[imports.id, "Tidy up"]]) }), 1).title).toBe("Tidy up");
      expect(
        only(
          refine({
            merges: [[docs.id, imports.id]],
            titles: new Map([
              [imports.id, "Tidy up"],
              [docs.id, "Document functions"],
            ]),
          }),
          1,
        ).title,
      ).toBe("Document functions");
    });

    it("does not merge clusters of different scopes, nor unknown ids", () => {
      expect(refine({ merges: [[docs.id, lib.id]] })).toEqual(base);
      expect(refine({ merges: [[docs.id, "p-unknown"], ["p-unknown", "p-other"]] })).toEqual(base);
    });
  });
});

describe("applyRefinement", () => {
  const member = (id: number, createdAt: string): LearnComment => comment(id, "body", { createdAt });
  const draft = (members: LearnComment[], over: Partial<ClusterDraft> = {}): ClusterDraft => ({
    scope: "acme/app",
    category: "design",
    members,
    terms: [],
    title: "offline",
    centrality: new Map(),
    ...over,
  });
  const none: Refinement = { titles: new Map(), categories: new Map(), merges: [] };

  it("returns the drafts unchanged without refinements", () => {
    const drafts = new Map([["A", draft([member(1, day(1)), member(2, day(2))])]]);

    expect(applyRefinement(drafts, none)).toEqual(drafts);
  });

  it("lets the larger side keep its id and joins members and centrality", () => {
    const drafts = new Map([
      ["A", draft([member(1, day(1)), member(2, day(2))], { centrality: new Map([[1, 0.5]]) })],
      ["B", draft([member(3, day(0)), member(4, day(3)), member(5, day(4))], { centrality: new Map([[3, 0.9]]), title: "B title" })],
    ]);

    const out = applyRefinement(drafts, { ...none, merges: [["A", "B"]] });

    expect([...out.keys()]).toEqual(["B"]);
    expect(out.get("B")?.members.map((m) => m.id)).toEqual([3, 4, 5, 1, 2]);
    expect(out.get("B")?.centrality).toEqual(
      new Map([
        [1, 0.5],
        [3, 0.9],
      ]),
    );
    expect(out.get("B")?.title).toBe("B title");
  });

  it("lets the older side keep its id on a size tie", () => {
    const drafts = new Map([
      ["A", draft([member(1, day(5)), member(2, day(6))])],
      ["B", draft([member(3, day(1)), member(4, day(9))])],
    ]);

    expect([...applyRefinement(drafts, { ...none, merges: [["A", "B"]] }).keys()]).toEqual(["B"]);
    expect([...applyRefinement(drafts, { ...none, merges: [["B", "A"]] }).keys()]).toEqual(["B"]);
  });

  it("follows chains of merges", () => {
    const drafts = new Map([
      ["A", draft([member(1, day(1)), member(2, day(2))])],
      ["B", draft([member(3, day(3)), member(4, day(4))])],
      ["C", draft([member(5, day(5)), member(6, day(6)), member(7, day(7))])],
    ]);

    const out = applyRefinement(drafts, {
      ...none,
      merges: [
        ["A", "B"],
        ["B", "C"],
      ],
      categories: new Map<string, Category>([["B", "testing"]]),
    });

    expect([...out.keys()]).toEqual(["A"]);
    expect(out.get("A")?.members.map((m) => m.id).sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(out.get("A")?.category).toBe("testing");
  });

  it("ignores merges across scopes and self-merges", () => {
    const drafts = new Map([
      ["A", draft([member(1, day(1)), member(2, day(2))])],
      ["B", draft([member(3, day(3)), member(4, day(4))], { scope: "acme/lib" })],
    ]);

    expect(
      applyRefinement(drafts, {
        ...none,
        merges: [
          ["A", "B"],
          ["A", "A"],
        ],
      }),
    ).toEqual(drafts);
  });

  // Regression: the tie-break reads the merged groups, not the original drafts.
  it("on a size tie after an earlier merge, lets the group holding the oldest comment keep its id", () => {
    const drafts = new Map([
      ["X", draft([member(1, day(5)), member(2, day(6)), member(3, day(7))])],
      ["Y", draft([member(4, day(1)), member(5, day(2))])],
      ["Z", draft([member(6, day(3)), member(7, day(4)), member(8, day(8)), member(9, day(9)), member(10, day(10))])],
    ]);

    const out = applyRefinement(drafts, {
      ...none,
      merges: [
        ["X", "Y"],
        ["X", "Z"],
      ],
    });

    expect([...out.keys()]).toEqual(["X"]);
  });
});

describe("scopeOf and voteCategory", () => {
  it("names the scope of a repository", () => {
    expect(scopeOf("acme/app", "repo")).toBe("acme/app");
    expect(scopeOf("acme/app", "org")).toBe("org:acme");
    expect(scopeOf("acme/app", "all")).toBe("all");
  });

  it("votes by count weighted by confidence, ignores zero-confidence votes, and defaults to design", () => {
    expect(voteCategory([])).toBe("design");
    expect(voteCategory([{ category: "testing", confidence: 0 }])).toBe("design");
    expect(
      voteCategory([
        { category: "testing", confidence: 1 },
        { category: "naming", confidence: 3 },
      ]),
    ).toBe("naming");
    expect(
      voteCategory([
        { category: "testing", confidence: 1 },
        { category: "testing", confidence: 1 },
        { category: "naming", confidence: 9 },
      ]),
    ).toBe("testing");
  });
});

describe("learnPatterns on real review comments", () => {
  const actors = createActorClassifier({ self: { appId: null, appSlug: null } });
  const comments = parseReviewComments(JSON.stringify(crcComments()), actors);
  const byId = new Map(comments.map((c) => [c.id, c]));

  it("finds clusters across all repositories", () => {
    expect(learn(comments, { scope: "all" }).clusters.length).toBeGreaterThan(0);
  });

  it("with a window covering everything and 2/2 thresholds, marks exactly the clusters on 2+ distinct PRs recurring", () => {
    const thresholds = { minOccurrences: 2, minPullRequests: 2, windowDays: 100_000 };
    const r = learn(comments, { scope: "all", thresholds });
    const prsOf = (c: Cluster): number => new Set(c.commentIds.map((id) => `${byId.get(id)?.repo ?? "?"}#${String(byId.get(id)?.pullNumber)}`)).size;

    expect(r.counts.recurring).toBeGreaterThan(0);
    expect(r.clusters.map((c) => c.recurring)).toEqual(r.clusters.map((c) => prsOf(c) >= 2));
    // Thresholds change only the recurring flags (and so the order), not the clusters.
    const key = (c: Cluster): string => c.id;
    expect(r.clusters.map((c) => ({ ...c, recurring: false })).sort((a, b) => key(a).localeCompare(key(b)))).toEqual(
      learn(comments, { scope: "all" })
        .clusters.map((c) => ({ ...c, recurring: false }))
        .sort((a, b) => key(a).localeCompare(key(b))),
    );
  });

  describe.each(["repo", "org", "all"] as const)("scope %s", (scope) => {
    const r = learn(comments, { scope });

    it("reads every comment and accounts for each", () => {
      expect(r.counts.comments).toBe(comments.length);
      expect(r.counts.actionable + r.dropped.length).toBe(comments.length);
      expect(r.counts.clustered).toBe(r.clusters.reduce((n, c) => n + c.occurrences, 0));
      expect(r.counts.recurring).toBe(r.clusters.filter((c) => c.recurring).length);
      expect(r.counts.clustered).toBeLessThanOrEqual(r.counts.actionable);
      const bots = comments.filter((c) => c.authorKind !== "human").map((c) => c.id);
      for (const id of bots) expect(r.dropped.find((d) => d.commentId === id)?.reason).toBe("bot");
    });

    it("puts every comment in at most one cluster, and never a dropped one", () => {
      const all = r.clusters.flatMap((c) => c.commentIds);
      const dropped = new Set(r.dropped.map((d) => d.commentId));

      expect(new Set(all).size).toBe(all.length);
      for (const id of all) {
        expect(byId.has(id)).toBe(true);
        expect(dropped.has(id)).toBe(false);
      }
    });

    it("describes each cluster consistently", () => {
      expect(new Set(r.clusters.map((c) => c.id)).size).toBe(r.clusters.length);
      for (const c of r.clusters) {
        const members = c.commentIds.map((id) => byId.get(id)).filter((m): m is LearnComment => m !== undefined);
        expect(members).toHaveLength(c.commentIds.length);
        expect(c.commentIds.length).toBeGreaterThanOrEqual(2);
        expect(c.commentIds).toEqual([...c.commentIds].sort((a, b) => a - b));
        expect(c.occurrences).toBe(c.commentIds.length);
        expect(c.weekly.reduce((n, w) => n + w.count, 0)).toBe(c.occurrences);
        expect(c.examples.length).toBeGreaterThanOrEqual(1);
        expect(c.examples.length).toBeLessThanOrEqual(5);
        for (const e of c.examples) expect(c.commentIds).toContain(e.commentId);
        expect(new Set(c.examples.map((e) => e.commentId)).size).toBe(c.examples.length);
        expect(c.firstSeen <= c.lastSeen).toBe(true);
        expect(c.firstSeen).toBe(members.map((m) => m.createdAt).sort()[0]);
        expect(c.lastSeen).toBe(members.map((m) => m.createdAt).sort().at(-1));
        for (const m of members) expect(scopeOf(m.repo, scope)).toBe(c.scope);
        expect(c.title).not.toBe("");
        expect(c.title).not.toMatch(/x(ident|str|num|url|user|code)x/);
      }
    });

    it("marks as recurring exactly the clusters that meet the thresholds in the window", () => {
      const windowEnd = Math.max(...comments.map((c) => Date.parse(c.createdAt)));
      const start = windowEnd - DEFAULT_THRESHOLDS.windowDays * 86_400_000;
      for (const c of r.clusters) {
        const inside = c.commentIds.map((id) => byId.get(id)).filter((m): m is LearnComment => m !== undefined && Date.parse(m.createdAt) >= start);
        const prs = new Set(inside.map((m) => `${m.repo}#${String(m.pullNumber)}`));
        expect(c.recurring).toBe(inside.length >= DEFAULT_THRESHOLDS.minOccurrences && prs.size >= DEFAULT_THRESHOLDS.minPullRequests);
      }
    });

    it("orders recurring clusters first, then by size", () => {
      for (let i = 1; i < r.clusters.length; i++) {
        const a = r.clusters[i - 1];
        const b = r.clusters[i];
        if (a === undefined || b === undefined) continue;
        expect(Number(a.recurring) > Number(b.recurring) || (a.recurring === b.recurring && a.occurrences >= b.occurrences)).toBe(true);
      }
    });

    it("gives the same output on a second run and for any input order", () => {
      expect(learn(comments, { scope })).toEqual(r);
      expect(learn(shuffled(comments, 11), { scope })).toEqual(r);
      expect(learn([...comments].reverse(), { scope })).toEqual(r);
    });

    it("keeps every id when relearning with its own result as `previous`", () => {
      expect(learn(comments, { scope, previous: r.clusters })).toEqual(r);
    });
  });
});
