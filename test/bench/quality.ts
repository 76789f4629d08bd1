import type { Cluster } from "../../src/learn/types.js";

/**
 * Clustering quality against human labels (crc-py `_labels.subcategory`):
 * purity over clusters of at least three comments (member-weighted: the
 * share of their members carrying their cluster's dominant label), coverage
 * (the share of all comments inside such clusters) and leakage (the share of
 * recurring-pattern members labelled praise, question or false positive).
 */
export interface Quality {
  purity: number;
  coverage: number;
  leakage: number;
  clusters: number;
  clustered: number;
  recurring: number;
}

const NOT_ACTIONABLE = new Set(["praise", "question", "false positive"]);

export const measureQuality = (clusters: readonly Cluster[], labels: ReadonlyMap<number, string>, total: number): Quality => {
  let members = 0;
  let dominant = 0;
  let counted = 0;
  let leaked = 0;
  let recurringMembers = 0;
  for (const c of clusters) {
    if (c.recurring) {
      recurringMembers += c.commentIds.length;
      leaked += c.commentIds.filter((id) => NOT_ACTIONABLE.has(labels.get(id) ?? "")).length;
    }
    if (c.commentIds.length < 3) continue;
    counted++;
    const counts = new Map<string, number>();
    for (const id of c.commentIds) {
      const l = labels.get(id) ?? "?";
      counts.set(l, (counts.get(l) ?? 0) + 1);
    }
    members += c.commentIds.length;
    dominant += Math.max(...counts.values());
  }
  return {
    purity: members === 0 ? 0 : dominant / members,
    coverage: total === 0 ? 0 : members / total,
    leakage: recurringMembers === 0 ? 0 : leaked / recurringMembers,
    clusters: counted,
    clustered: members,
    recurring: clusters.filter((c) => c.recurring).length,
  };
};
