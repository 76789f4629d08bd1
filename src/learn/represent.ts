/**
 * Comments as sparse TF-IDF vectors (pure). Terms are light-stemmed content
 * words plus adjacent-word bigrams ("unused import", "type hint"), which carry
 * most of what a review request means. Terms seen in one comment only are
 * dropped: they cannot make two comments similar, only dilute them.
 */
export interface SparseVector {
  ids: Int32Array;
  weights: Float32Array;
}

const STOPWORDS = new Set(
  (
    "a an the and or but if then else of to in on at by for with from as is are was were be been being it its this that these those " +
    "i me my we our you your he she they them their there here what which who whom whose when where why how all any both each few more " +
    "most other some such no nor not only own same so than too very can will just should would could may might must shall do does did " +
    "doing done have has had having am also into about over under again further once up down out off above below between through during " +
    "before after while because until against i'm it's don't doesn't isn't aren't we're you're let's let lets think maybe perhaps " +
    "probably really actually just though however still even well yeah yes ok okay like one get got make made see seems seem way thing things " +
    "need needs needed want wanted please nit nitpick minor optional i'd i've i'll there's that's what's isn't wasn't shouldn't won't can't " +
    "much many sure bit pretty feel since already quite rather somewhat"
  ).split(" "),
);

const PLACEHOLDERS = new Set(["xidentx", "xstrx", "xnumx", "xurlx", "xuserx", "xcodex"]);

/** Light suffix stripping: tests/testing/tested → test, rename/renamed/renaming → renam. */
export const stem = (word: string): string => {
  let w = word.replace(/'s$/, "").replace(/'/g, "");
  if (w.length <= 3) return w;
  if (w.endsWith("ies") && w.length > 5) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  else if (/(ss|sh|ch|x)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  // A final e goes too, so that "rename" meets "renamed" and "renaming".
  if (w.endsWith("e") && w.length > 3) w = w.slice(0, -1);
  return w;
};

/** Content terms of one comment: stems and bigrams of neighbouring stems. */
export const termsOf = (tokens: readonly string[], extra: readonly string[] = []): string[] => {
  const stems: string[] = [];
  for (const t of tokens) {
    // Placeholders say "some identifier/number was here", not what was asked.
    if (STOPWORDS.has(t) || t.length < 2 || PLACEHOLDERS.has(t)) continue;
    stems.push(stem(t));
  }
  const out = [...stems];
  for (let i = 1; i < stems.length; i++) out.push(`${stems[i - 1] ?? ""} ${stems[i] ?? ""}`);
  out.push(...extra);
  return out;
};

export interface Vocabulary {
  /** Term → id. */
  ids: Map<string, number>;
  terms: string[];
  idf: Float64Array;
}

/** Document frequencies over the corpus; terms in fewer than `minDf` documents are left out. */
export const buildVocabulary = (docs: readonly (readonly string[])[], minDf = 2): Vocabulary => {
  const df = new Map<string, number>();
  for (const doc of docs) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  const kept = [...df.entries()].filter(([, n]) => n >= minDf).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const ids = new Map<string, number>();
  const terms: string[] = [];
  const idf = new Float64Array(kept.length);
  const n = docs.length;
  kept.forEach(([term, count], i) => {
    ids.set(term, i);
    terms.push(term);
    idf[i] = Math.log((n + 1) / (count + 1)) + 1;
  });
  return { ids, terms, idf };
};

/** A unit-length TF-IDF vector (sublinear tf); empty when no term is known. */
export const vectorize = (doc: readonly string[], vocab: Vocabulary): SparseVector => {
  const tf = new Map<number, number>();
  for (const t of doc) {
    const id = vocab.ids.get(t);
    if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
  }
  const ids = [...tf.keys()].sort((a, b) => a - b);
  const weights = new Float32Array(ids.length);
  let norm = 0;
  ids.forEach((id, i) => {
    const w = (1 + Math.log(tf.get(id) ?? 1)) * (vocab.idf[id] ?? 0);
    weights[i] = w;
    norm += w * w;
  });
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] ?? 0) / norm;
  return { ids: Int32Array.from(ids), weights };
};
