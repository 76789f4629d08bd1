import { Linter, type SourceCode } from "eslint";
import { CHECKS_DIR, loadCatalog } from "../../../src/checks/catalog.js";
import type { Check } from "../../../src/checks/schema.js";
import { MAX_SNIPPET_CHARS, MAX_SNIPPETS, MAX_TOTAL_CHARS, renderWouldFlag, wouldHaveFlagged, type CodeSnippet } from "../../../src/propose/would-flag.js";

const catalog = await loadCatalog(CHECKS_DIR);

const check = (id: string): Check => {
  const found = catalog.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no check ${id} in the catalog`);
  return found;
};

const js = (code: string, path = "src/app.js"): CodeSnippet => ({ path, code });
const ts = (code: string, path = "src/app.ts"): CodeSnippet => ({ path, code });

describe("wouldHaveFlagged with ESLint core rules", () => {
  it("flags the code reviewers commented on and not the fixed code (no-console, allowing warn and error)", () => {
    const noDebugPrint = check("no-debug-print");

    expect(noDebugPrint.rules.eslint?.rule).toBe("no-console");
    expect(
      wouldHaveFlagged(noDebugPrint, "eslint", [
        js('const x = require("y")\nconsole.log(x)'),
        ts("export function f(n: number): number {\n  console.log(n);\n  return n * 2;\n}", "lib/f.ts"),
        js('const x = require("y")\nlogger.info(x)'),
        // The check allows console.warn and console.error: its options are honoured.
        js('console.warn("deprecated")\nconsole.error(err)'),
      ]),
    ).toEqual({ ran: true, flagged: 2, total: 4, unparsable: 0 });
  });

  it("runs prefer-const with the check's options", () => {
    expect(
      wouldHaveFlagged(check("prefer-const"), "eslint", [
        js("let total = items.length\nreport(total)"),
        js("const total = items.length\nreport(total)"),
        js("let total = 0\nfor (const i of items) total += i"),
        // destructuring: "all" — one of the two names is reassigned, so neither is flagged.
        js("let { a, b } = pair\na = 2\nuse(a, b)"),
      ]),
    ).toEqual({ ran: true, flagged: 1, total: 4, unparsable: 0 });
  });

  it("runs eqeqeq with the check's options (null comparisons allowed)", () => {
    expect(
      wouldHaveFlagged(check("strict-equality"), "eslint", [
        js("if (a == b) {\n  go()\n}"),
        js("if (a === b) {\n  go()\n}"),
        js("if (a == null) {\n  go()\n}"),
        ts("if (count != 0) stop();", "src/count.mts"),
      ]),
    ).toEqual({ ran: true, flagged: 2, total: 4, unparsable: 0 });
  });

  it("honours a numeric option: max-depth 3 flags four levels, which ESLint's default (4) allows", () => {
    const reduceNesting = check("reduce-nesting");
    const nested = (depth: number): string =>
      `function f(a) {\n${Array.from({ length: depth }, (_, i) => `${"  ".repeat(i + 1)}if (a) {`).join("\n")}\n${Array.from({ length: depth }, (_, i) => `${"  ".repeat(depth - i)}}`).join("\n")}\n}`;

    expect(reduceNesting.rules.eslint).toEqual({ rule: "max-depth", options: ["error", { max: 3 }] });
    expect(wouldHaveFlagged(reduceNesting, "eslint", [js(nested(3)), js(nested(4))])).toEqual({ ran: true, flagged: 1, total: 2, unparsable: 0 });
    // The same four levels pass ESLint's default, so the flag above comes from the check's options.
    const withDefault: Check = { ...reduceNesting, rules: { eslint: { rule: "max-depth", options: ["error"] } } };

    expect(wouldHaveFlagged(withDefault, "eslint", [js(nested(4)), js(nested(5))])).toEqual({ ran: true, flagged: 1, total: 2, unparsable: 0 });
  });

  it("counts a snippet that does not parse on its own as unparsable, not flagged", () => {
    expect(
      wouldHaveFlagged(check("no-debug-print"), "eslint", [
        js("console.log(x)"),
        // The tail of a function: the stray brace does not parse.
        js("  console.log(x)\n  return x\n}"),
        // TypeScript syntax in a .js file.
        js("const x: number = 1\nconsole.log(x)"),
        // JSX in a .js file: JSX is on for .jsx and .tsx only.
        js("console.log(<div />)"),
      ]),
    ).toEqual({ ran: true, flagged: 1, total: 4, unparsable: 3 });
  });

  it("parses JSX in .jsx and .tsx files, and the module syntax of .mjs and .cjs", () => {
    expect(
      wouldHaveFlagged(check("no-debug-print"), "eslint", [
        js("console.log(<App />)", "web/main.jsx"),
        ts("const el = <App title={t as string} />\nconsole.log(el)", "web/main.tsx"),
        js('import { x } from "./x.js"\nconsole.log(x)', "bin/run.mjs"),
        js('const x = require("./x.cjs")\nconsole.log(x)', "bin/run.cjs"),
        // A .ts file is not JSX: the type assertion <string> parses, JSX would not.
        ts("console.log(<string>value)", "lib/cast.ts"),
      ]),
    ).toEqual({ ran: true, flagged: 5, total: 5, unparsable: 0 });
  });

  it("ignores inline config comments in a snippet: only the check's rule and options run", () => {
    expect(
      wouldHaveFlagged(check("no-debug-print"), "eslint", [
        js("/* eslint-disable */\nconsole.log(x)"),
        js("console.log(x) // eslint-disable-line no-console"),
        js('/* eslint no-console: "off" */\nconsole.log(x)'),
        js("/* eslint no-console: [\"error\", { allow: [\"log\"] }] */\nconsole.log(x)"),
      ]),
    ).toEqual({ ran: true, flagged: 4, total: 4, unparsable: 0 });
  });

  it("skips snippets of other languages, leaving them out of the total", () => {
    expect(
      wouldHaveFlagged(check("no-debug-print"), "eslint", [
        { path: "tool/main.py", code: "print(x)\nconsole.log(x)" },
        { path: "README.md", code: "console.log(x)" },
        { path: "Makefile", code: "console.log(x)" },
        js("console.log(x)"),
      ]),
    ).toEqual({ ran: true, flagged: 1, total: 1, unparsable: 0 });
  });
});

describe("wouldHaveFlagged with typescript-eslint rules", () => {
  it("runs a rule that needs no type information (no-explicit-any)", () => {
    const noAny = check("no-explicit-any");

    expect(noAny.rules["typescript-eslint"]?.typeChecked).toBeUndefined();
    expect(
      wouldHaveFlagged(noAny, "typescript-eslint", [
        ts("export function parse(raw: string): any {\n  return JSON.parse(raw);\n}"),
        ts("export function parse(raw: string): unknown {\n  return JSON.parse(raw);\n}"),
        ts("const rows = data as any[]", "src/rows.cts"),
        ts("const el = <List items={items as any} />", "web/list.tsx"),
        ts("function f(: any) {"),
      ]),
    ).toEqual({ ran: true, flagged: 3, total: 5, unparsable: 1 });
  });

  it("does not run a rule that needs type information", () => {
    const floating = wouldHaveFlagged(check("no-floating-promises"), "typescript-eslint", [ts("fetchAll();")]);

    expect(floating).toEqual({
      ran: false,
      reason: "@typescript-eslint/no-floating-promises needs type information from a TypeScript program, which a snippet on its own does not have",
    });
    expect(wouldHaveFlagged(check("naming-convention"), "typescript-eslint", [ts("const Bad_name = 1")]).ran).toBe(false);
  });

  it("does not run a rule marked typeChecked by typescript-eslint even when the check forgets to say so", () => {
    const floating = check("no-floating-promises");
    const unmarked: Check = { ...floating, rules: { "typescript-eslint": { rule: "@typescript-eslint/no-floating-promises", options: ["error"] } } };

    expect(renderWouldFlag(wouldHaveFlagged(unmarked, "typescript-eslint", [ts("fetchAll();")]))).toBe(
      "not run: @typescript-eslint/no-floating-promises needs type information from a TypeScript program, which a snippet on its own does not have",
    );
  });
});

describe("wouldHaveFlagged refuses what it cannot run", () => {
  it("a check with no rule for that linter", () => {
    expect(wouldHaveFlagged(check("no-explicit-any"), "eslint", [js("let x")])).toEqual({ ran: false, reason: "no-explicit-any has no eslint rule" });
    expect(wouldHaveFlagged(check("prefer-const"), "typescript-eslint", [ts("let x")])).toEqual({ ran: false, reason: "prefer-const has no typescript-eslint rule" });
  });

  it("a rule the installed packages do not know", () => {
    const base = check("prefer-const");
    const unknownCore: Check = { ...base, rules: { eslint: { rule: "no-such-rule", options: ["error"] } } };
    const unknownTs: Check = { ...base, rules: { "typescript-eslint": { rule: "@typescript-eslint/no-such-rule", options: ["error"] } } };

    expect(wouldHaveFlagged(unknownCore, "eslint", [js("let x = 1")])).toEqual({ ran: false, reason: `no-such-rule is not a rule of the installed ESLint ${Linter.version}` });
    expect(wouldHaveFlagged(unknownTs, "typescript-eslint", [ts("let x = 1")])).toEqual({
      ran: false,
      reason: "@typescript-eslint/no-such-rule is not a rule of the installed typescript-eslint",
    });
  });

  it("options the rule rejects", () => {
    const bad: Check = { ...check("no-debug-print"), rules: { eslint: { rule: "no-console", options: ["error", { allow: 5 }] } } };
    const result = wouldHaveFlagged(bad, "eslint", [js("console.log(x)")]);

    expect(renderWouldFlag(result)).toBe('not run: no-console does not accept the check\'s options: Key "rules": Key "no-console": Value 5 should be array.');
  });

  it("no snippets, or none in JavaScript or TypeScript", () => {
    expect(wouldHaveFlagged(check("no-debug-print"), "eslint", [])).toEqual({ ran: false, reason: "there are no commented snippets to check" });
    expect(wouldHaveFlagged(check("no-debug-print"), "eslint", [{ path: "app/main.py", code: "print(x)" }, { path: "docs/a.md", code: "x" }])).toEqual({
      ran: false,
      reason: "none of the 2 commented snippets is JavaScript or TypeScript",
    });
  });
});

describe("wouldHaveFlagged against hostile input", () => {
  it("checks only the last lines of a 1 MB snippet, quickly", () => {
    const line = "console.log(i);\n";
    const quiet = "use(i);\n";
    const huge = `${quiet.repeat(140_000)}${line.repeat(1_000)}`;
    const started = performance.now();

    expect(huge.length).toBeGreaterThan(1_000_000);
    expect(wouldHaveFlagged(check("no-debug-print"), "eslint", [js(huge)])).toEqual({ ran: true, flagged: 1, total: 1, unparsable: 0 });
    // Only the tail is linted: console.log lines above it are not seen.
    const tailClean = `${line.repeat(1_000)}${quiet.repeat(140_000)}`;

    expect(wouldHaveFlagged(check("no-debug-print"), "eslint", [js(tailClean)])).toEqual({ ran: true, flagged: 0, total: 1, unparsable: 0 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("starts the kept tail at a line boundary", () => {
    // Cut mid-line, the long string line would leave an unterminated string: a parse error.
    const longLine = `const s = "${"x".repeat(MAX_SNIPPET_CHARS)}"\n`;
    const tail = "let kept = 1\nuse(kept)\n";

    expect(wouldHaveFlagged(check("prefer-const"), "eslint", [js(`${longLine}${tail}`)])).toEqual({ ran: true, flagged: 1, total: 1, unparsable: 0 });
    // A tail of exactly MAX_SNIPPET_CHARS characters that starts a line is kept whole, first line included.
    const head = "let kept = 1\n";
    const body = "use(kept)\n".repeat(1_000);
    const exact = `${head}// ${"y".repeat(MAX_SNIPPET_CHARS - head.length - body.length - 4)}\n${body}`;

    expect(exact.length).toBe(MAX_SNIPPET_CHARS);
    expect(wouldHaveFlagged(check("prefer-const"), "eslint", [js(`${longLine}${exact}`)])).toEqual({ ran: true, flagged: 1, total: 1, unparsable: 0 });
  });

  it("counts a single line longer than the limit, and code nested too deep to parse, as unparsable without throwing", () => {
    const started = performance.now();
    const result = wouldHaveFlagged(check("no-debug-print"), "eslint", [
      // No whole line fits in the limit: nothing is left to lint.
      js(`console.log(${"1 + ".repeat(300_000)}1)`),
      // Truncated to its last 8,000 lines of brackets, which never close.
      js(`${"[\n".repeat(500_000)}console.log(x)`),
      // Balanced, under the limit, and too deep for the parsers' stacks (ESLint reports the overflow as a parsing error).
      js(`${"(".repeat(7_000)}1${")".repeat(7_000)}\nconsole.log(x)`),
      ts(`${"{".repeat(3_000)}console.log(x)${"}".repeat(3_000)}`),
      js("console.log(x)"),
    ]);

    expect(result).toEqual({ ran: true, flagged: 1, total: 5, unparsable: 4 });
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it("lints at most MAX_SNIPPETS snippets", () => {
    const many = Array.from({ length: MAX_SNIPPETS + 50 }, (_, i) => js(i % 2 === 0 ? "console.log(x)" : "log(x)"));

    expect(wouldHaveFlagged(check("no-debug-print"), "eslint", many)).toEqual({ ran: true, flagged: MAX_SNIPPETS / 2, total: MAX_SNIPPETS, unparsable: 0 });
  });

  it("stops at MAX_TOTAL_CHARS characters in one call", () => {
    const full = `${"use(x);\n".repeat(1_998)}console.log(x);\n`;
    const fit = MAX_TOTAL_CHARS / MAX_SNIPPET_CHARS;

    expect(full.length).toBe(MAX_SNIPPET_CHARS);
    expect(fit).toBe(25);
    expect(wouldHaveFlagged(check("no-debug-print"), "eslint", Array.from({ length: 40 }, () => js(full)))).toEqual({ ran: true, flagged: fit, total: fit, unparsable: 0 });
  });

  it("counts a snippet on which the rule throws as unparsable, and goes on", () => {
    // No catalog rule is known to throw: make ESLint throw on one snippet, as a crashing rule would.
    // Kept unbound on purpose: it is called with the Linter as `this`, and put back afterwards.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const verify = Linter.prototype.verify;
    const verifyByName: (this: Linter, code: string | SourceCode, config: Linter.Config | Linter.Config[], filename?: string) => Linter.LintMessage[] = verify;
    Linter.prototype.verify = function (this: Linter, code: string | SourceCode, config: Linter.Config | Linter.Config[], filename?: string | Linter.LintOptions): Linter.LintMessage[] {
      if (typeof filename === "object") throw new Error("wouldHaveFlagged passes file names");
      if (typeof code === "string" && code.includes("CRASH")) throw new TypeError("Cannot read properties of undefined\nOccurred while linting /snippet-2.js");
      return verifyByName.call(this, code, config, filename);
    };
    try {
      expect(wouldHaveFlagged(check("no-debug-print"), "eslint", [js("console.log(x)"), js("CRASH(x)"), js("console.log(y)")])).toEqual({
        ran: true,
        flagged: 2,
        total: 3,
        unparsable: 1,
      });
    } finally {
      Linter.prototype.verify = verify;
    }
  });
});

describe("renderWouldFlag", () => {
  it("says how many snippets the rule would have flagged", () => {
    expect(renderWouldFlag({ ran: true, flagged: 4, total: 6, unparsable: 1 })).toBe("would have flagged 4 of 6 commented snippets (1 could not be parsed on its own)");
    expect(renderWouldFlag({ ran: true, flagged: 2, total: 6, unparsable: 3 })).toBe("would have flagged 2 of 6 commented snippets (3 could not be parsed on their own)");
    expect(renderWouldFlag({ ran: true, flagged: 1, total: 1, unparsable: 0 })).toBe("would have flagged 1 of 1 commented snippet");
  });

  it("says why it did not run", () => {
    expect(renderWouldFlag(wouldHaveFlagged(check("no-explicit-any"), "eslint", [js("x")]))).toBe("not run: no-explicit-any has no eslint rule");
  });
});
