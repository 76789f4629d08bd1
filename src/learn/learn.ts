import { clusterItems, DEFAULT_CLUSTER_OPTIONS, type ClusterOptions } from "./cluster.js";
import { classifyActionable, type DropReason } from "./filter.js";
import { detectIntent } from "./intent.js";
import { normalizeComment, type NormalizedComment } from "./normalize.js";
import { DEFAULT_THRESHOLDS, describeCluster, reconcileIds, seedId, strongestFirst, type ClusterDraft, type RecurrenceThresholds } from "./patterns.js";
import { buildVocabulary, stem, termsOf, vectorize } from "./represent.js";
import { offlineTitle, requestPhrase } from "./titles.js";
import { CATEGORIES, type Category, type Cluster, type LearnComment, type Refinement } from "./types.js";

/**
 * The learning core (pure: no I/O, clock or env): normalize → filter →
 * represent → cluster → patterns. The same comments and options always give
 * the same clusters, ids included.
 */
export type Scope = "repo" | "org" | "all";

export interface LearnOptions {
  thresholds: RecurrenceThresholds;
  /** Patterns per repository, per organisation, or across everything given. */
  scope: Scope;
  /** Filter reasons to keep rather than drop. */
  keep: readonly DropReason[];
  cluster: ClusterOptions;
  /** End of the recurrence window (ms); default: the newest comment given. */
  windowEnd?: number;
  /** Earlier clusters, so that patterns keep their ids. */
  previous?: readonly { id: string; commentIds: readonly number[] }[];
  /** Labels and merges from an optional LLM pass over an earlier result of the same input. */
  refinement?: Refinement;
  /** Called now and then on long inputs (the caller draws a progress bar). */
  onProgress?: (stage: LearnStage, done: number, total: number) => void;
}

export type LearnStage = "normalize" | "cluster" | "describe";

const PROGRESS_EVERY = 2000;

/**
 * Text read per comment: the webhook path stores at most this much, and an
 * offline export can hold anything; bounded input keeps every regex linear.
 */
export const MAX_BODY_CHARS = 32_000;
const MAX_HUNK_CHARS = 16_000;

export const DEFAULT_LEARN_OPTIONS: LearnOptions = {
  thresholds: DEFAULT_THRESHOLDS,
  scope: "repo",
  keep: [],
  cluster: DEFAULT_CLUSTER_OPTIONS,
};

export interface DroppedComment {
  commentId: number;
  reason: DropReason;
  detail: string;
}

export interface LearnResult {
  /** Clusters of two or more comments, strongest first (`strongestFirst`). */
  clusters: Cluster[];
  dropped: DroppedComment[];
  /** How many comments were read, kept as actionable, and placed in a cluster. */
  counts: { comments: number; actionable: number; clustered: number; recurring: number };
}

export const scopeOf = (repo: string, scope: Scope): string => {
  if (scope === "all") return "all";
  if (scope === "org") return `org:${repo.split("/")[0] ?? repo}`;
  return repo;
};

const chronological = (a: LearnComment, b: LearnComment): number =>
  a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id;

interface Kept {
  comment: LearnComment;
  normalized: NormalizedComment;
  category: Category;
  /** How clearly the comment's own evidence points at its category. */
  confidence: number;
  terms: string[];
}

/** The category most members point at, weighted by how clearly; `design` when nothing stands out. */
export const voteCategory = (votes: readonly { category: Category; confidence: number }[]): Category => {
  const score = new Map<Category, number>();
  for (const v of votes) if (v.confidence > 0) score.set(v.category, (score.get(v.category) ?? 0) + 1 + Math.min(v.confidence, 3) / 3);
  let best: Category = "design";
  let top = 0;
  for (const c of CATEGORIES) {
    const s = score.get(c) ?? 0;
    if (s > top) {
      best = c;
      top = s;
    }
  }
  return best;
};

/** For display: the surface word members used most for each stem. */
const surfaceForms = (members: readonly Kept[]): Map<string, string> => {
  const counts = new Map<string, Map<string, number>>();
  for (const m of members) {
    for (const token of m.normalized.tokens) {
      const s = stem(token);
      const forms = counts.get(s) ?? new Map<string, number>();
      forms.set(token, (forms.get(token) ?? 0) + 1);
      counts.set(s, forms);
    }
  }
  const out = new Map<string, string>();
  for (const [s, forms] of counts) {
    const best = [...forms.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (best !== undefined) out.set(s, best[0]);
  }
  return out;
};

export const learnPatterns = (input: readonly LearnComment[], options: LearnOptions = DEFAULT_LEARN_OPTIONS): LearnResult => {
  const comments = [...input].sort(chronological);
  const dropped: DroppedComment[] = [];
  const kept: Kept[] = [];
  const progress = options.onProgress;
  comments.forEach((comment, n) => {
    if (progress !== undefined && n % PROGRESS_EVERY === 0) progress("normalize", n, comments.length);
    const normalized = normalizeComment(comment.body.length > MAX_BODY_CHARS ? comment.body.slice(0, MAX_BODY_CHARS) : comment.body);
    const verdict = classifyActionable(
      { normalized, authorKind: comment.authorKind, pullAuthor: comment.pullAuthor, author: comment.author },
      { keep: options.keep },
    );
    if (!verdict.keep) {
      dropped.push({ commentId: comment.id, reason: verdict.reason, detail: verdict.detail });
      return;
    }
    // The commented lines are at the end of a hunk.
    const hunk = comment.diffHunk !== null && comment.diffHunk.length > MAX_HUNK_CHARS ? comment.diffHunk.slice(-MAX_HUNK_CHARS) : comment.diffHunk;
    const intent = detectIntent({ normalized, path: comment.path, diffHunk: hunk, span: comment.span });
    // Structural evidence joins the words as terms of its own: the kind of file, the kind of line
    // commented on and what the suggestion changes ("path:docs", "line:comment", "suggestion:whitespace").
    const structure = intent.evidence.filter((e) => !e.startsWith("word:"));
    kept.push({ comment, normalized, category: intent.category, confidence: intent.confidence, terms: termsOf(normalized.tokens, structure) });
  });
  progress?.("normalize", comments.length, comments.length);

  const vocab = buildVocabulary(kept.map((k) => k.terms));
  const vectors = kept.map((k) => vectorize(k.terms, vocab));
  const result = clusterItems(
    kept.map((k, i) => ({ block: scopeOf(k.comment.repo, options.scope), vector: vectors[i] ?? { ids: new Int32Array(), weights: new Float32Array() } })),
    vocab.terms.length,
    options.cluster,
    progress === undefined
      ? undefined
      : (done, total) => {
          progress("cluster", done, total);
        },
  );

  const newest = comments.reduce((max, c) => Math.max(max, Date.parse(c.createdAt)), 0);
  const windowEnd = options.windowEnd ?? newest;
  const drafts: { draft: ClusterDraft; seed: string }[] = [];
  result.members.forEach((memberIdx, n) => {
    if (progress !== undefined && n % PROGRESS_EVERY === 0) progress("describe", n, result.members.length);
    if (memberIdx.length < 2) return;
    const members = memberIdx.map((i) => kept[i]).filter((m): m is Kept => m !== undefined);
    const first = members[0];
    if (first === undefined) return;
    const scope = scopeOf(first.comment.repo, options.scope);
    // Centrality: similarity to the cluster's mean direction.
    const mean = new Map<number, number>();
    for (const i of memberIdx) {
      const v = vectors[i];
      if (v === undefined) continue;
      v.ids.forEach((id, j) => mean.set(id, (mean.get(id) ?? 0) + (v.weights[j] ?? 0)));
    }
    const forms = surfaceForms(members);
    const category = voteCategory(members);
    const terms = [...mean.entries()]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([id]) => vocab.terms[id] ?? "")
      // Structural terms ("path:docs") help similarity but are not words to show.
      .filter((t) => t !== "" && !t.includes(":"))
      .slice(0, 8)
      .map((t) => t.split(" ").map((w) => forms.get(w) ?? w).join(" "));
    const centrality = new Map<number, number>();
    memberIdx.forEach((i) => {
      const v = vectors[i];
      const m = kept[i];
      if (v === undefined || m === undefined) return;
      let dot = 0;
      v.ids.forEach((id, j) => (dot += (v.weights[j] ?? 0) * (mean.get(id) ?? 0)));
      centrality.set(m.comment.id, dot);
    });
    const title = offlineTitle(
      members.map((m) => requestPhrase(m.normalized.tokens)),
      category,
      terms,
    );
    drafts.push({ draft: { scope, category, members: members.map((m) => m.comment), terms, title, centrality }, seed: seedId(scope, first.comment.id) });
  });

  // Ids first (only members matter), then each cluster is described once.
  const seeded = drafts.map(({ draft, seed }) => ({ id: seed, commentIds: draft.members.map((c) => c.id) }));
  const ids = (options.previous === undefined ? seeded : reconcileIds(seeded, options.previous)).map((c) => c.id);
  const byId = new Map<string, ClusterDraft>();
  drafts.forEach(({ draft }, i) => byId.set(ids[i] ?? "", draft));
  const refined = options.refinement === undefined ? byId : applyRefinement(byId, options.refinement);
  const final = [...refined.entries()]
    .map(([id, draft]) => describeCluster(draft, id, windowEnd, options.thresholds))
    .sort(strongestFirst);
  const clustered = final.reduce((n, c) => n + c.occurrences, 0);
  return {
    clusters: final,
    dropped,
    counts: { comments: comments.length, actionable: kept.length, clustered, recurring: final.filter((c) => c.recurring).length },
  };
};

/**
 * Applies an LLM refinement (pure): merges join clusters of the same scope
 * (the larger keeps its id, the older on a tie); titles and categories
 * replace the offline ones. Unknown ids are ignored.
 */
export const applyRefinement = (drafts: ReadonlyMap<string, ClusterDraft>, refinement: Refinement): Map<string, ClusterDraft> => {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let r = id;
    for (let p = parent.get(r); p !== undefined; p = parent.get(r)) r = p;
    return r;
  };
  const oldest = (d: ClusterDraft): string => d.members.reduce((min, c) => (c.createdAt < min ? c.createdAt : min), d.members[0]?.createdAt ?? "");
  const groups = new Map<string, ClusterDraft>(drafts);
  for (const [x, y] of refinement.merges) {
    const a = find(x);
    const b = find(y);
    const da = groups.get(a);
    const db = groups.get(b);
    if (a === b || da === undefined || db === undefined || da.scope !== db.scope) continue;
    // Sizes and ages of the groups as merged so far, not of the original clusters.
    const [na, ta] = [da.members.length, oldest(da)];
    const [nb, tb] = [db.members.length, oldest(db)];
    const aWins = na > nb || (na === nb && (ta < tb || (ta === tb && a < b)));
    const [winner, loser, w, l] = aWins ? [a, b, da, db] : [b, a, db, da];
    parent.set(loser, winner);
    groups.delete(loser);
    groups.set(winner, {
      ...w,
      members: [...w.members, ...l.members],
      centrality: new Map([...l.centrality, ...w.centrality]),
    });
  }
  const out = new Map<string, ClusterDraft>();
  for (const [id, draft] of groups) {
    // A label given to either side of a merge applies to the survivor; the survivor's own wins.
    const labelOf = <T>(labels: ReadonlyMap<string, T>): T | undefined => {
      const own = labels.get(id);
      if (own !== undefined) return own;
      for (const [other, value] of labels) if (find(other) === id) return value;
      return undefined;
    };
    out.set(id, { ...draft, title: labelOf(refinement.titles) ?? draft.title, category: labelOf(refinement.categories) ?? draft.category });
  }
  return out;
};
