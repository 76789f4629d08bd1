import { compileCheck, type CompiledCheck, type InvalidCheck } from "../../../../src/checks/learned/compile.js";
import { readAddedLines, type AddedLine } from "../../../../src/checks/learned/diff.js";
import { conclusionFor, runChecks, summaryFor, titleFor, type Annotation } from "../../../../src/checks/learned/run.js";

interface Spec {
  id: string;
  severity?: "notice" | "warning" | "failure";
  pattern: string | string[];
  unless?: string;
  include?: string[];
  exclude?: string[];
  title?: string;
}

const check = (s: Spec): CompiledCheck => {
  const value = {
    id: s.id,
    title: s.title ?? `Title of ${s.id}`,
    message: `Message of ${s.id}.`,
    severity: s.severity ?? "warning",
    pattern: s.pattern,
    ...(s.unless === undefined ? {} : { unless: s.unless }),
    paths: { include: s.include ?? ["**"], exclude: s.exclude ?? [] },
  };
  const r = compileCheck(`checks/${s.id}.yml`, JSON.stringify(value));
  if (!r.ok) throw new Error(r.error);
  return r.check;
};

const line = (path: string, n: number, text: string): AddedLine => ({ path, line: n, text });

const annotation = (a: Partial<Annotation> & Pick<Annotation, "path" | "line" | "checkId">): Annotation => ({
  severity: "warning",
  title: `Title of ${a.checkId}`,
  message: `Message of ${a.checkId}.`,
  ...a,
});

describe("runChecks", () => {
  it("annotates matching lines in path, line, check id order", () => {
    const checks = [check({ id: "zeta", pattern: "TODO" }), check({ id: "alpha", pattern: ["console\\.log", "TODO"] })];
    const lines = [line("src/b.ts", 3, "TODO console.log(x)"), line("src/a.ts", 10, "// TODO"), line("src/a.ts", 2, "console.log(1)"), line("src/B.ts", 1, "TODO")];

    expect(runChecks(checks, lines).map((a) => `${a.path}:${String(a.line)}:${a.checkId}`)).toEqual([
      "src/B.ts:1:alpha",
      "src/B.ts:1:zeta",
      "src/a.ts:2:alpha",
      "src/a.ts:10:alpha",
      "src/a.ts:10:zeta",
      "src/b.ts:3:alpha",
      "src/b.ts:3:zeta",
    ]);
  });

  it("carries the check's severity, title and message", () => {
    const checks = [check({ id: "no-print", severity: "failure", pattern: "\\bprint\\(", title: "Use the logger" })];

    expect(runChecks(checks, [line("app.py", 7, "    print(x)")])).toEqual([
      { path: "app.py", line: 7, checkId: "no-print", severity: "failure", title: "Use the logger", message: "Message of no-print." },
    ]);
  });

  it("does not flag a line that matches unless", () => {
    const checks = [check({ id: "no-sleep", pattern: "sleep\\(", unless: "#\\s*allow-sleep" })];
    const lines = [line("t.py", 1, "time.sleep(1)"), line("t.py", 2, "time.sleep(1)  # allow-sleep"), line("t.py", 3, "asyncio.sleep(0)")];

    expect(runChecks(checks, lines).map((a) => a.line)).toEqual([1, 3]);
  });

  it("reads only the files a check applies to", () => {
    const checks = [check({ id: "py-only", pattern: "x", include: ["**/*.py"], exclude: ["tests/fixtures/**"] })];
    const lines = [line("a.py", 1, "x"), line("a.ts", 1, "x"), line("tests/fixtures/b.py", 1, "x"), line("tests/b.py", 1, "x")];

    expect(runChecks(checks, lines).map((a) => a.path)).toEqual(["a.py", "tests/b.py"]);
  });

  it("annotates a line once per check, even when several patterns or a repeated file match", () => {
    const checks = [check({ id: "dup", pattern: ["a", "b"] })];

    expect(runChecks(checks, [line("f", 1, "ab"), line("f", 1, "ab")])).toHaveLength(1);
  });

  it("returns nothing without checks or lines", () => {
    expect(runChecks([], [line("f", 1, "x")])).toEqual([]);
    expect(runChecks([check({ id: "x", pattern: "x" })], [])).toEqual([]);
  });

  it("finds exactly what testing every check on every line finds, over several RE2 sets", () => {
    // 150 checks with 2 patterns each: 300 patterns, three sets of up to 128.
    const checks = Array.from({ length: 150 }, (_, i) =>
      check({
        id: `c${String(i)}`,
        pattern: [`\\bw${String(i)}\\b`, `(?i)k${String(i % 7)}x${String(i % 11)}`],
        ...(i % 5 === 0 ? { unless: "skip" } : {}),
        include: i % 3 === 0 ? ["**/*.ts"] : ["**"],
      }),
    );
    const lines = Array.from({ length: 400 }, (_, n) => line(n % 2 === 0 ? `src/f${String(n % 9)}.ts` : `lib/g${String(n % 4)}.py`, n + 1, `w${String(n % 160)} K${String(n % 7)}X${String(n % 13)}${n % 10 === 0 ? " skip" : ""}`));

    const naive: string[] = [];
    for (const l of lines) for (const c of checks) if (c.appliesTo(l.path) && c.flags(l.text)) naive.push(`${l.path}:${String(l.line)}:${c.check.id}`);
    const got = runChecks(checks, lines).map((a) => `${a.path}:${String(a.line)}:${a.checkId}`);

    expect(got.length).toBeGreaterThan(100);
    expect([...got].sort()).toEqual([...naive].sort());
  });

  it("works end to end from a diff", () => {
    const diff = "diff --git a/src/x.ts b/src/x.ts\n--- a/src/x.ts\n+++ b/src/x.ts\n@@ -1,2 +1,3 @@\n a\n+debugger;\n b\n";

    expect(runChecks([check({ id: "no-debugger", pattern: "^\\s*debugger;" })], readAddedLines(diff).lines)).toEqual([
      annotation({ path: "src/x.ts", line: 2, checkId: "no-debugger" }),
    ]);
  });
});

describe("conclusionFor", () => {
  const a = (severity: Annotation["severity"]): Annotation => annotation({ path: "f", line: 1, checkId: "c", severity });
  const bad: InvalidCheck[] = [{ path: ".github/review-reviewer/checks/x.yml", error: "pattern: lookahead (?=…) is not supported" }];

  it.each([
    ["nothing found", [], [], "success"],
    ["notices only", [a("notice"), a("notice")], [], "success"],
    ["a warning", [a("notice"), a("warning")], [], "neutral"],
    ["a failure", [a("warning"), a("failure"), a("notice")], [], "failure"],
    ["an invalid check file and nothing found", [], bad, "neutral"],
    ["an invalid check file and notices", [a("notice")], bad, "neutral"],
    ["an invalid check file and a failure", [a("failure")], bad, "failure"],
  ] as const)("%s → %s", (_, annotations, invalid, conclusion) => {
    expect(conclusionFor(annotations, invalid)).toBe(conclusion);
  });
});

describe("titleFor and summaryFor", () => {
  const checks = [
    check({ id: "no-console-log", severity: "failure", pattern: "console\\.log", title: "Remove <debug> logging @team" }),
    check({ id: "todo-issue", severity: "notice", pattern: "TODO" }),
    check({ id: "quiet", pattern: "never-matches-anything" }),
  ];

  it("titles the run by severity counts", () => {
    const annotations = runChecks(checks, [line("a.ts", 1, "console.log(1) // TODO"), line("a.ts", 2, "console.log(2)")]);

    expect(titleFor(annotations, [])).toBe("2 failures, 1 notice");
    expect(titleFor([], [{ path: "x.yml", error: "e" }])).toBe("1 invalid check file");
    expect(titleFor([], [])).toBe("No findings");
  });

  it("counts findings per check, lists invalid files and what the limits skipped, in safe markdown", () => {
    const diff = readAddedLines(
      [
        "diff --git a/a.ts b/a.ts",
        "--- a/a.ts",
        "+++ b/a.ts",
        "@@ -0,0 +1,3 @@",
        "+console.log(1) // TODO",
        "+console.log(2)",
        `+${"m".repeat(50)}`,
        "diff --git a/i.png b/i.png",
        "Binary files a/i.png and b/i.png differ",
        "diff --git a/b.ts b/b.ts",
        "--- a/b.ts",
        "+++ b/b.ts",
        "@@ -0,0 +1 @@",
        "+x",
        "",
      ].join("\n"),
      { maxFiles: 2, maxLineLength: 40 },
    );
    const annotations = runChecks(checks, diff.lines);
    const invalid = [{ path: ".github/review-reviewer/checks/bad`name.yml", error: "pattern: backreference \\1 is not supported <b>@here</b>" }];

    expect(summaryFor({ checks, annotations, invalid, diff, limits: { maxFiles: 2, maxLineLength: 40 } })).toBe(
      [
        "**3 findings** from 2 of 3 learned checks on 2 added lines in 2 files.",
        "",
        "| Check | Severity | Findings |",
        "|---|---|---:|",
        "| `no-console-log` Remove &lt;debug&gt; logging @\u200bteam | failure | 2 |",
        "| `todo-issue` Title of todo-issue | notice | 1 |",
        "",
        "### 1 check file could not be used",
        "",
        "Fix or remove these files; the other checks ran without them.",
        "",
        "- `.github/review-reviewer/checks/bad'name.yml`: pattern: backreference \\1 is not supported &lt;b&gt;@\u200bhere&lt;/b&gt;",
        "",
        "### Not checked",
        "",
        "- 1 file past the limit of 2 files per diff",
        "- 1 added line longer than 40 characters (minified or generated)",
        "- 1 binary file",
        "",
      ].join("\n"),
    );
  });

  it("says when nothing was flagged, or there was nothing to run", () => {
    const diff = readAddedLines("diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -0,0 +1 @@\n+ok\n");

    expect(summaryFor({ checks, annotations: [], invalid: [], diff })).toBe("No learned check flagged anything: 3 checks ran on 1 added line in 1 file.\n");
    expect(summaryFor({ checks: [], annotations: [], invalid: [] })).toBe("No learned checks to run.\n");
  });

  it("stays within GitHub's 65,535-character summary", () => {
    const invalid = Array.from({ length: 500 }, (_, i) => ({ path: `c/${"p".repeat(150)}${String(i)}.yml`, error: "e".repeat(1000) }));
    const text = summaryFor({ checks, annotations: [], invalid });

    expect(text.length).toBeLessThan(65_535);
    expect(text).toContain("- and 450 more files");
  });
});
