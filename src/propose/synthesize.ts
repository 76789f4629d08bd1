import RE2 from "re2";

/**
 * Synthesizing a learned check from correction pairs (pure, deterministic).
 * The human corrections are the test cases: the commented code ("before")
 * must be flagged, the code after the fix must not. Candidates are the call
 * shapes and member accesses in the "before" code, with identifiers
 * generalized where the evidence varies them; the chosen pattern flags
 * ≥ 80% of the before snippets, none of the after snippets, and ≤ 1% of the
 * added lines of unrelated PRs (noise control). All patterns run with RE2.
 */
export interface CorrectionPair {
  before: string;
  after: string | null;
}

export interface SynthesisFigures {
  /** Before snippets flagged, of all. */
  before: { flagged: number; total: number };
  /** After snippets flagged (must be 0), of all. */
  after: { flagged: number; total: number };
  /** Unrelated added lines flagged, of the sample. */
  noise: { flagged: number; total: number } | null;
}

export type Synthesis =
  | { ok: true; pattern: string; shape: string; figures: SynthesisFigures }
  | { ok: false; reason: string; figures: SynthesisFigures | null };

export const MIN_BEFORE_SHARE = 0.8;
export const MAX_NOISE_SHARE = 0.01;
/** Fewer than this many addressed corrections is not evidence enough. */
export const MIN_PAIRS = 3;
const MAX_SNIPPET = 4000;

const IDENT = "[A-Za-z_$][A-Za-z0-9_$]*";
/** A call shape: a member chain ending in a call, `a.b.c(`, or a bare call `f(`. */
const CALL = new RegExp(`(?:${IDENT}\\s*\\.\\s*)*${IDENT}\\s*\\(`, "g");
const KEYWORDS = new Set(["if", "for", "while", "switch", "catch", "return", "function", "def", "class", "elif", "with", "assert", "print_function", "super", "lambda", "await", "async", "new", "typeof", "not", "and", "or", "in"]);

const escape = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");

/** The distinct call shapes of a snippet, as member chains without spaces (`console.log`). */
export const callShapes = (code: string): Set<string> => {
  const out = new Set<string>();
  const text = code.length > MAX_SNIPPET ? code.slice(-MAX_SNIPPET) : code;
  for (const line of text.split("\n")) {
    const stripped = line.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\s+#.*$|\s*\/\/.*$/, "");
    for (const m of stripped.match(CALL) ?? []) {
      const chain = m.replace(/\s+/g, "").slice(0, -1);
      const last = chain.split(".").pop() ?? "";
      if (KEYWORDS.has(last)) continue;
      out.add(chain);
    }
  }
  return out;
};

/** Candidate patterns for a set of shapes: exact chains, and chains with a varying receiver or method generalized. */
const candidates = (shapes: readonly string[]): { pattern: string; shape: string }[] => {
  const out = new Map<string, string>();
  // A chain matches also at the end of a longer one (`datetime.now(` in `datetime.datetime.now(`), never inside a name.
  const lead = `(?:^|[^A-Za-z0-9_$.])(?:${IDENT}\\s*\\.\\s*)*`;
  const exact = (chain: string): string => `${lead}${chain.split(".").map(escape).join("\\s*\\.\\s*")}\\s*\\(`;
  for (const s of shapes) out.set(exact(s), `${s}(`);
  // Same receiver chain, different final methods: console.log / console.debug → console.(debug|log)(
  const byReceiver = new Map<string, Set<string>>();
  // Same final method, different receivers: self.assertEquals / cls.assertEquals → <any>.assertEquals(
  const byMethod = new Map<string, Set<string>>();
  for (const s of shapes) {
    const parts = s.split(".");
    if (parts.length < 2) continue;
    const method = parts.pop() ?? "";
    const receiver = parts.join(".");
    byReceiver.set(receiver, (byReceiver.get(receiver) ?? new Set()).add(method));
    byMethod.set(method, (byMethod.get(method) ?? new Set()).add(receiver));
  }
  for (const [receiver, methods] of byReceiver) {
    if (methods.size < 2) continue;
    const sorted = [...methods].sort();
    out.set(`${lead}${receiver.split(".").map(escape).join("\\s*\\.\\s*")}\\s*\\.\\s*(?:${sorted.map(escape).join("|")})\\s*\\(`, `${receiver}.(${sorted.join("|")})(`);
  }
  for (const [method, receivers] of byMethod) {
    if (receivers.size < 2 || method.length < 4) continue;
    out.set(`${IDENT}\\s*\\.\\s*${escape(method)}\\s*\\(`, `<name>.${method}(`);
  }
  return [...out.entries()].map(([pattern, shape]) => ({ pattern, shape }));
};

const share = (re: RE2, snippets: readonly string[]): number => snippets.filter((s) => s.split("\n").some((l) => re.test(l))).length;

/**
 * Validates any candidate pattern (the deterministic one, or one a model
 * suggested) by exactly the same rules: it compiles with RE2, flags ≥ 80%
 * of the commented snippets, none of the fixed ones, and ≤ 1% of the
 * unrelated sample.
 */
export const validateCandidate = (pattern: string, shape: string, pairs: readonly CorrectionPair[], sample: readonly string[] | null): Synthesis => {
  if (pattern.length === 0 || pattern.length > 500) return { ok: false, reason: "a pattern must have 1 to 500 characters", figures: null };
  let re: RE2;
  try {
    re = new RE2(pattern);
  } catch (e) {
    return { ok: false, reason: `RE2 rejects the pattern: ${typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e)}`, figures: null };
  }
  if (re.test("")) return { ok: false, reason: "the pattern matches an empty line", figures: null };
  const usable = pairs.filter((p) => p.before.trim() !== "");
  const befores = usable.map((p) => p.before.slice(-MAX_SNIPPET));
  const afters = usable.flatMap((p) => (p.after === null ? [] : [p.after.slice(-MAX_SNIPPET)]));
  const figures: SynthesisFigures = {
    before: { flagged: share(re, befores), total: befores.length },
    after: { flagged: share(re, afters), total: afters.length },
    noise: sample === null ? null : { flagged: sample.filter((l) => re.test(l)).length, total: sample.length },
  };
  if (befores.length < MIN_PAIRS || afters.length === 0) return { ok: false, reason: "not enough corrections with code before and after", figures };
  if (figures.after.flagged > 0 || figures.before.flagged < MIN_BEFORE_SHARE * figures.before.total) {
    return { ok: false, reason: `\`${shape}\` flags ${String(figures.before.flagged)} of ${String(figures.before.total)} commented snippets and ${String(figures.after.flagged)} of ${String(figures.after.total)} fixed ones (needs ≥ 80% and none)`, figures };
  }
  if (figures.noise === null) return { ok: false, reason: "no sample of unrelated changes to measure noise against", figures };
  if (figures.noise.total > 0 && figures.noise.flagged > MAX_NOISE_SHARE * figures.noise.total) {
    return { ok: false, reason: `\`${shape}\` would flag ${String(figures.noise.flagged)} of ${String(figures.noise.total)} added lines in unrelated PRs (more than 1%)`, figures };
  }
  return { ok: true, pattern, shape, figures };
};

/**
 * The check a pattern's corrections support, or why none is safe. `sample`
 * is added lines of the repository's recent unrelated PRs (null: not
 * measured, and then nothing is proposed).
 */
export const synthesizeCheck = (pairs: readonly CorrectionPair[], sample: readonly string[] | null): Synthesis => {
  const usable = pairs.filter((p) => p.before.trim() !== "");
  const befores = usable.map((p) => p.before.slice(-MAX_SNIPPET));
  const afters = usable.flatMap((p) => (p.after === null ? [] : [p.after.slice(-MAX_SNIPPET)]));
  if (usable.length < MIN_PAIRS) return { ok: false, reason: `${String(usable.length)} corrections with code; at least ${String(MIN_PAIRS)} are needed`, figures: null };
  if (afters.length === 0) return { ok: false, reason: "no code after the fixes is known, so a check could not be tested against it", figures: null };

  // Shapes present before and absent from every after snippet.
  const afterShapes = new Set(afters.flatMap((a) => [...callShapes(a)]));
  const counts = new Map<string, number>();
  for (const b of befores) for (const s of callShapes(b)) if (!afterShapes.has(s)) counts.set(s, (counts.get(s) ?? 0) + 1);
  const shapes = [...counts.keys()].sort();
  if (shapes.length === 0) return { ok: false, reason: "no call shape in the commented code is gone from the fixed code", figures: null };

  let best: { pattern: string; shape: string; figures: SynthesisFigures; score: number } | null = null;
  let bestRejected: { reason: string; figures: SynthesisFigures } | null = null;
  for (const c of candidates(shapes)) {
    const re = new RE2(c.pattern);
    const figures: SynthesisFigures = {
      before: { flagged: share(re, befores), total: befores.length },
      after: { flagged: share(re, afters), total: afters.length },
      noise: sample === null ? null : { flagged: sample.filter((l) => re.test(l)).length, total: sample.length },
    };
    if (figures.after.flagged > 0 || figures.before.flagged < MIN_BEFORE_SHARE * figures.before.total) {
      if (bestRejected === null || figures.before.flagged > bestRejected.figures.before.flagged) {
        bestRejected = { reason: `the best candidate, \`${c.shape}\`, flags ${String(figures.before.flagged)} of ${String(figures.before.total)} commented snippets and ${String(figures.after.flagged)} of ${String(figures.after.total)} fixed ones (needs ≥ 80% and none)`, figures };
      }
      continue;
    }
    if (figures.noise !== null && figures.noise.total > 0 && figures.noise.flagged > MAX_NOISE_SHARE * figures.noise.total) {
      bestRejected = { reason: `\`${c.shape}\` would flag ${String(figures.noise.flagged)} of ${String(figures.noise.total)} added lines in unrelated PRs (more than 1%)`, figures };
      continue;
    }
    // Most evidence covered; then fewest noise hits; then the most specific (longest) pattern.
    const score = figures.before.flagged * 1e6 - (figures.noise?.flagged ?? 0) * 1e3 + Math.min(c.shape.length, 999);
    if (best === null || score > best.score || (score === best.score && c.pattern < best.pattern)) best = { ...c, figures, score };
  }
  if (best === null) return { ok: false, reason: bestRejected?.reason ?? "no candidate pattern", figures: bestRejected?.figures ?? null };
  if (best.figures.noise === null) return { ok: false, reason: "no sample of unrelated changes to measure noise against", figures: best.figures };
  return { ok: true, pattern: best.pattern, shape: best.shape, figures: best.figures };
};
