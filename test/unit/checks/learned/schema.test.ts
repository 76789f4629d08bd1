import { readFile } from "node:fs/promises";
import { LEARNED_CHECKS_DIR, LearnedCheckSchema, learnedCheckIssues, learnedCheckJsonSchema } from "../../../../src/checks/learned/schema.js";

const minimal = { id: "no-sleep-in-tests", title: "Avoid sleeps in tests", message: "Wait for the condition instead.", severity: "warning", pattern: "\\bsleep\\(" };

const issuesOf = (value: unknown): string[] => {
  const r = LearnedCheckSchema.safeParse(value);
  return r.success ? [] : learnedCheckIssues(r.error.issues).map((i) => `${i.path}: ${i.message}`);
};

describe("learned check schema", () => {
  it("lives under .github/review-reviewer/checks", () => {
    expect(LEARNED_CHECKS_DIR).toBe(".github/review-reviewer/checks");
  });

  it("accepts a minimal check and fills the defaults", () => {
    expect(LearnedCheckSchema.parse(minimal)).toEqual({ ...minimal, paths: { include: ["**"], exclude: [] }, evidence: [] });
  });

  it("accepts every field, a pattern list and each severity", () => {
    for (const severity of ["notice", "warning", "failure"]) {
      const full = {
        ...minimal,
        severity,
        paths: { include: ["tests/**/*.py", "**/*.test.ts"], exclude: ["tests/fixtures/**"] },
        pattern: ["\\btime\\.sleep\\(", "\\bawait sleep\\("],
        unless: "#\\s*allow-sleep",
        evidence: ["https://github.com/o/r/pull/1#discussion_r10", "http://ghe.example.com/o/r/pull/2"],
      };

      expect(LearnedCheckSchema.parse(full)).toEqual(full);
    }
  });

  it.each([
    ["an id that is not kebab-case", { ...minimal, id: "No_Sleep" }, "id: must be kebab-case"],
    ["an id over 63 characters", { ...minimal, id: `a${"-b".repeat(32)}` }, "id: Too big"],
    ["a title on two lines", { ...minimal, title: "One\nTwo" }, "title: must be one line"],
    ["a message over 1000 characters", { ...minimal, message: "x".repeat(1001) }, "message: Too big"],
    ["GitHub's other names for levels", { ...minimal, severity: "error" }, "severity: Invalid option"],
    ["an empty pattern list", { ...minimal, pattern: [] }, "pattern: needs at least one pattern"],
    ["101 patterns", { ...minimal, pattern: Array.from({ length: 101 }, (_, i) => `p${String(i)}`) }, "pattern: takes at most 100 patterns"],
    ["a pattern over 500 characters", { ...minimal, pattern: ["ok", "x".repeat(501)] }, "pattern.1: Too big: expected string to have <=500 characters"],
    ["a single pattern over 500 characters", { ...minimal, pattern: "x".repeat(501) }, "pattern: Too big: expected string to have <=500 characters"],
    ["an empty pattern", { ...minimal, pattern: "" }, "pattern: must not be empty"],
    ["a pattern that is a number", { ...minimal, pattern: 5 }, "pattern: expected string or array"],
    ["an unless over 500 characters", { ...minimal, unless: "x".repeat(501) }, "unless: Too big"],
    ["51 include globs", { ...minimal, paths: { include: Array.from({ length: 51 }, () => "**") } }, "paths.include: takes at most 50 include globs"],
    ["an empty include list", { ...minimal, paths: { include: [] } }, "paths.include: needs at least one glob"],
    ["a glob over 200 characters", { ...minimal, paths: { exclude: ["ok/**", `${"d/".repeat(100)}x`] } }, "paths.exclude.1: Too big"],
    ["an unknown key under paths", { ...minimal, paths: { includes: ["**"] } }, 'paths: Unrecognized key: "includes"'],
    ["an unknown top-level key", { ...minimal, level: "warning" }, ': Unrecognized key: "level"'],
    ["a javascript: URL as evidence", { ...minimal, evidence: ["https://github.com/o/r/pull/1", "javascript:alert(1)"] }, "evidence.1: must be an http(s) URL"],
    ["51 evidence URLs", { ...minimal, evidence: Array.from({ length: 51 }, (_, i) => `https://github.com/o/r/pull/${String(i)}`) }, "evidence: takes at most 50 URLs"],
    ["a missing severity", { ...minimal, severity: undefined }, "severity: Invalid option"],
  ])("rejects %s, naming the field", (_, value, expected) => {
    expect(issuesOf(value).join("\n")).toContain(expected);
  });

  it("keeps docs/learned-check.schema.json equal to the zod schema (run `node dist/checks/learned/write-schema.js`)", async () => {
    const committed = JSON.parse(await readFile("docs/learned-check.schema.json", "utf8")) as unknown;

    expect(committed).toEqual(learnedCheckJsonSchema());
  });
});
