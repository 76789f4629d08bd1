import type { ActorKind } from "../signals/signal.js";

/** The fixed taxonomy every pattern is filed under. */
export const CATEGORIES = [
  "naming",
  "documentation",
  "error-handling",
  "testing",
  "typing",
  "style",
  "logging",
  "dead-code",
  "performance",
  "security",
  "design",
  "process",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** One review comment as the learning core sees it (from the store or an offline export). */
export interface LearnComment {
  id: number;
  /** `owner/name`. */
  repo: string;
  pullNumber: number;
  body: string;
  path: string | null;
  diffHunk: string | null;
  /** Lines the comment covers: 1, or line - start_line + 1. */
  span: number;
  author: string;
  authorKind: ActorKind;
  /** The PR author's login, when known. */
  pullAuthor: string | null;
  /** ISO 8601. */
  createdAt: string;
  url: string | null;
  /** The id of the comment this one replies to, if any. */
  inReplyTo: number | null;
}

export interface WeeklyCount {
  /** ISO week start (Monday), `YYYY-MM-DD`. */
  week: string;
  count: number;
}

export interface PatternExample {
  commentId: number;
  url: string | null;
  repo: string;
  pullNumber: number;
  path: string | null;
  /** The comment text, trimmed to a readable excerpt. */
  excerpt: string;
}

/** A cluster of comments that ask for the same thing; recurring ones are patterns. */
export interface Cluster {
  /** Stable: kept when new comments join. */
  id: string;
  /** A short imperative title ("Remove unused imports"). */
  title: string;
  category: Category;
  /** Meets the recurrence thresholds (comments, distinct PRs, window). */
  recurring: boolean;
  /** `owner/name`, or `org:owner` for org-wide patterns. */
  scope: string;
  commentIds: number[];
  /** PR numbers (ambiguous across repositories: see pullRequestRefs). */
  pullRequests: number[];
  /** `owner/name#number` of each distinct PR. */
  pullRequestRefs: string[];
  reviewers: string[];
  authors: string[];
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  weekly: WeeklyCount[];
  /** Up to five representative comments, most central first. */
  examples: PatternExample[];
  /** The words that characterise the cluster, strongest first. */
  terms: string[];
}

/**
 * What an (optional) LLM pass may say about clusters: labels and merges only.
 * It never carries anything that could cause a write.
 */
export interface Refinement {
  titles: ReadonlyMap<string, string>;
  categories: ReadonlyMap<string, Category>;
  /** Pairs of cluster ids that ask for the same thing. */
  merges: readonly (readonly [string, string])[];
}
