import type { LearnComment } from "../../src/learn/types.js";
import { prng } from "./payloads.js";

/**
 * Synthetic review comments for the clustering benchmark, varied from real
 * ones (deterministic: the same seed always gives the same comments). Each
 * synthetic comment copies a real comment's text and varies it word by word
 * — synonyms, a dropped or doubled word, fresh identifiers in backticks,
 * other numbers — while code fences, URLs and markup stay as they are. It
 * lands in one of `repos` repositories (skewed sizes, like an organisation:
 * a few big repos, many small ones), in a pull request of 1–20 comments,
 * with a reviewer, a PR author and a date spread over `days` days.
 */

/** Words that may stand in for each other (lower case; multi-word entries allowed). */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ["remove", "delete", "drop"],
  ["function", "method"],
  ["functions", "methods"],
  ["variable", "identifier"],
  ["variables", "identifiers"],
  ["should", "could"],
  ["use", "prefer"],
  ["add", "include"],
  ["check", "verify", "validate"],
  ["unnecessary", "redundant", "not needed"],
  ["error", "exception"],
  ["errors", "exceptions"],
  ["please", "kindly", "pls"],
  ["descriptive", "meaningful", "clearer"],
  ["parameter", "argument"],
  ["parameters", "arguments"],
  ["change", "update", "modify"],
  ["think", "believe", "feel"],
  ["maybe", "perhaps"],
  ["file", "module"],
  ["instead", "rather"],
  ["fix", "correct"],
  ["docstring", "doc string"],
  ["test", "unit test"],
  ["tests", "unit tests"],
  ["nice", "great", "good"],
  ["simplify", "clean up"],
  ["wrong", "incorrect"],
  ["value", "result"],
  ["also", "additionally"],
  ["here", "at this point"],
  ["provide", "give"],
  ["name", "label"],
  ["names", "labels"],
  ["comment", "note"],
  ["code", "logic"],
];

const SYNONYMS = new Map<string, readonly string[]>();
for (const group of SYNONYM_GROUPS) for (const word of group) SYNONYMS.set(word, group.filter((w) => w !== word));

const NAME_PARTS = [
  "user", "data", "count", "index", "value", "item", "node", "config", "result", "buffer", "cache", "path",
  "list", "map", "key", "row", "col", "total", "input", "output", "graph", "tensor", "matrix", "score", "label",
];

const FENCE = /((?:^|\n)[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n?[ \t]*\2[ \t]*(?=\n|$))/;
/** A plain prose word, maybe followed by punctuation: the only tokens varied. */
const PLAIN_WORD = /^([A-Za-z]+)([.,;:!?)]*)$/;

export interface Variation {
  /** Chance that a word with synonyms is swapped. */
  synonym: number;
  /** Chance that one plain word of a comment is dropped, and that one is doubled. */
  drop: number;
  duplicate: number;
  /** Chance that a backticked identifier / a number gets a fresh value. */
  identifier: number;
  number: number;
}

export const DEFAULT_VARIATION: Variation = { synonym: 0.3, drop: 0.3, duplicate: 0.15, identifier: 0.7, number: 0.5 };

const pick = <T>(rand: () => number, list: readonly T[]): T => {
  const v = list[Math.floor(rand() * list.length)];
  if (v === undefined) throw new Error("pick from an empty list");
  return v;
};

const identifier = (rand: () => number): string => {
  const parts = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => pick(rand, NAME_PARTS));
  const base = rand() < 0.5 ? parts.join("_") : parts.map((p, i) => (i === 0 ? p : `${p[0]?.toUpperCase() ?? ""}${p.slice(1)}`)).join("");
  return rand() < 0.2 ? `${base}${String(Math.floor(rand() * 10))}` : base;
};

const keepCase = (original: string, replacement: string): string =>
  /^[A-Z]/.test(original) ? `${replacement[0]?.toUpperCase() ?? ""}${replacement.slice(1)}` : replacement;

/** One prose segment (no code fences) varied word by word. */
const varyProse = (text: string, rand: () => number, v: Variation): string => {
  let t = text.replace(/`[^`\n]+`/g, (m) => (rand() < v.identifier ? `\`${identifier(rand)}\`` : m));
  // Numbers standing alone in prose (not inside URLs, identifiers or versions).
  t = t.replace(/(^|[\s(])(\d{1,4})(?=[\s.,;:)]|$)/g, (m, pre: string) => (rand() < v.number ? `${pre}${String(1 + Math.floor(rand() * 200))}` : m));
  const parts = t.split(/(\s+)/);
  const words: number[] = [];
  parts.forEach((p, i) => {
    const m = PLAIN_WORD.exec(p);
    if (m === null) return;
    words.push(i);
    const word = m[1] ?? "";
    const alternatives = SYNONYMS.get(word.toLowerCase());
    if (alternatives !== undefined && rand() < v.synonym) parts[i] = `${keepCase(word, pick(rand, alternatives))}${m[2] ?? ""}`;
  });
  if (words.length > 3 && rand() < v.drop) parts[pick(rand, words)] = "";
  if (words.length > 0 && rand() < v.duplicate) {
    const i = pick(rand, words);
    const w = PLAIN_WORD.exec(parts[i] ?? "")?.[1];
    if (w !== undefined) parts[i] = `${w.toLowerCase()} ${parts[i] ?? ""}`;
  }
  return parts.join("").replace(/ {2,}/g, " ");
};

/** A real body varied: prose segments only; fenced code (and ```suggestion blocks) kept verbatim. */
export const varyBody = (body: string, rand: () => number, v: Variation = DEFAULT_VARIATION): string =>
  body
    .split(FENCE)
    .map((segment, i) => {
      // split() with two capture groups yields: prose, fence, fence marker, prose, …
      if (i % 3 === 1) return segment;
      if (i % 3 === 2) return "";
      return varyProse(segment, rand, v);
    })
    .join("");

/** The hunk's own header with shifted line numbers: a fresh string of the same size, like a real hunk of another PR. */
const shiftHunk = (hunk: string | null, rand: () => number): string | null => {
  if (hunk === null) return null;
  const shift = Math.floor(rand() * 400);
  return hunk.replace(/^@@ -(\d+)(,\d+)? \+(\d+)(,\d+)? @@/, (_m, a: string, b: string | undefined, c: string, d: string | undefined) => {
    return `@@ -${String(Number(a) + shift)}${b ?? ""} +${String(Number(c) + shift)}${d ?? ""} @@`;
  });
};

export interface SynthOptions {
  n: number;
  repos: number;
  days: number;
  seed: number;
  /** Reviewers across all repositories; each repository draws from a slice of them. */
  reviewers: number;
  /** Share of human comments written by the PR's own author (replies in the thread). */
  authorReplies: number;
  variation: Variation;
}

export const DEFAULT_SYNTH: SynthOptions = {
  n: 100_000,
  repos: 50,
  days: 730,
  seed: 20261122,
  reviewers: 400,
  authorReplies: 0.05,
  variation: DEFAULT_VARIATION,
};

const START = Date.parse("2024-11-01T00:00:00Z");
const DAY_MS = 86_400_000;

/** Comments per repository: weight 1/rank^0.8 (the largest of 50 holds ~15%), rounded by largest remainder. */
const repoSizes = (n: number, repos: number): number[] => {
  const weights = Array.from({ length: repos }, (_, r) => 1 / (r + 1) ** 0.8);
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * n);
  const sizes = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (let k = 0, left = n - sizes.reduce((a, b) => a + b, 0); k < left; k++) {
    const i = order[k % order.length]?.i ?? 0;
    sizes[i] = (sizes[i] ?? 0) + 1;
  }
  return sizes;
};

/** A PR's comment count: 1–20, most PRs small (mean ≈ 4.5). */
const prSize = (rand: () => number): number => Math.min(20, 1 + Math.floor(-Math.log(1 - rand()) * 3.5));

export interface SynthResult {
  comments: LearnComment[];
  /** Per synthetic comment (same order), the id of the real comment it was varied from. */
  sourceIds: number[];
  pulls: number;
  repoSizes: number[];
}

export const synthesize = (sources: readonly LearnComment[], options: SynthOptions = DEFAULT_SYNTH): SynthResult => {
  if (sources.length === 0) throw new Error("no source comments to vary");
  const rand = prng(options.seed);
  const sizes = repoSizes(options.n, options.repos);
  const comments: LearnComment[] = [];
  const sourceIds: number[] = [];
  let pulls = 0;
  let nextId = 9_000_000_000;
  sizes.forEach((size, r) => {
    const repo = `acme-${String(r % 7)}/service-${String(r).padStart(2, "0")}`;
    // This repository's reviewers: a window of the global pool.
    const reviewerBase = Math.floor(rand() * options.reviewers);
    const reviewerCount = 5 + Math.floor(rand() * 25);
    const prSizes: number[] = [];
    for (let left = size; left > 0; ) {
      const s = Math.min(left, prSize(rand));
      prSizes.push(s);
      left -= s;
    }
    pulls += prSizes.length;
    prSizes.forEach((count, p) => {
      // PR numbers rise with time; a PR's comments fall within a few days of its opening.
      const opened = START + ((p + rand()) / prSizes.length) * options.days * DAY_MS;
      const pullAuthor = `dev-${String(r)}-${String(Math.floor(rand() * 40))}`;
      for (let k = 0; k < count; k++) {
        const source = pick(rand, sources);
        const createdAt = new Date(Math.min(START + options.days * DAY_MS, opened + -Math.log(1 - rand()) * 1.5 * DAY_MS)).toISOString();
        const human = source.authorKind === "human";
        const author = !human
          ? source.author
          : rand() < options.authorReplies
            ? pullAuthor
            : `reviewer-${String((reviewerBase + Math.floor(rand() * reviewerCount)) % options.reviewers)}`;
        const id = nextId++;
        const pullNumber = 1 + p;
        sourceIds.push(source.id);
        comments.push({
          id,
          repo,
          pullNumber,
          body: varyBody(source.body, rand, options.variation),
          path: source.path,
          diffHunk: shiftHunk(source.diffHunk, rand),
          span: source.span,
          author,
          authorKind: source.authorKind,
          pullAuthor,
          createdAt,
          url: `https://github.com/${repo}/pull/${String(pullNumber)}#discussion_r${String(id)}`,
          inReplyTo: null,
        });
      }
    });
  });
  return { comments, sourceIds, pulls, repoSizes: sizes };
};
