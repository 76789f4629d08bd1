import { buildVocabulary, stem, termsOf, vectorize, type SparseVector } from "../../../src/learn/represent.js";

const norm = (v: SparseVector): number => Math.sqrt(Array.from(v.weights).reduce((s, w) => s + w * w, 0));

describe("stem", () => {
  it.each([
    ["tests", "test"],
    ["testing", "test"],
    ["tested", "test"],
    ["names", "nam"],
    ["name", "nam"],
    ["named", "nam"],
    ["renaming", "renam"],
    ["removed", "remov"],
    ["uses", "use"],
    ["libraries", "library"],
    ["boxes", "box"],
    ["classes", "class"],
    ["wishes", "wish"],
    ["matches", "match"],
    ["lines", "lin"],
    ["user's", "user"],
    ["don't", "dont"],
  ])("strips %j to %j", (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it.each(["class", "status", "analysis", "test", "use", "doing", "the"])("leaves %j alone (short, or -ss/-us/-is, or a too-short stem)", (word) => {
    expect(stem(word)).toBe(word);
  });

  it("maps the inflections of one word to one stem", () => {
    expect(new Set(["test", "tests", "testing", "tested"].map(stem))).toEqual(new Set(["test"]));
    expect(new Set(["rename", "renames", "renamed", "renaming"].map(stem))).toEqual(new Set(["renam"]));
    expect(new Set(["remove", "removes", "removed", "removing"].map(stem))).toEqual(new Set(["remov"]));
  });
});

describe("termsOf", () => {
  it("drops stopwords and one-letter tokens, stems, then adds bigrams of neighbouring kept stems", () => {
    expect(termsOf(["please", "rename", "the", "variables", "to", "be", "descriptive"])).toEqual([
      "renam",
      "variabl",
      "descriptiv",
      "renam variabl",
      "variabl descriptiv",
    ]);
  });

  it("appends extra terms unchanged after the bigrams", () => {
    expect(termsOf(["x", "a", "missing", "docstrings"], ["path:docs"])).toEqual(["miss", "docstring", "miss docstring", "path:docs"]);
  });

  it("drops placeholders, so bigrams join the words around them", () => {
    expect(termsOf(["rename", "xidentx", "to", "xidentx", "consistently"])).toEqual(["renam", "consistently", "renam consistently"]);
    expect(termsOf(["xstrx", "xnumx", "xurlx", "xuserx", "xcodex"])).toEqual([]);
  });

  it("gives no terms, and no bigrams, when everything is a stopword", () => {
    expect(termsOf(["please", "nit", "just", "a", "the", "maybe"])).toEqual([]);
  });

  it("gives a single stem and no bigram for one content word", () => {
    expect(termsOf(["the", "typos"])).toEqual(["typo"]);
  });
});

describe("buildVocabulary", () => {
  const docs = [["a", "b", "c"], ["a", "b"], ["a", "d"]];

  it("keeps terms in at least minDf (default 2) documents, sorted, with smoothed idf", () => {
    const v = buildVocabulary(docs);

    expect(v.terms).toEqual(["a", "b"]);
    expect([...v.ids.entries()]).toEqual([
      ["a", 0],
      ["b", 1],
    ]);
    expect(v.idf).toHaveLength(2);
    expect(v.idf[0]).toBeCloseTo(Math.log(4 / 4) + 1, 12);
    expect(v.idf[1]).toBeCloseTo(Math.log(4 / 3) + 1, 12);
  });

  it("keeps every term with minDf 1, and none with a minDf above the corpus size", () => {
    expect(buildVocabulary(docs, 1).terms).toEqual(["a", "b", "c", "d"]);
    expect(buildVocabulary(docs, 4).terms).toEqual([]);
  });

  it("counts a term once per document however often it repeats", () => {
    expect(buildVocabulary([["x", "x", "x"], ["y"]]).terms).toEqual([]);
    expect(buildVocabulary([["x", "x"], ["x"]]).terms).toEqual(["x"]);
  });

  it("gives rarer terms a higher idf", () => {
    const v = buildVocabulary([["common", "rare"], ["common", "rare"], ["common"], ["common"]]);
    const idf = (t: string): number => v.idf[v.ids.get(t) ?? -1] ?? Number.NaN;

    expect(idf("rare")).toBeGreaterThan(idf("common"));
  });
});

describe("vectorize", () => {
  const vocab = buildVocabulary([["a", "b", "c"], ["a", "b"], ["a", "d"]]);
  const idfB = Math.log(4 / 3) + 1;

  it("is unit length, with ids ascending", () => {
    const v = vectorize(["b", "a", "b", "a", "a"], vocab);

    expect(Array.from(v.ids)).toEqual([0, 1]);
    expect(norm(v)).toBeCloseTo(1, 6);
  });

  it("uses sublinear tf (1 + ln tf) times idf", () => {
    const v = vectorize(["a", "a", "a", "b"], vocab);
    const wa = 1 + Math.log(3);
    const wb = idfB;
    const n = Math.hypot(wa, wb);

    expect(v.weights[0]).toBeCloseTo(wa / n, 6);
    expect(v.weights[1]).toBeCloseTo(wb / n, 6);
    // Linear tf would give a:b = 3 : idf(b); sublinear gives (1 + ln 3) : idf(b).
    expect((v.weights[0] ?? 0) / (v.weights[1] ?? 1)).toBeCloseTo(wa / wb, 5);
    expect((v.weights[0] ?? 0) / (v.weights[1] ?? 1)).not.toBeCloseTo(3 / wb, 2);
  });

  it("ignores terms outside the vocabulary", () => {
    const withUnknown = vectorize(["a", "b", "zzz", "c", "d"], vocab);
    const without = vectorize(["a", "b"], vocab);

    expect(Array.from(withUnknown.ids)).toEqual(Array.from(without.ids));
    expect(Array.from(withUnknown.weights)).toEqual(Array.from(without.weights));
  });

  it("is empty when no term is known", () => {
    const v = vectorize(["zzz", "c"], vocab);

    expect(v.ids).toHaveLength(0);
    expect(v.weights).toHaveLength(0);
  });

  it("gives a single known term weight 1", () => {
    const v = vectorize(["b", "b", "b"], vocab);

    expect(Array.from(v.ids)).toEqual([1]);
    expect(v.weights[0]).toBeCloseTo(1, 6);
  });
});
