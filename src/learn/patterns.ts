import { createHash } from "node:crypto";
import { DAY_MS } from "../shared/clock.js";
import type { Category, Cluster, LearnComment, PatternExample, WeeklyCount } from "./types.js";

/** When a cluster counts as a recurring pattern. */
export interface RecurrenceThresholds {
  minOccurrences: number;
  minPullRequests: number;
  windowDays: number;
}

export const DEFAULT_THRESHOLDS: RecurrenceThresholds = { minOccurrences: 3, minPullRequests: 3, windowDays: 90 };


/** The Monday (UTC) starting the ISO week of `iso`, as YYYY-MM-DD. */
export const weekOf = (iso: string): string => {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const monday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - day * DAY_MS;
  return new Date(monday).toISOString().slice(0, 10);
};

/** Week labels by week start (ms): the same few hundred weeks recur across thousands of clusters. */
const WEEK_LABELS = new Map<number, string>();
const weekLabel = (t: number): string => {
  let label = WEEK_LABELS.get(t);
  if (label === undefined) {
    label = new Date(t).toISOString().slice(0, 10);
    if (WEEK_LABELS.size < 100_000) WEEK_LABELS.set(t, label);
  }
  return label;
};

/** Counts per week from the first to the last week, empty weeks included (a trend, not a histogram). */
export const weeklyCounts = (dates: readonly string[]): WeeklyCount[] => {
  if (dates.length === 0) return [];
  const counts = new Map<string, number>();
  for (const d of dates) {
    const w = weekOf(d);
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  const weeks = [...counts.keys()].sort();
  const first = Date.parse(weeks[0] ?? "");
  const last = Date.parse(weeks.at(-1) ?? "");
  const out: WeeklyCount[] = [];
  for (let t = first; t <= last; t += 7 * DAY_MS) {
    const week = weekLabel(t);
    out.push({ week, count: counts.get(week) ?? 0 });
  }
  return out;
};

/** A pattern id for a new cluster: its scope and its oldest comment, so later joiners keep it. */
export const seedId = (scope: string, oldestCommentId: number): string =>
  `p-${createHash("sha256").update(`${scope}\n${String(oldestCommentId)}`).digest("hex").slice(0, 12)}`;

/** Whether the comments recur enough inside the window ending at `windowEnd`. */
export const isRecurring = (members: readonly LearnComment[], windowEnd: number, t: RecurrenceThresholds): boolean => {
  const start = windowEnd - t.windowDays * DAY_MS;
  const inside = members.filter((c) => {
    const at = Date.parse(c.createdAt);
    return at >= start && at <= windowEnd;
  });
  const prs = new Set(inside.map((c) => `${c.repo}#${String(c.pullNumber)}`));
  return inside.length >= t.minOccurrences && prs.size >= t.minPullRequests;
};

const EXCERPT_CHARS = 280;

export const excerpt = (body: string): string => {
  const text = body
    .replace(/<!--[\s\S]*?-->/g, " ")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, " ")
    .replace(/<[^>\n]+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS - 1).trimEnd()}…`;
};

/** Up to five examples, most central first, one per PR before any PR repeats. */
export const pickExamples = (members: readonly LearnComment[], centrality: ReadonlyMap<number, number>, k = 5): PatternExample[] => {
  const ranked = [...members].sort((a, b) => (centrality.get(b.id) ?? 0) - (centrality.get(a.id) ?? 0) || a.id - b.id);
  const seenPrs = new Set<string>();
  const first: LearnComment[] = [];
  const rest: LearnComment[] = [];
  for (const c of ranked) {
    const pr = `${c.repo}#${String(c.pullNumber)}`;
    if (seenPrs.has(pr)) rest.push(c);
    else {
      seenPrs.add(pr);
      first.push(c);
    }
  }
  return [...first, ...rest].slice(0, k).map((c) => ({
    commentId: c.id,
    url: c.url,
    repo: c.repo,
    pullNumber: c.pullNumber,
    path: c.path,
    excerpt: excerpt(c.body),
  }));
};

const sortedUnique = <T>(values: Iterable<T>, cmp: (a: T, b: T) => number): T[] => [...new Set(values)].sort(cmp);
const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface ClusterDraft {
  scope: string;
  category: Category;
  members: readonly LearnComment[];
  terms: string[];
  title: string;
  centrality: ReadonlyMap<number, number>;
}

/** The reported shape of one cluster (id assigned by the caller). */
export const describeCluster = (draft: ClusterDraft, id: string, windowEnd: number, t: RecurrenceThresholds): Cluster => {
  const members = [...draft.members].sort((a, b) => byString(a.createdAt, b.createdAt) || a.id - b.id);
  const dates = members.map((c) => c.createdAt);
  return {
    id,
    title: draft.title,
    category: draft.category,
    recurring: isRecurring(members, windowEnd, t),
    scope: draft.scope,
    commentIds: members.map((c) => c.id).sort((a, b) => a - b),
    pullRequests: sortedUnique(
      members.map((c) => c.pullNumber),
      (a, b) => a - b,
    ),
    pullRequestRefs: sortedUnique(
      members.map((c) => `${c.repo}#${String(c.pullNumber)}`),
      byString,
    ),
    reviewers: sortedUnique(
      members.map((c) => c.author),
      byString,
    ),
    authors: sortedUnique(
      members.flatMap((c) => (c.pullAuthor === null ? [] : [c.pullAuthor])),
      byString,
    ),
    occurrences: members.length,
    firstSeen: dates[0] ?? "",
    lastSeen: dates.at(-1) ?? "",
    weekly: weeklyCounts(dates),
    examples: pickExamples(members, draft.centrality),
    terms: draft.terms,
  };
};

/**
 * Keeps pattern ids across runs: a new cluster takes the id of the previous
 * cluster it shares most comments with (at least half of that cluster's
 * comments still present), one to one, strongest overlaps first.
 */
export const reconcileIds = <T extends { id: string; commentIds: readonly number[] }>(
  clusters: readonly T[],
  previous: readonly { id: string; commentIds: readonly number[] }[],
): T[] => {
  const present = new Set(clusters.flatMap((c) => c.commentIds));
  const owner = new Map<number, number>();
  previous.forEach((p, i) => {
    for (const id of p.commentIds) owner.set(id, i);
  });
  const pairs: { cluster: number; prev: number; overlap: number }[] = [];
  clusters.forEach((c, ci) => {
    const counts = new Map<number, number>();
    for (const id of c.commentIds) {
      const p = owner.get(id);
      if (p !== undefined) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    for (const [p, overlap] of counts) {
      const still = previous[p]?.commentIds.filter((id) => present.has(id)).length ?? 0;
      if (overlap * 2 >= still && overlap > 0) pairs.push({ cluster: ci, prev: p, overlap });
    }
  });
  pairs.sort((a, b) => b.overlap - a.overlap || a.prev - b.prev || a.cluster - b.cluster);
  const takenPrev = new Set<number>();
  const renamed = new Map<number, string>();
  for (const { cluster, prev } of pairs) {
    if (takenPrev.has(prev) || renamed.has(cluster)) continue;
    const id = previous[prev]?.id;
    if (id === undefined) continue;
    takenPrev.add(prev);
    renamed.set(cluster, id);
  }
  const used = new Set(renamed.values());
  return clusters.map((c, i) => {
    const id = renamed.get(i);
    if (id !== undefined) return { ...c, id };
    // A fresh id that collides with an inherited one (its seed moved) gets a suffix.
    let fresh = c.id;
    for (let n = 2; used.has(fresh); n++) fresh = `${c.id}-${String(n)}`;
    used.add(fresh);
    return { ...c, id: fresh };
  });
};

/** Recurring patterns first, then by distinct PRs, occurrences and id. */
export const strongestFirst = (a: Cluster, b: Cluster): number =>
  Number(b.recurring) - Number(a.recurring) ||
  b.pullRequestRefs.length - a.pullRequestRefs.length ||
  b.occurrences - a.occurrences ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
