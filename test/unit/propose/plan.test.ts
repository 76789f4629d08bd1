import type { Check } from "../../../src/checks/schema.js";
import type { Cluster } from "../../../src/learn/types.js";
import { chooseFix, detectLinters, guessLinters, type RepoLinters } from "../../../src/propose/choose.js";
import { matchChecks } from "../../../src/propose/match.js";
import { buildPlan, patternMarker } from "../../../src/propose/plan.js";

const UNUSED_IMPORTS: Check = {
  id: "no-unused-imports",
  title: "Remove unused imports",
  description: "An import nothing uses costs load time and misleads readers.",
  category: "dead-code",
  phrases: ["remove unused import", "unused import", "this import is not used"],
  keywords: ["unused", "import"],
  rules: { "typescript-eslint": { rule: "@typescript-eslint/no-unused-vars", options: ["error"] }, ruff: { codes: ["F401"] } },
  guideline: "Remove imports that nothing in the file uses.",
};

const DOCSTRINGS: Check = {
  id: "add-docstrings",
  title: "Add docstrings to public functions",
  description: "A docstring says what a function is for.",
  category: "documentation",
  phrases: ["add a docstring", "missing docstring", "document the class"],
  keywords: ["docstring", "document"],
  rules: { ruff: { codes: ["D103"] } },
  guideline: "Give every public function a docstring.",
};

const CATALOG = new Map([UNUSED_IMPORTS, DOCSTRINGS].map((c) => [c.id, c]));

const cluster = (id: string, over: Partial<Cluster> = {}): Cluster => ({
  id,
  title: "Remove unused imports",
  category: "dead-code",
  recurring: true,
  scope: "acme/app",
  commentIds: [1, 2, 3],
  pullRequests: [1, 2, 3],
  pullRequestRefs: ["acme/app#1", "acme/app#2", "acme/app#3"],
  reviewers: ["ann"],
  authors: [],
  occurrences: 3,
  firstSeen: "2025-01-06T10:00:00.000Z",
  lastSeen: "2025-01-20T10:00:00.000Z",
  weekly: [
    { week: "2025-01-06", count: 1 },
    { week: "2025-01-13", count: 1 },
    { week: "2025-01-20", count: 1 },
  ],
  examples: [1, 2, 3].map((n) => ({ commentId: n, url: `https://github.com/acme/app/pull/${String(n)}#discussion_r${String(n)}`, repo: "acme/app", pullNumber: n, path: "app.py", excerpt: `excerpt ${String(n)}` })),
  terms: ["unused import", "import", "unused"],
  ...over,
});

const IMPORT_TEXTS = ["Please remove this unused import.", "Unused import `os`.", "Remove the unused import of `sys` here."];
const PY: RepoLinters = { found: new Map([["ruff", "pyproject.toml"]]), source: "files", typeAware: false };
const NONE: RepoLinters = { found: new Map(), source: "files", typeAware: false };

describe("matchChecks", () => {
  it("matches a check by its phrases, and says which phrases, how often, and the score", () => {
    expect(matchChecks(cluster("p-1"), IMPORT_TEXTS, [...CATALOG.values()])).toEqual([
      {
        checkId: "no-unused-imports",
        score: 3.5,
        phrases: [
          { phrase: "remove unused import", comments: 2 },
          { phrase: "unused import", comments: 3 },
        ],
        keywords: ["unused", "import"],
        sameCategory: true,
      },
    ]);
  });

  it("does not match words that only appear far apart, nor keywords alone", () => {
    const texts = ["A self-documenting name would help; the class is fine.", "Self documenting names please, this class is hard to read.", "Names should be self documenting in this class."];
    expect(matchChecks(cluster("p-2", { category: "naming", terms: ["self", "documenting", "class"] }), texts, [...CATALOG.values()])).toEqual([]);
  });
});

describe("chooseFix", () => {
  it("proposes a rule when the repository runs a linter that enforces the matching check", () => {
    const c = cluster("p-1");
    const choice = chooseFix(c, matchChecks(c, IMPORT_TEXTS, [...CATALOG.values()]), CATALOG, PY);
    expect(choice).toMatchObject({ kind: "rule", checkId: "no-unused-imports", linter: "ruff", configFile: "pyproject.toml" });
  });

  it("only proposes a linter for the kind of file the pattern's comments are on", () => {
    const c = cluster("p-1");
    const both: RepoLinters = { found: new Map([["typescript-eslint", "eslint.config.js"], ["ruff", "pyproject.toml"]]), source: "file-types", typeAware: false };
    const matches = matchChecks(c, IMPORT_TEXTS, [...CATALOG.values()]);
    expect(chooseFix(c, matches, CATALOG, both, undefined, ["app.py"])).toMatchObject({ kind: "rule", linter: "ruff" });
    expect(chooseFix(c, matches, CATALOG, both, undefined, ["web/app.ts"])).toMatchObject({ kind: "rule", linter: "typescript-eslint" });
    expect(chooseFix(c, matches, CATALOG, { found: new Map([["typescript-eslint", "eslint.config.js"]]), source: "files", typeAware: false }, undefined, ["app.py"])).toMatchObject({ kind: "guideline" });
  });

  it("proposes a type-aware rule only to a config with type information", () => {
    const typed = new Map([["no-unused-imports", { ...UNUSED_IMPORTS, rules: { "typescript-eslint": { rule: "@typescript-eslint/no-floating-promises", options: ["error"] as ["error"], typeChecked: true } } }]]);
    const c = cluster("p-1");
    const matches = matchChecks(c, IMPORT_TEXTS, [...typed.values()]);
    const ts = (typeAware: boolean): RepoLinters => ({ found: new Map([["typescript-eslint", "eslint.config.mjs"]]), source: "files", typeAware });
    expect(chooseFix(c, matches, typed, ts(false), undefined, ["a.ts"])).toMatchObject({ kind: "guideline" });
    expect(chooseFix(c, matches, typed, ts(true), undefined, ["a.ts"])).toMatchObject({ kind: "rule", linter: "typescript-eslint" });
  });

  it("falls back to a guideline carrying the check when the repository runs none of its linters", () => {
    const c = cluster("p-1");
    expect(chooseFix(c, matchChecks(c, IMPORT_TEXTS, [...CATALOG.values()]), CATALOG, NONE)).toMatchObject({ kind: "guideline", checkId: "no-unused-imports" });
  });

  it("escalates a widespread design pattern no rule settles, and not a small one", () => {
    const big = cluster("p-3", { category: "design", occurrences: 6, pullRequestRefs: ["a#1", "a#2", "a#3", "a#4"], terms: ["abstraction"] });
    expect(chooseFix(big, [], CATALOG, PY)).toMatchObject({ kind: "escalation" });
    expect(chooseFix({ ...big, occurrences: 3 }, [], CATALOG, PY)).toMatchObject({ kind: "guideline", checkId: null });
  });

  it("counts authors for a systemic cause when they are known (one author on four PRs is not systemic)", () => {
    const big = cluster("p-3", { category: "design", occurrences: 6, pullRequestRefs: ["a#1", "a#2", "a#3", "a#4"], terms: ["abstraction"] });
    expect(chooseFix({ ...big, authors: ["solo"] }, [], CATALOG, PY)).toMatchObject({ kind: "guideline" });
    expect(chooseFix({ ...big, authors: ["ana", "bo", "chen"] }, [], CATALOG, PY)).toMatchObject({ kind: "escalation", reason: expect.stringContaining("by 3 authors") as unknown });
    expect(chooseFix(big, [], CATALOG, PY, { minOccurrences: 5, minSpread: 5, categories: ["design"] })).toMatchObject({ kind: "guideline" });
  });
});

describe("detectLinters and guessLinters", () => {
  it("reads the repository's own config files", () => {
    const files: Record<string, string> = {
      "package.json": JSON.stringify({ devDependencies: { eslint: "^9", "typescript-eslint": "^8" } }),
      "pyproject.toml": "[project]\nname = 'x'\n\n[tool.ruff]\nline-length = 100\n",
    };
    files["eslint.config.mjs"] = "export default tseslint.config({ languageOptions: { parserOptions: { projectService: true } } });";
    const linters = detectLinters(["eslint.config.mjs", "package.json", "pyproject.toml", "README.md"], (p) => files[p]);
    expect(linters.typeAware).toBe(true);
    expect([...linters.found]).toEqual([
      ["eslint", "eslint.config.mjs"],
      ["typescript-eslint", "eslint.config.mjs"],
      ["ruff", "pyproject.toml"],
    ]);
    expect(detectLinters(["package.json"], () => "{not json").found.size).toBe(0);
    expect(detectLinters(["pyproject.toml"], () => "[project]\nname='x'\n").found.size).toBe(0);
  });

  it("guesses from the file types commented on when there is no checkout", () => {
    expect([...guessLinters(["a/b.py", "web/x.tsx", "README.md"]).found.keys()].sort()).toEqual(["eslint", "markdownlint", "ruff", "typescript-eslint"]);
  });
});

describe("buildPlan", () => {
  it("plans one proposal per recurring pattern, proposes each check once, and marks every body", () => {
    const texts = new Map([
      ["p-1", IMPORT_TEXTS],
      ["p-4", ["Unused import here.", "Please remove the unused import.", "unused import again"]],
      ["p-5", ["Please add a docstring.", "Missing docstring.", "Add a docstring to this."]],
    ]);
    const clusters = [
      cluster("p-1"),
      cluster("p-4", { pullRequestRefs: ["acme/app#4", "acme/app#5"], occurrences: 3 }),
      cluster("p-5", { title: "Add docstrings", category: "documentation", terms: ["docstring"] }),
      cluster("p-6", { recurring: false }),
    ];
    const plan = buildPlan(clusters, (c) => texts.get(c.id) ?? [], [...CATALOG.values()], { linters: PY });

    expect(plan.map((e) => [e.patternId, e.kind, e.checkId ?? null, e.files ?? null])).toEqual([
      ["p-1", "rule", "no-unused-imports", ["pyproject.toml"]],
      ["p-5", "rule", "add-docstrings", ["pyproject.toml"]],
      ["p-4", "guideline", null, ["CONTRIBUTING.md", "AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md"]],
    ]);
    for (const e of plan) expect(e.body.startsWith(patternMarker(e.patternId))).toBe(true);
    const rule = plan[0]?.body ?? "";
    expect(rule).toContain('extend-select = ["F401"]');
    expect(rule).toContain("**3 review comments** on **3 pull requests**");
    expect(rule).toContain("[acme/app#1](https://github.com/acme/app/pull/1#discussion_r1)");
    expect(rule).toContain("/review-reviewer ignore");
  });

  it("writes escalations in the evidence template, with numbers", () => {
    const c = cluster("p-7", { title: "Split large PRs", category: "process", occurrences: 7, pullRequestRefs: ["a#1", "a#2", "a#3", "a#4", "a#5"], terms: ["split", "pr"] });
    const [entry] = buildPlan([c], () => ["Please split this PR.", "This PR is too big, split it.", "Split unrelated changes out."], [...CATALOG.values()], { linters: PY });
    expect(entry?.kind).toBe("escalation");
    const headings = (entry?.body ?? "").split("\n").filter((l) => l.startsWith("#"));
    expect(headings).toEqual(["## Process Observation: Split large PRs", "### Pattern Detected", "### Evidence", "### Impact", "### Proposed Fix", "### Decision Needed"]);
    expect(entry?.body).toContain("7 times on 5 pull requests");
  });
});

describe("the rule PR's evidence", () => {
  const TS: RepoLinters = { found: new Map([["typescript-eslint", "eslint.config.js"], ["eslint", "eslint.config.js"]]), source: "files", typeAware: false };

  it("runs the rule on the commented code and on the fixed code, and says how many it would have flagged", () => {
    const c = cluster("p-ts", { examples: [], commentIds: [1, 2, 3] });
    const snippets = {
      before: [
        { path: "src/a.ts", code: 'import { readFile } from "node:fs";' },
        { path: "src/b.ts", code: 'import { join } from "node:path";' },
        { path: "src/c.ts", code: "export const x = 1;" },
      ],
      after: [{ path: "src/a.ts", code: "export const y = 2;" }],
    };
    const [entry] = buildPlan([c], () => IMPORT_TEXTS, [UNUSED_IMPORTS], { linters: TS, snippets: () => snippets });

    expect(entry?.kind).toBe("rule");
    expect(entry?.body).toContain(
      "Would it have caught them? On the commented code, the rule would have flagged 2 of 3 commented snippets. On the code after the fix, it would have flagged 0 of 1 commented snippet (fewer is better: the fix is what reviewers asked for).",
    );
  });

  it("says when it could not measure, and why", () => {
    const [ruff] = buildPlan([cluster("p-py")], () => IMPORT_TEXTS, [UNUSED_IMPORTS], { linters: PY });
    expect(ruff?.body).toContain("ruff does not run inside review-reviewer, so this is not measured");
    const [ts] = buildPlan([cluster("p-ts", { examples: [] })], () => IMPORT_TEXTS, [UNUSED_IMPORTS], { linters: TS, snippets: () => ({ before: [], after: [] }) });
    expect(ts?.body).toContain("Would it have caught them? Not measured: there are no commented snippets to check.");
  });

  it("links up to 10 comments: the examples first, then the newest others", () => {
    const ids = Array.from({ length: 14 }, (_, i) => i + 1);
    const comments = new Map(ids.map((id) => [id, { repo: "acme/app", pullNumber: id, body: `comment ${String(id)}`, url: `https://github.com/acme/app/pull/${String(id)}#discussion_r${String(id)}`, createdAt: `2025-01-${String(10 + id)}T00:00:00.000Z` }]));
    const [entry] = buildPlan([cluster("p-py", { commentIds: ids, occurrences: 14 })], () => IMPORT_TEXTS, [UNUSED_IMPORTS], { linters: PY, comments });
    const links = (entry?.body ?? "").split("\n").filter((l) => l.startsWith("- [acme/app#"));
    expect(links.map((l) => /#(\d+)\]/.exec(l)?.[1])).toEqual(["1", "2", "3", "14", "13", "12", "11", "10", "9", "8"]);
    expect(entry?.body).toContain("- …and 4 more (comment ids 4, 5, 6, 7)");
  });
});

describe("guideline bodies", () => {
  it("say which phrases of the check matched, and the score, when a check answered the pattern", () => {
    const [entry] = buildPlan([cluster("p-g")], () => IMPORT_TEXTS, [UNUSED_IMPORTS], { linters: NONE });
    expect(entry?.kind).toBe("guideline");
    expect(entry?.body).toMatch(/\nMatched: “[^”]*unused import[^”]*” \(\d comments?\).*; score \d/);
    expect(entry?.guideline).toBe("Remove imports that nothing in the file uses.");
  });
});
