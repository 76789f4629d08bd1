import { classifyActionable, type FilterInput } from "../../../src/learn/filter.js";
import { normalizeComment } from "../../../src/learn/normalize.js";
import { crcComments } from "../../helpers/fixtures.js";

const human = (body: string, extra: Partial<FilterInput> = {}): FilterInput => ({
  normalized: normalizeComment(body),
  authorKind: "human",
  pullAuthor: "author",
  author: "reviewer",
  ...extra,
});

describe("normalizeComment", () => {
  it("keeps suggestions as evidence and makes identifiers and literals comparable", () => {
    const a = normalizeComment("Nit: rename `fooBar` to `foo_bar` (see https://x.test/a).\n```suggestion\nfoo_bar = 1\n```");
    const b = normalizeComment("nit: rename `bazQux` to `baz_qux` (see https://y.test/b).");

    expect(a.text).toBe(b.text);
    expect(a.text).toBe("rename xidentx to xidentx see xurlx");
    expect(a.suggestions).toEqual([["foo_bar = 1"]]);
    expect(a.nit).toBe(true);
  });

  it("drops quoted replies, badges, HTML and emoji shortcodes", () => {
    const n = normalizeComment("> you wrote this\n![medium](https://www.gstatic.com/codereviewagent/medium-priority.svg) Use a <b>constant</b> :tada: here, 42 times.");

    expect(n.text).toBe("use a constant here xnumx times");
  });

  it("reads review shorthands", () => {
    expect(normalizeComment("s/colour/color/").substitution).toEqual({ from: "colour", to: "color" });
    expect(normalizeComment("+1").agreement).toBe(true);
    expect(normalizeComment("Why? Is this needed?").onlyQuestions).toBe(true);
    expect(normalizeComment("Is this needed? Please remove it.").onlyQuestions).toBe(false);
  });
});

describe("classifyActionable", () => {
  it.each([
    ["LGTM, thanks!", "praise"],
    ["Good catch!", "praise"],
    ["+1", "agreement"],
    ["How is this related?", "question"],
    ["Why did you replace this test?", "question"],
    [":tada: `x` @someone", "empty"],
  ])("drops %j as %s", (body, reason) => {
    expect(classifyActionable(human(body))).toMatchObject({ keep: false, reason });
  });

  it.each([
    "Please add a docstring here.",
    "Nice, but please rename `x` to something descriptive.",
    "Could we use a constant here? ```suggestion\nMAX_RETRIES = 3\n```",
    "s/colour/color/",
    "This should raise ValueError instead of returning None.",
    "```python\nreturn cache.get(key)\n```",
  ])("keeps the request %j", (body) => {
    expect(classifyActionable(human(body))).toEqual({ keep: true });
  });

  it("drops bots and the PR author's own replies, with the reason", () => {
    expect(classifyActionable(human("Please add tests.", { authorKind: "bot" }))).toEqual({ keep: false, reason: "bot", detail: "written by a bot" });
    expect(classifyActionable(human("Done, renamed it.", { author: "Author" }))).toMatchObject({ keep: false, reason: "author-reply" });
  });

  it("can be told to keep a category", () => {
    expect(classifyActionable(human("Why is this here?"), { keep: ["question"] })).toEqual({ keep: true });
  });

  it("drops comments carrying an AI review bot's template even from a human-looking account", () => {
    const gemini = "![medium](https://www.gstatic.com/codereviewagent/medium-priority.svg)\n\nThis loop should use `enumerate`.";
    expect(classifyActionable(human(gemini))).toEqual({ keep: false, reason: "bot", detail: "carries the comment template of gemini-code-assist" });
    expect(classifyActionable(human("This loop should use `enumerate`."))).toEqual({ keep: true });
  });

  it("on real review comments, drops praise and questions while keeping nearly all requests", () => {
    // Human accounts only, and not the AI review bots' templates (covered above).
    const results = crcComments()
      .filter((c) => c.user.type !== "Bot" && normalizeComment(c.body).botSignature === null)
      .map((c) => ({ label: c._labels.subcategory, r: classifyActionable(human(c.body, { pullAuthor: null })) }));
    const share = (labels: (l: string) => boolean, dropped: boolean): number => {
      const group = results.filter((x) => labels(x.label));
      return group.filter((x) => x.r.keep !== dropped).length / Math.max(1, group.length);
    };

    const wronglyDropped = share((l) => !["praise", "question", "false positive"].includes(l), true);
    const nonActionableDropped = share((l) => l === "praise" || l === "question", true);

    expect(wronglyDropped).toBeLessThan(0.08);
    expect(nonActionableDropped).toBeGreaterThan(0.4);
  });
});
