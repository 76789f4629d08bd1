import type { Category } from "./types.js";

/**
 * Offline titles (pure): the request most members make, as an imperative
 * phrase ("Remove unused imports", "Add a docstring"), read from the verb that
 * opens the request and the words after it. When members agree on no phrase,
 * the category's own wording and the cluster's strongest terms.
 */
const VERBS = new Set([
  "add", "remove", "rename", "use", "avoid", "move", "replace", "fix", "update", "document", "simplify",
  "extract", "split", "revert", "check", "raise", "handle", "log", "delete", "drop", "inline", "keep", "make",
  "validate", "wrap", "shorten", "mention", "explain", "describe", "define", "reuse", "merge",
  "sort", "annotate", "catch", "close", "cache", "format", "chop", "put", "include", "exclude", "prefer",
  "change", "clarify", "reword", "specify", "provide", "write", "declare", "convert", "guard",
]);

const SKIP = new Set(["new", "more", "few", "a", "an", "the", "this", "that", "these", "those", "it", "its", "some", "any", "all", "here", "there", "also", "just", "please", "maybe", "to", "xidentx", "xstrx", "xnumx", "xurlx", "xuserx", "xcodex"]);
/** Objects too vague to name a request on their own ("use case", "remove bit"). */
const VAGUE = new Set(["case", "bit", "python", "file", "code", "thing", "things", "line", "lines", "way", "one", "part", "stuff", "something", "here", "more", "less", "same", "other", "them"]);
const STOP_AFTER = new Set(["something", "anything", "somewhere", "and", "or", "but", "so", "because", "since", "if", "when", "as", "to", "for", "in", "on", "of", "with", "instead", "here", "there", "than", "is", "are", "be", "it", "this", "that"]);

/** The first "verb object [object]" request in a comment's tokens, if any. */
export const requestPhrase = (tokens: readonly string[]): string | null => {
  for (let i = 0; i < tokens.length; i++) {
    const verb = tokens[i] ?? "";
    if (!VERBS.has(verb)) continue;
    // "to use" / "should use" / "please use" / sentence start all read as requests.
    const words: string[] = [];
    for (let j = i + 1; j < tokens.length && words.length < 2; j++) {
      const w = tokens[j] ?? "";
      if (words.length === 0 && SKIP.has(w)) continue;
      if (STOP_AFTER.has(w) || SKIP.has(w) || VERBS.has(w)) break;
      words.push(w);
    }
    if (words.length === 1 && VAGUE.has(words[0] ?? "")) continue;
    if (words.length > 0) return [verb, ...words].join(" ");
  }
  return null;
};

const CATEGORY_TITLES: Record<Category, string> = {
  naming: "Improve names",
  documentation: "Improve documentation",
  "error-handling": "Handle errors and invalid input",
  testing: "Add or improve tests",
  typing: "Add type annotations",
  style: "Follow the formatting conventions",
  logging: "Fix logging and output",
  "dead-code": "Remove unused or redundant code",
  performance: "Avoid needless work",
  security: "Fix security issues",
  design: "Restructure the code",
  process: "Keep pull requests focused",
};

const capitalize = (s: string): string => (s === "" ? s : `${(s[0] ?? "").toUpperCase()}${s.slice(1)}`);

/**
 * A title for a cluster: the members' most common request phrase when at
 * least a fifth of them (and two) share it; else the cluster's strongest
 * "verb object" term; else the category's wording with the strongest terms.
 */
export const offlineTitle = (phrases: readonly (string | null)[], category: Category, terms: readonly string[]): string => {
  const counts = new Map<string, number>();
  for (const p of phrases) if (p !== null) counts.set(p, (counts.get(p) ?? 0) + 1);
  // Also count the verb + first word alone, which agrees more often.
  for (const p of phrases) {
    if (p === null) continue;
    const short = p.split(" ").slice(0, 2).join(" ");
    if (short !== p) counts.set(short, (counts.get(short) ?? 0) + 1);
  }
  // Of the phrases enough members share, the most specific (longest), then the most shared.
  const shared = [...counts.entries()].filter(([, n]) => n >= 2 && n * 5 >= phrases.length);
  shared.sort((a, b) => b[0].split(" ").length - a[0].split(" ").length || b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = shared[0];
  if (top !== undefined) return capitalize(top[0]);
  // The strongest "verb object" bigram of the cluster reads as a request too.
  const verbPair = terms.find((t) => {
    const [verb, object, ...rest] = t.split(" ");
    return rest.length === 0 && object !== undefined && VERBS.has(verb ?? "") && !SKIP.has(object) && !VAGUE.has(object);
  });
  if (verbPair !== undefined) return capitalize(verbPair);
  const words = terms.filter((t) => !t.includes(" ") && !VAGUE.has(t)).slice(0, 3);
  return words.length === 0 ? CATEGORY_TITLES[category] : `${CATEGORY_TITLES[category]} (${words.join(", ")})`;
};
