import { normalizeComment } from "../../../src/learn/normalize.js";
import { offlineTitle, requestPhrase } from "../../../src/learn/titles.js";

const phraseOf = (body: string): string | null => requestPhrase(normalizeComment(body).tokens);

describe("requestPhrase", () => {
  it.each<[string, string | null]>([
    ["Please add a docstring here.", "add docstring"],
    ["You should use a constant instead.", "use constant"],
    ["Add type hints to the parameters", "add type hints"],
    ["Avoid the extra allocation.", "avoid extra allocation"],
    ["Let us make it shorter", "make shorter"],
    // Placeholders and "to" are skipped before the object; a filler object ("something") gives no phrase.
    ["Rename `x` to something descriptive.", null],
    ["Rename `x` to the full word.", "rename full word"],
    // A verb with no object gives way to the next verb.
    ["Remove this. Also add tests and docs.", "add tests"],
    ["Remove this.", null],
    // A verb right after a verb ends the phrase with no object.
    ["We could use add here", null],
    ["Use `foo` and `bar`", null],
    ["No verbs here", null],
    ["add", null],
  ])("reads %j as %j", (body, phrase) => {
    expect(phraseOf(body)).toBe(phrase);
  });

  it("takes at most two words after the verb", () => {
    expect(requestPhrase(["extract", "shared", "retry", "helper", "function"])).toBe("extract shared retry");
  });

  it("stops at a connective", () => {
    expect(requestPhrase(["move", "constants", "to", "config"])).toBe("move constants");
  });

  it("gives null for no tokens", () => {
    expect(requestPhrase([])).toBeNull();
  });
});

describe("offlineTitle", () => {
  it("uses the phrase most members share, capitalized", () => {
    expect(offlineTitle(["add docstring", "add docstring", null, null], "documentation", [])).toBe("Add docstring");
    expect(offlineTitle(["add docstring", "remove it", "use constant", "add docstring"], "design", [])).toBe("Add docstring");
  });

  it("counts the verb and first word alone too, which agrees more often", () => {
    expect(offlineTitle(["add type hints", "add type annotations", null], "typing", [])).toBe("Add type");
  });

  it("prefers the longer phrase on a tie", () => {
    expect(offlineTitle(["add type hints", "add type hints"], "typing", [])).toBe("Add type hints");
  });

  it("prefers the most specific phrase enough members share over a more common short one", () => {
    expect(offlineTitle(["add type hints", "add type hints", "add type annotations", "add type", null], "typing", [])).toBe("Add type hints");
  });

  it("needs two members sharing the phrase", () => {
    expect(offlineTitle(["add docstring"], "documentation", [])).toBe("Improve documentation");
    expect(offlineTitle(["add docstring", "remove import"], "documentation", [])).toBe("Improve documentation");
  });

  it("needs enough of the members to share it", () => {
    const phrases = (n: number): (string | null)[] => ["add docstring", "add docstring", ...Array.from({ length: n - 2 }, () => null)];

    // 2 of 8 (a quarter) share it: the phrase.
    expect(offlineTitle(phrases(8), "documentation", [])).toBe("Add docstring");
    // 2 of 11 (under a fifth): the category's wording.
    expect(offlineTitle(phrases(11), "documentation", [])).toBe("Improve documentation");
  });

  it("falls back to the strongest verb-object term", () => {
    expect(offlineTitle([null, null], "design", ["docstring", "add docstring", "remove import"])).toBe("Add docstring");
  });

  it("skips verb-object terms whose object is a placeholder or too vague", () => {
    expect(offlineTitle([null, null], "design", ["rename xidentx", "use case", "remove code", "extract helper"])).toBe("Extract helper");
  });

  it("falls back to the category's wording with up to three single-word terms", () => {
    expect(offlineTitle([null, null], "testing", ["unit test", "coverage", "fixture", "mock", "assert"])).toBe(
      "Add or improve tests (coverage, fixture, mock)",
    );
    expect(offlineTitle([null, null], "dead-code", ["unused import", "import"])).toBe("Remove unused or redundant code (import)");
  });

  it.each([
    ["naming", "Improve names"],
    ["documentation", "Improve documentation"],
    ["error-handling", "Handle errors and invalid input"],
    ["testing", "Add or improve tests"],
    ["typing", "Add type annotations"],
    ["style", "Follow the formatting conventions"],
    ["logging", "Fix logging and output"],
    ["dead-code", "Remove unused or redundant code"],
    ["performance", "Avoid needless work"],
    ["security", "Fix security issues"],
    ["design", "Restructure the code"],
    ["process", "Keep pull requests focused"],
  ] as const)("titles a bare %s cluster %j", (category, title) => {
    expect(offlineTitle([], category, [])).toBe(title);
  });
});
