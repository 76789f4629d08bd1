import { clusterItems, DEFAULT_CLUSTER_OPTIONS, type ClusterItem, type ClusterOptions, type ClusterResult } from "../../../src/learn/cluster.js";
import type { SparseVector } from "../../../src/learn/represent.js";

/** A unit vector from term id → raw weight. */
const vec = (weights: Record<number, number>): SparseVector => {
  const entries = Object.entries(weights)
    .map(([id, w]) => [Number(id), w] as const)
    .sort((a, b) => a[0] - b[0]);
  const n = Math.hypot(...entries.map(([, w]) => w));
  return { ids: Int32Array.from(entries.map(([id]) => id)), weights: Float32Array.from(entries.map(([, w]) => w / n)) };
};

/** Equal weights on the given term ids. */
const on = (...ids: number[]): SparseVector => vec(Object.fromEntries(ids.map((id) => [id, 1])));

const item = (vector: SparseVector, block = "acme/app|naming"): ClusterItem => ({ block, vector });

const options = (o: Partial<ClusterOptions>): ClusterOptions => ({ ...DEFAULT_CLUSTER_OPTIONS, ...o });

/** The clusters as sorted lists of item indexes (the result's own shape). */
const groups = (r: ClusterResult): number[][] => r.members;

/** A deterministic PRNG (Park–Miller), so large inputs are reproducible. */
const lehmer = (seed: number): (() => number) => {
  let s = seed;
  return () => {
    s = (s * 48271) % 2147483647;
    return s / 2147483647;
  };
};

describe("clusterItems", () => {
  it("joins near-duplicates and keeps unrelated items apart", () => {
    const items = [
      item(on(0, 1, 2, 3)), // 0: topic A
      item(on(10, 11, 12, 13)), // 1: topic B
      item(vec({ 0: 1, 1: 1, 2: 1, 3: 0.9 })), // 2: near-duplicate of 0
      item(on(20, 21, 22)), // 3: alone
      item(vec({ 10: 1, 11: 1, 12: 0.8, 13: 1 })), // 4: near-duplicate of 1
    ];

    const r = clusterItems(items, 30);

    expect(groups(r)).toEqual([[0, 2], [1, 4], [3]]);
    expect(Array.from(r.assignment)).toEqual([0, 1, 0, 2, 1]);
  });

  it("is deterministic: the same input twice gives the same output", () => {
    const rnd = lehmer(7);
    const items = Array.from({ length: 400 }, (_, i) => {
      const topic = i % 13;
      const w: Record<number, number> = {};
      for (let k = 0; k < 4; k++) w[topic * 8 + Math.floor(rnd() * 8)] = 0.5 + rnd();
      w[200 + Math.floor(rnd() * 50)] = rnd();
      return item(vec(w), i % 2 === 0 ? "even" : "odd");
    });

    const a = clusterItems(items, 300);
    const b = clusterItems(items, 300);

    expect(Array.from(b.assignment)).toEqual(Array.from(a.assignment));
    expect(b.members).toEqual(a.members);
    expect(a.members.some((m) => m.length > 1)).toBe(true);
  });

  it("returns a partition: members ascending, clusters ordered by first member, assignment consistent", () => {
    const items = [item(on(5, 6)), item(on(0, 1)), item(on(5, 6)), item(on(0, 1)), item(on(9, 8))];

    const r = clusterItems(items, 10);

    expect(r.members).toEqual([[0, 2], [1, 3], [4]]);
    r.members.forEach((m, k) => {
      for (const i of m) expect(r.assignment[i]).toBe(k);
    });
  });

  it("never puts items of different blocks in one cluster, even when identical", () => {
    const v = on(0, 1, 2);
    const items = [item(v, "a/x|naming"), item(v, "b/y|naming"), item(v, "a/x|testing"), item(v, "a/x|naming"), item(v, "b/y|naming")];

    const r = clusterItems(items, 3);

    expect(groups(r)).toEqual([[0, 3], [1, 4], [2]]);
  });

  it("requires minSharedTerms shared terms for an edge", () => {
    const oneShared = [item(on(0)), item(on(0))];
    const twoShared = [item(on(0, 1)), item(on(0, 1))];

    // Identical single-term vectors have similarity 1, but share just one term.
    expect(groups(clusterItems(oneShared, 2))).toEqual([[0], [1]]);
    expect(groups(clusterItems(oneShared, 2, options({ minSharedTerms: 1 })))).toEqual([[0, 1]]);
    expect(groups(clusterItems(twoShared, 2))).toEqual([[0, 1]]);
    expect(groups(clusterItems(twoShared, 2, options({ minSharedTerms: 3 })))).toEqual([[0], [1]]);
  });

  it("merges a pair at or above mergeThreshold and not just below it", () => {
    // Similarity 0.6·0.8 + 0.8·0.6 = 0.96.
    const items = [item(vec({ 0: 0.6, 1: 0.8 })), item(vec({ 0: 0.8, 1: 0.6 }))];

    expect(groups(clusterItems(items, 2, options({ mergeThreshold: 0.9599 })))).toEqual([[0, 1]]);
    expect(groups(clusterItems(items, 2, options({ mergeThreshold: 0.9601 })))).toEqual([[0], [1]]);
  });

  it("keeps edges below edgeFloor out even when mergeThreshold would allow them", () => {
    // Similarity ≈ 2 · 0.0499 · 0.707 ≈ 0.0705, on two shared terms.
    const items = [item(vec({ 0: 0.05, 1: 0.05, 2: 1 })), item(on(0, 1))];
    const r = (edgeFloor: number): number[][] => groups(clusterItems(items, 3, options({ mergeThreshold: 0.01, edgeFloor })));

    expect(r(0.08)).toEqual([[0], [1]]);
    expect(r(0.01)).toEqual([[0, 1]]);
  });

  it("uses average link: a missing edge counts as 0, so chains do not merge", () => {
    // A·B = B·C = 1/√2 ≈ 0.707, A·C = 0. After A+B merge, sim({A,B}, C) = 0.707 / 2 ≈ 0.354.
    const items = [item(on(0, 1, 2, 3)), item(on(0, 1, 2, 3, 4, 5, 6, 7)), item(on(4, 5, 6, 7))];

    expect(groups(clusterItems(items, 8, options({ mergeThreshold: 0.36 })))).toEqual([[0, 1], [2]]);
    expect(groups(clusterItems(items, 8, options({ mergeThreshold: 0.35 })))).toEqual([[0, 1, 2]]);
    expect(groups(clusterItems(items, 8, options({ mergeThreshold: 0.71 })))).toEqual([[0], [1], [2]]);
  });

  it("leaves items with empty vectors as singletons", () => {
    const empty: SparseVector = { ids: new Int32Array(), weights: new Float32Array() };
    const items = [item(empty), item(on(0, 1)), item(empty), item(on(0, 1))];

    expect(groups(clusterItems(items, 2))).toEqual([[0], [1, 3], [2]]);
  });

  it("handles no items", () => {
    const r = clusterItems([], 0);

    expect(r.members).toEqual([]);
    expect(r.assignment).toHaveLength(0);
  });

  it("clusters 20,000 items of one block, each cluster within one topic", () => {
    const rnd = lehmer(12345);
    const topics = 200;
    const termsPerTopic = 10;
    const noiseTerms = 1000;
    const topicOf: number[] = [];
    const items: ClusterItem[] = [];
    for (let i = 0; i < 20_000; i++) {
      const topic = Math.floor(rnd() * topics);
      const ids = new Set<number>();
      while (ids.size < 5) ids.add(topic * termsPerTopic + Math.floor(rnd() * termsPerTopic));
      // One noise term shared across topics: at most one shared term between topics, so no edge.
      ids.add(topics * termsPerTopic + Math.floor(rnd() * noiseTerms));
      items.push(item(on(...ids)));
      topicOf.push(topic);
    }

    const r = clusterItems(items, topics * termsPerTopic + noiseTerms);

    expect(r.assignment).toHaveLength(20_000);
    expect(r.members.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    const multi = r.members.filter((m) => m.length >= 2);
    expect(multi.length).toBeGreaterThanOrEqual(topics);
    expect(r.members.length).toBeLessThan(20_000 / 2);
    for (const m of r.members) expect(new Set(m.map((i) => topicOf[i])).size).toBe(1);
  });
});
