import type { SparseVector } from "./represent.js";

/**
 * Average-link clustering on a sparse neighbour graph (pure, deterministic,
 * near-linear). All-pairs similarity is never computed:
 *
 * 1. Blocking: items are only compared within their block (the pattern
 *    scope: a repository, an organisation or everything; splitting blocks by
 *    intent category as well measured worse on labelled data, so categories
 *    label clusters instead of separating them),
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
  /** Items in different blocks never share a cluster (the pattern scope). */
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
  neighbours: 8,
  probeTerms: 8,
  postingWindow: 48,
  minSharedTerms: 2,
};

export interface ClusterResult {
  /** Cluster number per item (in input order). */
  assignment: Int32Array;
  /** Per cluster: its member item indexes, ascending; clusters ordered by their first member. */
  members: number[][];
}

/**
 * A binary heap of merge candidates, best merge first (highest similarity,
 * then lowest ids). Struct-of-arrays in typed arrays: millions of offers make
 * no garbage.
 */
class MergeHeap {
  private sim = new Float64Array(1024);
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  private stamp = new Int32Array(1024);
  size = 0;

  private better(i: number, j: number): boolean {
    const x = this.sim[i] ?? 0;
    const y = this.sim[j] ?? 0;
    if (x !== y) return x > y;
    const ai = this.a[i] ?? 0;
    const aj = this.a[j] ?? 0;
    if (ai !== aj) return ai < aj;
    return (this.b[i] ?? 0) < (this.b[j] ?? 0);
  }

  private move(from: number, to: number): void {
    this.sim[to] = this.sim[from] ?? 0;
    this.a[to] = this.a[from] ?? 0;
    this.b[to] = this.b[from] ?? 0;
    this.stamp[to] = this.stamp[from] ?? 0;
  }

  private swap(i: number, j: number): void {
    // The slot one past the end is free scratch space (capacity is kept above size).
    this.move(i, this.size);
    this.move(j, i);
    this.move(this.size, j);
  }

  push(sim: number, a: number, b: number, stamp: number): void {
    if (this.size + 1 >= this.sim.length) {
      const grow = <T extends Float64Array | Int32Array>(old: T, make: (n: number) => T): T => {
        const next = make(old.length * 2);
        next.set(old);
        return next;
      };
      this.sim = grow(this.sim, (n) => new Float64Array(n));
      this.a = grow(this.a, (n) => new Int32Array(n));
      this.b = grow(this.b, (n) => new Int32Array(n));
      this.stamp = grow(this.stamp, (n) => new Int32Array(n));
    }
    let i = this.size++;
    this.sim[i] = sim;
    this.a[i] = a;
    this.b[i] = b;
    this.stamp[i] = stamp;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  /** The entry `pop` removed last. */
  topA = 0;
  topB = 0;
  topStamp = 0;

  /** Removes the best entry into topA/topB/topStamp; false when empty. */
  pop(): boolean {
    if (this.size === 0) return false;
    this.topA = this.a[0] ?? 0;
    this.topB = this.b[0] ?? 0;
    this.topStamp = this.stamp[0] ?? 0;
    this.size--;
    if (this.size === 0) return true;
    this.move(this.size, 0);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let best = i;
      if (l < this.size && this.better(l, best)) best = l;
      if (r < this.size && this.better(r, best)) best = r;
      if (best === i) break;
      this.swap(i, best);
      i = best;
    }
    return true;
  }
}

/** The ids of a vector's `k` heaviest terms. */
const strongest = (v: SparseVector, k: number): number[] => {
  const order = [...v.ids.keys()].sort((a, b) => (v.weights[b] ?? 0) - (v.weights[a] ?? 0) || (v.ids[a] ?? 0) - (v.ids[b] ?? 0));
  return order.slice(0, k).map((i) => v.ids[i] ?? 0);
};

/** First index in `list[from, to)` whose value is ≥ `value` (the list is ascending). */
const lowerBound = (list: Int32Array, from: number, to: number, value: number): number => {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] ?? 0) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * The neighbour graph: for each item, its strongest candidate edges
 * (symmetric). Everything hot lives in flat typed arrays: items renumbered so
 * that each block is one contiguous range, their vectors and the postings in
 * CSR form, and a stamp array instead of a "seen" set.
 */
const neighbourGraph = (
  items: readonly ClusterItem[],
  vocabSize: number,
  o: ClusterOptions,
  onProgress?: (done: number, total: number) => void,
): Map<number, number>[] => {
  const n = items.length;
  // New order: by block (sorted), then by input order; rank = position in it.
  const blockNames = [...new Set(items.map((it) => it.block))].sort();
  const blockNo = new Map(blockNames.map((b, i) => [b, i]));
  const order = Int32Array.from(items.keys()).sort((x, y) => (blockNo.get(items[x]?.block ?? "") ?? 0) - (blockNo.get(items[y]?.block ?? "") ?? 0) || x - y);
  const blockStart = new Int32Array(n);
  const blockEnd = new Int32Array(n);
  for (let r = 0; r < n; ) {
    const block = items[order[r] ?? 0]?.block;
    let e = r;
    while (e < n && items[order[e] ?? 0]?.block === block) e++;
    for (let x = r; x < e; x++) {
      blockStart[x] = r;
      blockEnd[x] = e;
    }
    r = e;
  }
  // Vectors in CSR, by rank.
  const vOff = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) vOff[r + 1] = (vOff[r] ?? 0) + (items[order[r] ?? 0]?.vector.ids.length ?? 0);
  const vIds = new Int32Array(vOff[n] ?? 0);
  const vW = new Float32Array(vOff[n] ?? 0);
  for (let r = 0; r < n; r++) {
    const v = items[order[r] ?? 0]?.vector;
    if (v === undefined) continue;
    vIds.set(v.ids, vOff[r] ?? 0);
    vW.set(v.weights, vOff[r] ?? 0);
  }
  // Postings in CSR: term t's ranks are post[pOff[t], pOff[t + 1]), ascending.
  const pOff = new Int32Array(vocabSize + 1);
  for (const t of vIds) pOff[t + 1] = (pOff[t + 1] ?? 0) + 1;
  for (let t = 0; t < vocabSize; t++) pOff[t + 1] = (pOff[t + 1] ?? 0) + (pOff[t] ?? 0);
  const fill = pOff.slice(0, vocabSize);
  const post = new Int32Array(vIds.length);
  for (let r = 0; r < n; r++) {
    for (let k = vOff[r] ?? 0; k < (vOff[r + 1] ?? 0); k++) {
      const t = vIds[k] ?? 0;
      post[fill[t] ?? 0] = r;
      fill[t] = (fill[t] ?? 0) + 1;
    }
  }

  const edges = items.map(() => new Map<number, number>());
  const dense = new Float32Array(vocabSize);
  const seen = new Int32Array(n).fill(-1);
  const cap = o.probeTerms * o.postingWindow;
  const candRank = new Int32Array(cap);
  const candSim = new Float64Array(cap);
  const half = o.postingWindow >> 1;
  for (let r = 0; r < n; r++) {
    if (onProgress !== undefined && (r + 1) % 2000 === 0) onProgress(r + 1, n);
    const item = order[r] ?? 0;
    const v = items[item]?.vector;
    if (v === undefined || v.ids.length === 0) continue;
    const start = vOff[r] ?? 0;
    const end = vOff[r + 1] ?? 0;
    for (let k = start; k < end; k++) dense[vIds[k] ?? 0] = vW[k] ?? 0;
    seen[r] = r;
    let found = 0;
    for (const t of strongest(v, o.probeTerms)) {
      // This block's part of the term's postings, and the window of it nearest to r.
      const a = lowerBound(post, pOff[t] ?? 0, pOff[t + 1] ?? 0, blockStart[r] ?? 0);
      const b = lowerBound(post, a, pOff[t + 1] ?? 0, blockEnd[r] ?? 0);
      const at = lowerBound(post, a, b, r);
      // Centred on the item; at either end the window slides inward rather than shrinking.
      const from = Math.max(a, Math.min(at - half, b - o.postingWindow));
      const to = Math.min(b, from + o.postingWindow);
      for (let x = from; x < to; x++) {
        const p = post[x] ?? 0;
        if (seen[p] === r) continue;
        seen[p] = r;
        let sim = 0;
        let shared = 0;
        for (let y = vOff[p] ?? 0, ye = vOff[p + 1] ?? 0; y < ye; y++) {
          const d = dense[vIds[y] ?? 0] ?? 0;
          if (d !== 0) {
            sim += (vW[y] ?? 0) * d;
            shared++;
          }
        }
        // One shared word is a coincidence, not a shared request.
        if (sim >= o.edgeFloor && shared >= o.minSharedTerms && found < cap) {
          candRank[found] = p;
          candSim[found] = sim;
          found++;
        }
      }
    }
    for (let k = start; k < end; k++) dense[vIds[k] ?? 0] = 0;
    // The strongest `neighbours` candidates; ties go to the earlier input item.
    for (let picked = 0; picked < o.neighbours && picked < found; picked++) {
      let best = picked;
      for (let c = picked + 1; c < found; c++) {
        const sc = candSim[c] ?? 0;
        const sb = candSim[best] ?? 0;
        if (sc > sb || (sc === sb && (order[candRank[c] ?? 0] ?? 0) < (order[candRank[best] ?? 0] ?? 0))) best = c;
      }
      const j = order[candRank[best] ?? 0] ?? 0;
      const sim = candSim[best] ?? 0;
      candRank[best] = candRank[picked] ?? 0;
      candSim[best] = candSim[picked] ?? 0;
      edges[item]?.set(j, sim);
      edges[j]?.set(item, sim);
    }
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
    if (sim >= options.mergeThreshold) heap.push(sim, x, y, (stamp[x] ?? 0) + (stamp[y] ?? 0));
  };
  adjacency.forEach((edges, a) => {
    for (const [b, w] of edges) if (a < b) offer(a, b, w);
  });
  while (heap.pop()) {
    const a = heap.topA;
    const b = heap.topB;
    // Stale: one side merged since this entry was offered.
    if (parent[a] !== a || parent[b] !== b || heap.topStamp !== (stamp[a] ?? 0) + (stamp[b] ?? 0)) continue;
    // The survivor is the lower index (the older item); the other's edges are re-pointed at it.
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
