import type { SparseVector } from "./represent.js";

/**
 * Average-link clustering on a sparse neighbour graph (pure, deterministic,
 * near-linear). All-pairs similarity is never computed:
 *
 * 1. Blocking: items are only compared within their block (scope + intent),
 *    and only with items that share one of their strongest terms, reading at
 *    most `postingWindow` items of each term's posting list (the nearest in
 *    time), so the work per item is bounded.
 * 2. Each item keeps its `neighbours` most similar candidates above `edgeFloor`.
 * 3. Agglomerative average-link over that graph: the similarity of two
 *    clusters is the sum of their edge similarities over |A|·|B| (a missing
 *    edge counts as 0, which keeps loosely chained clusters apart). Merging
 *    stops below `mergeThreshold`.
 *
 * Cost: O(n · probeTerms · postingWindow) similarity checks, then
 * O(E log E) for the merges with E ≤ n · neighbours edges.
 */
export interface ClusterItem {
  /** Items in different blocks never share a cluster (scope + category). */
  block: string;
  vector: SparseVector;
}

export interface ClusterOptions {
  /** Average similarity two clusters need to merge. */
  mergeThreshold: number;
  /** Edges weaker than this are not kept. */
  edgeFloor: number;
  /** Edges kept per item. */
  neighbours: number;
  /** An item's strongest terms used to find candidates. */
  probeTerms: number;
  /** Items read per posting list (the nearest in input order). */
  postingWindow: number;
  /** Terms two items must share for an edge. */
  minSharedTerms: number;
}

export const DEFAULT_CLUSTER_OPTIONS: ClusterOptions = {
  mergeThreshold: 0.12,
  edgeFloor: 0.08,
  neighbours: 10,
  probeTerms: 8,
  postingWindow: 96,
  minSharedTerms: 2,
};

export interface ClusterResult {
  /** Cluster number per item (in input order). */
  assignment: Int32Array;
  /** Per cluster: its member item indexes, ascending; clusters ordered by their first member. */
  members: number[][];
}

/** A binary min-heap of merge candidates, ordered so that the best merge pops first. */
class MergeHeap {
  private readonly items: { sim: number; a: number; b: number; stamp: number }[] = [];

  get size(): number {
    return this.items.length;
  }

  private better(i: number, j: number): boolean {
    const x = this.items[i];
    const y = this.items[j];
    if (x === undefined || y === undefined) return false;
    if (x.sim !== y.sim) return x.sim > y.sim;
    if (x.a !== y.a) return x.a < y.a;
    return x.b < y.b;
  }

  private swap(i: number, j: number): void {
    const t = this.items[i];
    const u = this.items[j];
    if (t === undefined || u === undefined) return;
    this.items[i] = u;
    this.items[j] = t;
  }

  push(entry: { sim: number; a: number; b: number; stamp: number }): void {
    this.items.push(entry);
    let i = this.items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  pop(): { sim: number; a: number; b: number; stamp: number } | undefined {
    const top = this.items[0];
    const last = this.items.pop();
    if (top === undefined || last === undefined || this.items.length === 0) return top;
    this.items[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.items.length && this.better(l, best)) best = l;
      if (r < this.items.length && this.better(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return top;
  }
}

/** The ids of a vector's `k` heaviest terms. */
const strongest = (v: SparseVector, k: number): number[] => {
  const order = [...v.ids.keys()].sort((a, b) => (v.weights[b] ?? 0) - (v.weights[a] ?? 0) || (v.ids[a] ?? 0) - (v.ids[b] ?? 0));
  return order.slice(0, k).map((i) => v.ids[i] ?? 0);
};

/** The neighbour graph: for each item, its strongest candidate edges (symmetric, summed once). */
const neighbourGraph = (
  items: readonly ClusterItem[],
  vocabSize: number,
  o: ClusterOptions,
  onProgress?: (done: number, total: number) => void,
): Map<number, number>[] => {
  let done = 0;
  const byBlock = new Map<string, number[]>();
  items.forEach((item, i) => {
    const list = byBlock.get(item.block);
    if (list === undefined) byBlock.set(item.block, [i]);
    else list.push(i);
  });
  const edges = items.map(() => new Map<number, number>());
  const dense = new Float32Array(vocabSize);
  for (const block of [...byBlock.keys()].sort()) {
    const members = byBlock.get(block) ?? [];
    // term → positions (in `members`) of the items carrying it, ascending.
    const postings = new Map<number, number[]>();
    members.forEach((item, pos) => {
      const v = items[item]?.vector;
      if (v === undefined) return;
      for (const t of v.ids) {
        const list = postings.get(t);
        if (list === undefined) postings.set(t, [pos]);
        else list.push(pos);
      }
    });
    members.forEach((item, pos) => {
      if (onProgress !== undefined && ++done % 2000 === 0) onProgress(done, items.length);
      const v = items[item]?.vector;
      if (v === undefined || v.ids.length === 0) return;
      v.ids.forEach((t, k) => (dense[t] = v.weights[k] ?? 0));
      const seen = new Set<number>();
      const found: { j: number; sim: number }[] = [];
      for (const t of strongest(v, o.probeTerms)) {
        const list = postings.get(t) ?? [];
        // The window of this list nearest to `pos`, by binary search.
        let lo = 0;
        let hi = list.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if ((list[mid] ?? 0) < pos) lo = mid + 1;
          else hi = mid;
        }
        // Centred on the item; at either end of the list the window slides inward rather than shrinking.
        const from = Math.max(0, Math.min(lo - (o.postingWindow >> 1), list.length - o.postingWindow));
        const to = Math.min(list.length, from + o.postingWindow);
        for (let x = from; x < to; x++) {
          const p = list[x] ?? -1;
          if (p === pos || p < 0 || seen.has(p)) continue;
          seen.add(p);
          const j = members[p] ?? -1;
          const w = items[j]?.vector;
          if (w === undefined) continue;
          let sim = 0;
          let shared = 0;
          for (let y = 0; y < w.ids.length; y++) {
            const d = dense[w.ids[y] ?? 0] ?? 0;
            if (d !== 0) {
              sim += (w.weights[y] ?? 0) * d;
              shared++;
            }
          }
          // One shared word is a coincidence, not a shared request.
          if (sim >= o.edgeFloor && shared >= o.minSharedTerms) found.push({ j, sim });
        }
      }
      for (const t of v.ids) dense[t] = 0;
      found.sort((a, b) => b.sim - a.sim || a.j - b.j);
      for (const { j, sim } of found.slice(0, o.neighbours)) {
        edges[item]?.set(j, sim);
        edges[j]?.set(item, sim);
      }
    });
  }
  return edges;
};

export const clusterItems = (
  items: readonly ClusterItem[],
  vocabSize: number,
  options: ClusterOptions = DEFAULT_CLUSTER_OPTIONS,
  onProgress?: (done: number, total: number) => void,
): ClusterResult => {
  const adjacency = neighbourGraph(items, vocabSize, options, onProgress);
  const size = new Int32Array(items.length).fill(1);
  const parent = Int32Array.from(items.keys());
  const stamp = new Int32Array(items.length);
  const heap = new MergeHeap();
  const offer = (a: number, b: number, w: number): void => {
    const [x, y] = a < b ? [a, b] : [b, a];
    const sim = w / ((size[x] ?? 1) * (size[y] ?? 1));
    if (sim >= options.mergeThreshold) heap.push({ sim, a: x, b: y, stamp: (stamp[x] ?? 0) + (stamp[y] ?? 0) });
  };
  adjacency.forEach((edges, a) => {
    for (const [b, w] of edges) if (a < b) offer(a, b, w);
  });
  while (heap.size > 0) {
    const top = heap.pop();
    if (top === undefined) break;
    const { a, b } = top;
    // Stale: one side merged since this entry was offered.
    if (parent[a] !== a || parent[b] !== b || top.stamp !== (stamp[a] ?? 0) + (stamp[b] ?? 0)) continue;
    // Merge the smaller adjacency into the larger; the survivor is the lower index (the older item).
    const keep = a;
    const gone = b;
    const ka = adjacency[keep] ?? new Map<number, number>();
    const kb = adjacency[gone] ?? new Map<number, number>();
    ka.delete(gone);
    kb.delete(keep);
    for (const [x, w] of kb) {
      ka.set(x, (ka.get(x) ?? 0) + w);
      const ax = adjacency[x];
      if (ax !== undefined) {
        ax.set(keep, (ax.get(keep) ?? 0) + w);
        ax.delete(gone);
      }
    }
    adjacency[gone] = new Map();
    parent[gone] = keep;
    size[keep] = (size[keep] ?? 0) + (size[gone] ?? 0);
    stamp[keep] = (stamp[keep] ?? 0) + 1;
    for (const [x, w] of ka) offer(keep, x, w);
  }

  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r] ?? r;
    return r;
  };
  const assignment = new Int32Array(items.length);
  const number = new Map<number, number>();
  const members: number[][] = [];
  items.forEach((_, i) => {
    const r = root(i);
    let k = number.get(r);
    if (k === undefined) {
      k = members.length;
      number.set(r, k);
      members.push([]);
    }
    members[k]?.push(i);
    assignment[i] = k;
  });
  return { assignment, members };
};
