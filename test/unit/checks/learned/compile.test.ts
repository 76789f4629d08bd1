import RE2 from "re2";
import {
  MAX_CHECK_FILE_BYTES,
  MAX_LEARNED_CHECKS,
  compileCheck,
  compileChecks,
  compilePattern,
  globToRe2,
  type CompiledCheck,
} from "../../../../src/checks/learned/compile.js";

const PATH = ".github/review-reviewer/checks/no-sleep-in-tests.yml";

const yaml = (extra = "", id = "no-sleep-in-tests"): string =>
  `id: ${id}\ntitle: Avoid sleeps in tests\nmessage: Wait for the condition instead.\nseverity: warning\n${extra}`;

const compiled = (text: string, path = PATH): CompiledCheck => {
  const r = compileCheck(path, text);
  if (!r.ok) throw new Error(`expected a valid check, got ${r.error}`);
  return r.check;
};

const errorOf = (text: string, path = PATH): string => {
  const r = compileCheck(path, text);
  if (r.ok) throw new Error("expected an invalid check");
  expect(r.path).toBe(path);
  return r.error;
};

const glob = (g: string): RE2 => {
  const r = globToRe2(g);
  if (!r.ok) throw new Error(r.error);
  return r.re;
};

describe("re2 under jest ESM", () => {
  it("imports as the RE2 constructor (default import of the CommonJS module)", () => {
    expect(typeof RE2).toBe("function");
    expect(new RE2("a+", "u")).toBeInstanceOf(RE2);
    expect(typeof RE2.Set).toBe("function");
  });
});

describe("compilePattern", () => {
  it("compiles an RE2 pattern", () => {
    const r = compilePattern("\\btime\\.sleep\\(");

    expect(r.ok && r.re.test("    time.sleep(1)")).toBe(true);
    expect(r.ok && r.re.test("    sleep(1)")).toBe(false);
  });

  it("rejects a backreference with a message naming it", () => {
    const r = compilePattern("(a)\\1");

    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/^backreference \\1 is not supported: patterns run on RE2, which matches in linear time and has no backreferences or lookaround \(RE2: invalid escape sequence: \\1\)$/);
  });

  it("rejects a lookahead with a message naming it", () => {
    const r = compilePattern("foo(?=x)");

    expect(!r.ok && r.error).toMatch(/^lookahead \(\?=…\) is not supported: patterns run on RE2/);
  });

  it.each([
    ["(?!x)y", "negative lookahead (?!…)"],
    ["(?<=x)y", "lookbehind (?<=…)"],
    ["(?<!x)y", "negative lookbehind (?<!…)"],
    ["(?>ab)c", "atomic group (?>…)"],
    ["a++", "possessive quantifier ++"],
    ["(?<n>a)\\k<n>", "named backreference \\k<…>"],
  ])("names the construct of %s", (source, construct) => {
    const r = compilePattern(source);

    expect(!r.ok && r.error).toContain(`${construct} is not supported`);
  });

  it("reports other syntax errors as RE2 says them", () => {
    expect(compilePattern("[abc")).toEqual({ ok: false, error: "not a valid RE2 pattern: missing ]: [abc" });
    expect(compilePattern("a{1001}")).toEqual({ ok: false, error: "a repetition count is above RE2's limit of 1000 (RE2: invalid repetition size: {1001})" });
  });

  it("enforces the 500-character limit and rejects the empty pattern", () => {
    expect(compilePattern("x".repeat(500)).ok).toBe(true);
    expect(compilePattern("x".repeat(501))).toEqual({ ok: false, error: "the pattern is 501 characters long; the limit is 500" });
    expect(compilePattern("")).toEqual({ ok: false, error: "the pattern is empty" });
  });

  it.each([".*", "x?", "\\s*", "a*|b"])("rejects %s, which matches every line", (source) => {
    expect(compilePattern(source)).toEqual({ ok: false, error: "the pattern matches every line (it even matches an empty one), so it cannot tell lines apart" });
  });

  it("keeps patterns that match empty lines but not every line", () => {
    expect(compilePattern("^$").ok).toBe(true);
    expect(compilePattern("^\\s+$").ok).toBe(true);
  });

  it("runs a catastrophic-backtracking pattern on a 100 kB line in linear time", () => {
    const r = compilePattern("(a+)+$");
    if (!r.ok) throw new Error(r.error);
    const line = `${"a".repeat(100_000)}!`;

    const t0 = performance.now();
    const result = r.re.test(line);
    const ms = performance.now() - t0;

    expect(result).toBe(false);
    expect(r.re.test("a".repeat(100_000))).toBe(true);
    // A hang guard only (JavaScript's RegExp would not return); the timing is the bench's job.
    expect(ms).toBeLessThan(1000);
  });

  it("supports case-insensitive matching inline and works on Unicode text", () => {
    const r = compilePattern("(?i)\\btodo\\b");
    const u = compilePattern("é{2}");

    expect(r.ok && r.re.test("// ToDo: later")).toBe(true);
    expect(u.ok && u.re.test("cafée")).toBe(false);
    expect(u.ok && u.re.test("caféé")).toBe(true);
  });
});

describe("globToRe2", () => {
  it.each([
    ["src/**/*.ts", ["src/a.ts", "src/x/y/a.ts", "src/.hidden.ts"], ["a.ts", "src/a.tsx", "lib/src/a.ts", "src/a.ts/x"]],
    ["**/*.test.ts", ["a.test.ts", "src/a.test.ts", "src/deep/er/a.test.ts"], ["a.test.tsx", "src/a.spec.ts", "src/test.ts"]],
    ["{a,b}/*.md", ["a/x.md", "b/readme.md"], ["c/x.md", "a/b/x.md", "ab/x.md", "a.md"]],
    ["[ab].ts", ["a.ts", "b.ts"], ["c.ts", "ab.ts", "/.ts"]],
    ["[!ab].ts", ["c.ts", "z.ts"], ["a.ts", "b.ts", "/.ts"]],
    ["[a-c]*.py", ["alpha.py", "c.py"], ["delta.py", "a/b.py"]],
    ["a+b(c).ts", ["a+b(c).ts"], ["aab(c).ts", "a+bc.ts", "a+b(c)xts", "aaab(c).ts"]],
    ["*.md", ["README.md"], ["docs/README.md"]],
    ["**", ["a", "a/b/c.txt"], []],
    ["docs/**", ["docs/a.md", "docs/x/y.md"], ["docs", "src/docs/a.md"]],
    ["src/**/fixtures/**", ["src/fixtures/a.json", "src/x/fixtures/y/z.json"], ["src/a.json"]],
    ["file?.js", ["file1.js", "fileA.js"], ["file.js", "file10.js", "file/.js"]],
    ["src/{api,util/**}/*.ts", ["src/api/a.ts", "src/util/a.ts", "src/util/x/a.ts"], ["src/lib/a.ts", "src/api/x/a.ts"]],
    ["**/*.{ts,tsx}", ["a.ts", "x/b.tsx"], ["c.js"]],
    ["{**/,}*.py", ["a.py", "x/y/a.py"], ["a.pyc"]],
    ["/root.txt", ["root.txt"], ["/root.txt", "x/root.txt"]],
    ["./src/*.c", ["src/a.c"], ["./src/a.c"]],
    ["literal\\*star", ["literal*star"], ["literalXstar"]],
    ["\\{x\\}.txt", ["{x}.txt"], ["x.txt"]],
    ["a^b$c|d.txt", ["a^b$c|d.txt"], ["d.txt", "a"]],
    ["[]]x", ["]x"], ["x"]],
    ["caf[é]/*.md", ["café/a.md"], ["cafe/a.md"]],
  ])("%s", (g, matches, misses) => {
    const re = glob(g);

    for (const path of matches) expect([path, re.test(path)]).toEqual([path, true]);
    for (const path of misses) expect([path, re.test(path)]).toEqual([path, false]);
  });

  it.each([
    ["src/[abc.ts", "not a valid glob: a [ has no closing ] (write \\[ for a literal bracket)"],
    ["src/{a,b.ts", "not a valid glob: a { has no closing } (write \\{ for a literal brace)"],
    ["src\\", "not a valid glob: it ends with a lone \\ (escape a character, or write \\\\ for a backslash)"],
    ["[z-a].ts", "not a valid glob: the range z-a in [z-a] is backwards"],
    ["", "the glob is empty"],
    ["x".repeat(201), "the glob is 201 characters long; the limit is 200"],
  ])("rejects %s", (g, error) => {
    expect(globToRe2(g)).toEqual({ ok: false, error });
  });
});

describe("compileCheck", () => {
  it("compiles a check file into a matcher over paths and lines", () => {
    const check = compiled(
      yaml(`paths:\n  include: ["tests/**/*.py", "**/*.test.ts"]\n  exclude: ["tests/fixtures/**"]\npattern:\n  - '\\btime\\.sleep\\('\n  - '\\bawait sleep\\('\nunless: '#\\s*allow-sleep'\nevidence:\n  - https://github.com/o/r/pull/1#discussion_r10\n`),
    );

    expect(check.check).toEqual({
      id: "no-sleep-in-tests",
      title: "Avoid sleeps in tests",
      message: "Wait for the condition instead.",
      severity: "warning",
      paths: { include: ["tests/**/*.py", "**/*.test.ts"], exclude: ["tests/fixtures/**"] },
      pattern: ["\\btime\\.sleep\\(", "\\bawait sleep\\("],
      unless: "#\\s*allow-sleep",
      evidence: ["https://github.com/o/r/pull/1#discussion_r10"],
    });
    expect(["tests/a/test_x.py", "src/a.test.ts", "tests/fixtures/slow.py", "src/a.ts"].map((p) => check.appliesTo(p))).toEqual([true, true, false, false]);
    expect(check.flags("    time.sleep(2)")).toBe(true);
    expect(check.flags("  await sleep(100);")).toBe(true);
    expect(check.flags("    time.sleep(2)  # allow-sleep: rate limit")).toBe(false);
    expect(check.flags("    wait_for(ready)")).toBe(false);
    expect(check.patterns).toHaveLength(2);
    expect(check.unless).toBeInstanceOf(RE2);
  });

  it("accepts .yaml files and a single pattern", () => {
    const check = compiled(yaml("pattern: sleep\n"), "checks/no-sleep-in-tests.yaml");

    expect(check.appliesTo("any/where.txt")).toBe(true);
    expect(check.unless).toBeNull();
  });

  it.each([
    ["an id that differs from the file name", yaml("pattern: x\n", "no-sleeps"), 'id: "no-sleeps" must equal the file\'s base name "no-sleep-in-tests"'],
    ["a schema violation", yaml("pattern: x\nseverity2: warning\n"), 'Unrecognized key: "severity2"'],
    ["a bad severity", yaml("pattern: x\n").replace("warning", "error"), 'severity: Invalid option: expected one of "notice"|"warning"|"failure"'],
    ["a backreference in the second pattern", yaml("pattern: [ok, '(a)\\1']\n"), "pattern.1: backreference \\1 is not supported"],
    ["a lookbehind in the only pattern", yaml("pattern: '(?<=x)y'\n"), "pattern: lookbehind (?<=…) is not supported"],
    ["a lookahead in unless", yaml("pattern: x\nunless: 'y(?!z)'\n"), "unless: negative lookahead (?!…) is not supported"],
    ["a pattern matching every line", yaml("pattern: [x, '.*']\n"), "pattern.1: the pattern matches every line"],
    ["a bad exclude glob", yaml("pattern: x\npaths:\n  exclude: ['ok/**', 'src/[a']\n"), "paths.exclude.1: not a valid glob: a [ has no closing ]"],
    ["a YAML syntax error", yaml("pattern: [x\n"), "not valid YAML: "],
    ["a duplicate key", yaml("pattern: x\npattern: y\n"), "not valid YAML: Map keys must be unique"],
    ["several YAML documents", `${yaml("pattern: x\n")}---\n${yaml("pattern: y\n")}`, "not valid YAML: Source contains multiple documents"],
    ["an empty file", "", "expected a mapping of check fields (id, title, message, severity, pattern…), got an empty file"],
    ["a list", "- a\n- b\n", "got a list"],
    ["a scalar", "just text\n", "got a string"],
  ])("rejects %s, naming the field", (_, text, error) => {
    expect(errorOf(text)).toContain(error);
  });

  it("rejects a file over 64 KiB before parsing it", () => {
    const text = yaml(`pattern: x\n# ${"x".repeat(MAX_CHECK_FILE_BYTES)}\n`);

    expect(errorOf(text)).toBe(`the file is ${String(Buffer.byteLength(text))} bytes; a check file may be at most 65536 bytes (64 KiB)`);
  });

  it("rejects a YAML alias bomb without expanding it", () => {
    const levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
    for (let n = 1; n < 9; n++) levels.push(`${String.fromCharCode(97 + n)}: &${String.fromCharCode(97 + n)} [${Array.from({ length: 10 }, () => `*${String.fromCharCode(96 + n)}`).join(", ")}]`);
    const bomb = `${levels.join("\n")}\n${yaml("pattern: *i\n")}`;

    const t0 = performance.now();
    const error = errorOf(bomb);

    expect(error).toContain("not valid YAML: Excessive alias count indicates a resource exhaustion attack");
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it("never throws, whatever the text", () => {
    for (const text of ["{", "id: [", "\t\u0000", "!!binary x", "? a\n: b\n", "x: !!js/function 'f'\n"]) {
      expect(() => compileCheck(PATH, text)).not.toThrow();
      expect(compileCheck(PATH, text).ok).toBe(false);
    }
  });
});

describe("compileChecks", () => {
  it("loads files in path order and reports a second file with the same id", () => {
    const r = compileChecks([
      { path: "c/b.yaml", text: yaml("pattern: y\n", "b") },
      { path: "c/a.yml", text: yaml("pattern: x\n", "a") },
      { path: "c/b.yml", text: yaml("pattern: z\n", "b") },
      { path: "c/bad.yml", text: yaml("pattern: '(?=x)'\n", "bad") },
    ]);

    expect(r.checks.map((c) => c.check.id)).toEqual(["a", "b"]);
    expect(r.checks[1]?.check.pattern).toBe("y");
    expect(r.invalid.map((i) => i.path)).toEqual(["c/b.yml", "c/bad.yml"]);
    expect(r.invalid[0]?.error).toBe('id: "b" is already the id of c/b.yaml');
    expect(r.invalid[1]?.error).toContain("pattern: lookahead (?=…) is not supported");
  });

  it(`loads at most ${String(MAX_LEARNED_CHECKS)} checks`, () => {
    const files = Array.from({ length: MAX_LEARNED_CHECKS + 2 }, (_, i) => {
      const id = `check-${String(i).padStart(3, "0")}`;
      return { path: `c/${id}.yml`, text: yaml(`pattern: 'x${String(i)}y'\n`, id) };
    });

    const r = compileChecks(files);

    expect(r.checks).toHaveLength(MAX_LEARNED_CHECKS);
    expect(r.invalid.map((i) => i.path)).toEqual(["c/check-200.yml", "c/check-201.yml"]);
    expect(r.invalid[0]?.error).toBe("not loaded: a repository may have at most 200 learned checks");
  });
});
