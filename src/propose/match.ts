import type { Check } from "../checks/schema.js";
import { normalizeComment } from "../learn/normalize.js";
import { stem, termsOf } from "../learn/represent.js";
import type { Cluster } from "../learn/types.js";

/**
 * Which catalog checks answer a recurring pattern (pure, explainable). A
 * check scores by how many of its review phrases the pattern's comments
 * contain (as stemmed word sequences, so "remove this unused import" meets
 * "remove unused import"), plus its keywords among the pattern's terms, plus
 * agreement of categories. Every match says what matched.
 */
export interface CheckMatch {
  checkId: string;
  score: number;
  /** Catalog phrases found in the pattern's comments, with how many comments had each. */
  phrases: { phrase: string; comments: number }[];
  keywords: string[];
  sameCategory: boolean;
}

/** Scores below this are not a match. */
export const MIN_MATCH_SCORE = 1;

/** The words of a text the matcher compares: stems, no word pairs, no stopwords. */
export const matcherStems = (text: string): string[] => termsOf(normalizeComment(text).tokens).filter((t) => !t.includes(" "));

/** Content words allowed between two words of a phrase; stopwords are already gone ("remove this unused import" is "remov unus import"), so 0 means adjacent content words. */
const MAX_GAP = 0;

/** Whether the phrase's stems occur in the comment in order, at most MAX_GAP other stems apart. */
const containsInOrder = (comment: readonly string[], phrase: readonly string[]): boolean => {
  if (phrase.length === 0) return false;
  for (let start = 0; start < comment.length; start++) {
    if (comment[start] !== phrase[0]) continue;
    let at = start;
    let k = 1;
    for (; k < phrase.length; k++) {
      let next = -1;
      for (let j = at + 1; j <= at + 1 + MAX_GAP && j < comment.length; j++) {
        if (comment[j] === phrase[k]) {
          next = j;
          break;
        }
      }
      if (next < 0) break;
      at = next;
    }
    if (k === phrase.length) return true;
  }
  return false;
};

export const matchChecks = (cluster: Cluster, texts: readonly string[], catalog: readonly Check[]): CheckMatch[] => {
  const comments = texts.map(matcherStems);
  const clusterTerms = new Set(cluster.terms.flatMap((t) => t.split(" ").map(stem)));
  const out: CheckMatch[] = [];
  for (const check of catalog) {
    const phrases: CheckMatch["phrases"] = [];
    for (const phrase of check.phrases) {
      const p = matcherStems(phrase);
      const n = comments.filter((c) => containsInOrder(c, p)).length;
      if (n > 0) phrases.push({ phrase, comments: n });
    }
    const keywords = check.keywords.filter((k) => clusterTerms.has(stem(k.toLowerCase())));
    const sameCategory = check.category === cluster.category;
    // Share of comments a phrase explains (the best phrase), keywords, category.
    const best = phrases.reduce((m, p) => Math.max(m, p.comments), 0) / Math.max(1, texts.length);
    const score = 2 * best + 0.5 * Math.min(keywords.length, 3) + (sameCategory ? 0.5 : 0);
    // A check answers a pattern only if some of its review phrases occur in the pattern's comments:
    // shared keywords alone ("function", "long") say too little.
    const explained = phrases.reduce((m, p) => Math.max(m, p.comments), 0);
    if (explained >= Math.min(2, texts.length)) out.push({ checkId: check.id, score: Math.round(score * 100) / 100, phrases, keywords, sameCategory });
  }
  return out.filter((m) => m.score >= MIN_MATCH_SCORE).sort((a, b) => b.score - a.score || (a.checkId < b.checkId ? -1 : 1));
};
