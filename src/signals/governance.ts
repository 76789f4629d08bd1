import { DAY_MS } from "../shared/clock.js";
import type { Signal } from "./signal.js";
import type { SignalOp } from "../store/store.js";

/**
 * Data governance, pure: which stored signals to delete for a repo's
 * opt-out (`harvest: false`), its retention period, or a `forget` command.
 */


/** When something last happened on a signal's PR (derived signals do not count). */
const activityOf = (s: Signal): string | null => {
  switch (s.kind) {
    case "review_comment":
    case "conversation_comment":
    case "pull_request":
    case "check_suite":
      return s.updatedAt;
    case "review":
      return s.submittedAt;
    case "review_thread":
      return s.events.at(-1)?.at ?? null;
    case "correction":
    case "pr_outcome":
      return null;
  }
};

export interface RepoPolicy {
  harvest: boolean;
  retentionDays: number;
}

/**
 * Opt-out deletes everything of the repo. Retention deletes whole PRs whose
 * last activity is older than the cutoff, so no thread is left half-kept.
 * Neither leaves a tombstone: re-enabling harvest may legitimately refill.
 */
export const purgeOps = (signals: readonly Signal[], repo: string, policy: RepoPolicy, now: Date): SignalOp[] => {
  const mine = signals.filter((s) => s.repo.toLowerCase() === repo.toLowerCase());
  const at = now.toISOString();
  const del = (s: Signal): SignalOp => ({ op: "delete", key: s.key, at, tombstone: false });
  if (!policy.harvest) return mine.map(del);
  if (policy.retentionDays <= 0) return [];
  const cutoff = new Date(now.getTime() - policy.retentionDays * DAY_MS).toISOString();
  const lastActivity = new Map<number, string>();
  for (const s of mine) {
    const t = activityOf(s);
    if (t === null) continue;
    const prev = lastActivity.get(s.pullNumber);
    if (prev === undefined || t > prev) lastActivity.set(s.pullNumber, t);
  }
  return mine.filter((s) => {
    const last = lastActivity.get(s.pullNumber);
    return last !== undefined && last < cutoff;
  }).map(del);
};

/** `/review-reviewer forget` as a whole comment, any case, surrounding blank space allowed. */
export const isForgetCommand = (body: string): boolean => /^\s*\/review-reviewer\s+forget\s*$/i.test(body);

/** `/review-reviewer ignore` on one of the app's proposals: the pattern is never proposed again. */
export const isIgnoreCommand = (body: string): boolean => /^\s*\/review-reviewer\s+ignore\s*$/i.test(body);

/**
 * Everything recorded about one review thread: its comments (the root and
 * every reply, the command included), the thread, and derived corrections.
 * Tombstoned, so neither a redelivery nor a backfill brings it back.
 */
export const forgetThreadOps = (signals: readonly Signal[], repo: string, rootCommentId: number, now: Date): SignalOp[] => {
  const at = now.toISOString();
  const keys = new Set<string>();
  for (const s of signals) {
    if (s.repo.toLowerCase() !== repo.toLowerCase()) continue;
    if (s.kind === "review_comment" && (s.id === rootCommentId || s.inReplyToId === rootCommentId)) keys.add(s.key);
    if (s.kind === "review_thread" && s.commentIds.includes(rootCommentId)) keys.add(s.key);
    if (s.kind === "correction" && s.commentId === rootCommentId) keys.add(s.key);
  }
  keys.add(`review_comment:${String(rootCommentId)}`);
  keys.add(`correction:${String(rootCommentId)}`);
  return [...keys].sort().map((key) => ({ op: "delete", key, at }));
};
