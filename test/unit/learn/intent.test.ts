import { detectIntent, hunkTail, suggestionShape, type Intent, type IntentInput } from "../../../src/learn/intent.js";
import { commentedRegion } from "../../../src/signals/hunk.js";
import { normalizeComment } from "../../../src/learn/normalize.js";

const intent = (body: string, extra: Partial<Omit<IntentInput, "normalized">> = {}): Intent =>
  detectIntent({ normalized: normalizeComment(body), path: "src/app/service.py", diffHunk: null, span: 1, ...extra });

/** A hunk whose commented (last, RIGHT-side) line is `last`. */
const hunkEndingWith = (last: string): string => `@@ -10,3 +10,3 @@ def total(items):\n     values = list(items)\n-    old = 1\n+${last}`;

describe("detectIntent", () => {
  it.each<[string, string, Intent]>([
    ["naming", "Please rename `x` to something more descriptive.", { category: "naming", evidence: ["word:rename", "word:name"], confidence: 5 }],
    ["documentation", "Add a docstring here.", { category: "documentation", evidence: ["word:docstring"], confidence: 3 }],
    ["testing", "Please add a unit test covering this branch.", { category: "testing", evidence: ["word:test"], confidence: 3 }],
    ["typing", "Add type hints here.", { category: "typing", evidence: ["word:type hint"], confidence: 3 }],
    ["style", "Too many blank lines.", { category: "style", evidence: ["word:format"], confidence: 2 }],
    ["dead-code", "This import is unused.", { category: "dead-code", evidence: ["word:unused"], confidence: 3 }],
    ["error-handling", "This should raise a ValueError.", { category: "error-handling", evidence: ["word:exception"], confidence: 3 }],
    ["logging", "Use logger here.", { category: "logging", evidence: ["word:log"], confidence: 3 }],
    ["performance", "This is quadratic, too slow for big inputs.", { category: "performance", evidence: ["word:performance"], confidence: 3 }],
    ["security", "Never hardcode the password.", { category: "security", evidence: ["word:security"], confidence: 3 }],
    ["process", "Please revert this.", { category: "process", evidence: ["word:process"], confidence: 3 }],
  ])("reads a clear %s request", (_name, body, expected) => {
    expect(intent(body)).toEqual(expected);
  });

  it("defaults to design with confidence 0 and no evidence", () => {
    expect(intent("Hmm, interesting.")).toEqual({ category: "design", evidence: [], confidence: 0 });
    expect(intent("Looks right to me.", { path: null })).toEqual({ category: "design", evidence: [], confidence: 0 });
  });

  it("files weak structural words under design with a small positive confidence", () => {
    expect(intent("Extract a helper function.")).toEqual({ category: "design", evidence: ["word:structure"], confidence: 1 });
  });

  it("reports the margin over the runner-up as confidence", () => {
    // documentation 3 (docstring) vs design 1 (function).
    expect(intent("Add a docstring for this function.")).toEqual({ category: "documentation", evidence: ["word:docstring", "word:structure"], confidence: 2 });
  });

  it("reads documentation from a docs/*.md path when the words say nothing", () => {
    expect(intent("Say it more simply.", { path: "docs/guide/install.md" })).toEqual({ category: "documentation", evidence: ["path:docs"], confidence: 2 });
    expect(intent("Say it more simply.", { path: "README.rst" })).toEqual({ category: "documentation", evidence: ["path:docs"], confidence: 2 });
    expect(intent("Say it more simply.")).toEqual({ category: "design", evidence: [], confidence: 0 });
  });

  it("adds the docs path to word evidence", () => {
    expect(intent("This sentence reads oddly.", { path: "docs/guide.md" })).toEqual({ category: "documentation", evidence: ["word:comment", "path:docs"], confidence: 4 });
  });

  it("reads a test path as weak testing evidence", () => {
    expect(intent("Say it more simply.", { path: "tests/test_service.py" })).toEqual({ category: "testing", evidence: ["path:tests"], confidence: 1 });
    expect(intent("Say it more simply.", { path: "src/service.test.ts" })).toEqual({ category: "testing", evidence: ["path:tests"], confidence: 1 });
  });

  it("reads a config path as weak process evidence", () => {
    expect(intent("Say it more simply.", { path: ".github/workflows/ci.yml" })).toEqual({ category: "process", evidence: ["path:config"], confidence: 1 });
  });

  it("reads a commented line as documentation and an import line as dead code", () => {
    expect(intent("Say it more simply.", { diffHunk: hunkEndingWith("    # sum the values") })).toEqual({
      category: "documentation",
      evidence: ["line:comment"],
      confidence: 1,
    });
    expect(intent("Not needed.", { diffHunk: hunkEndingWith("import os") })).toEqual({
      category: "dead-code",
      evidence: ["word:remove", "line:import"],
      confidence: 3,
    });
  });

  it("reads a whitespace-only ```suggestion against the diff hunk as style", () => {
    const hunk = hunkEndingWith("    return  total(values )");
    const body = "```suggestion\n    return total(values)\n```";

    expect(intent(body, { diffHunk: hunk })).toEqual({ category: "style", evidence: ["suggestion:whitespace"], confidence: 3 });
  });

  it("compares the suggestion with the last `span` lines of the hunk", () => {
    const hunk = "@@ -1,3 +1,3 @@\n def f(x):\n-    y=x\n+    y = x\n+    return  y";
    const body = "```suggestion\n    y = x\n    return y\n```";

    expect(intent(body, { diffHunk: hunk, span: 2 })).toEqual({ category: "style", evidence: ["suggestion:whitespace"], confidence: 3 });
    // With span 1 only `return  y` is commented, so the two-line suggestion is new code: no evidence.
    expect(intent(body, { diffHunk: hunk, span: 1 })).toEqual({ category: "design", evidence: [], confidence: 0 });
  });

  it("reads an empty ```suggestion (a deletion) as dead code", () => {
    const hunk = hunkEndingWith("    print(values)");

    expect(intent("```suggestion\n```", { diffHunk: hunk })).toEqual({ category: "dead-code", evidence: ["suggestion:deletion"], confidence: 2 });
  });

  it("reads an identifier-only ```suggestion as naming", () => {
    const hunk = hunkEndingWith("    tmp = total(values)");

    expect(intent("```suggestion\n    subtotal = total(values)\n```", { diffHunk: hunk })).toEqual({
      category: "naming",
      evidence: ["suggestion:rename"],
      confidence: 2,
    });
  });

  it("ignores suggestions when there is no diff hunk to compare with", () => {
    expect(intent("```suggestion\n```")).toEqual({ category: "design", evidence: [], confidence: 0 });
  });

  it("reads s/old/new/ as weak naming evidence", () => {
    expect(intent("s/colour/color/")).toEqual({ category: "naming", evidence: ["shorthand:s///"], confidence: 1 });
  });

  it("keeps the first category on a tie, with confidence 0", () => {
    // testing 3 (test) vs typing 3 (mypy): equal scores, testing is found first.
    expect(intent("Run the tests under mypy.")).toEqual({ category: "testing", evidence: ["word:test", "word:type hint"], confidence: 0 });
  });
});

describe("suggestionShape", () => {
  const original = ["    return x+1"];

  it.each<[string, string[], string[], string]>([
    ["whitespace only", ["return  x + 1"], original, "whitespace"],
    ["an empty block", [], original, "deletion"],
    ["blank lines only", ["", "  "], original, "deletion"],
    ["an identifier swapped", ["    return y+1"], original, "rename"],
    ["more identifiers", ["    return x.y+1"], original, "code"],
    ["an operand added", ["    return x+1+2"], original, "code"],
    ["a literal changed", ["    return x+2"], original, "code"],
    ["punctuation changed in a comment", ["# Returns the sum, or 0."], ["# Returns the sum or 0"], "text"],
    ["punctuation changed in a string", ['raise ValueError("must be positive.")'], ['raise ValueError("must be positive")'], "text"],
    ["an argument added", ["foo(a, b)"], ["foo(b)"], "code"],
  ])("reads %s", (_name, suggestion, before, shape) => {
    expect(suggestionShape(suggestion, before)).toBe(shape);
  });

  it("reads anything as code when there are no original lines", () => {
    expect(suggestionShape(["x = 1"], [])).toBe("code");
    expect(suggestionShape([], [])).toBe("code");
  });

  // Regression: comment and string edits are wording fixes, checked before the identifier skeleton.
  it("reads a one-word typo fix inside a comment as text, not a rename", () => {
    expect(suggestionShape(["x = 1  # receive the data"], ["x = 1  # recieve the data"])).toBe("text");
  });

  it("reads a one-word typo fix inside a string literal as text, not a rename", () => {
    expect(suggestionShape(['msg = "hello"'], ['msg = "helo"'])).toBe("text");
  });

  it("reads a word added to an error message as text, not code", () => {
    expect(suggestionShape(['raise ValueError("value must be positive")'], ['raise ValueError("must be positive")'])).toBe("text");
  });
});

describe("hunkTail", () => {
  const hunk = "@@ -1,6 +1,6 @@\n a = 1\n b = 2\n-c = 3\n+c = 4\n d = 5\n-e = 6\n+e = 7";

  it("keeps the header and the last new-side lines a comment can point at", () => {
    expect(hunkTail(hunk, 1)).toBe("@@ -1,6 +1,6 @@\n d = 5\n-e = 6\n+e = 7");
    expect(hunkTail(hunk, 2)).toBe("@@ -1,6 +1,6 @@\n+c = 4\n d = 5\n-e = 6\n+e = 7");
  });

  it("gives back the whole hunk when it is short, and the same commented region either way", () => {
    expect(hunkTail(hunk, 50)).toBe(hunk);
    expect(commentedRegion(hunkTail(hunk, 2), "RIGHT", 2).lines).toEqual(commentedRegion(hunk, "RIGHT", 2).lines);
  });
});
