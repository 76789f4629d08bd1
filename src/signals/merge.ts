import type {
  CheckSuiteSignal,
  ConversationCommentSignal,
  PullRequestSignal,
  ReviewCommentSignal,
  ReviewSignal,
  ReviewThreadSignal,
  Signal,
} from "./signal.js";

/**
 * How a new observation of a GitHub object combines with what is stored.
 * Pure and deterministic, so every store backend, and a replay of a journal,
 * reach the same state. Webhooks can arrive out of order or twice: an older
 * observation never overwrites a newer one, and merging the same observation
 * twice is a no-op.
 */
export const mergeSignal = (prev: Signal | undefined, next: Signal): Signal => {
  if (prev === undefined) return next;
  if (prev.kind !== next.kind) return next;
  switch (next.kind) {
    case "review_comment":
      return mergeEdited(prev as ReviewCommentSignal, next);
    case "conversation_comment":
      return mergeEdited(prev as ConversationCommentSignal, next);
    case "review":
      return mergeReview(prev as ReviewSignal, next);
    case "review_thread":
      return mergeThread(prev as ReviewThreadSignal, next);
    case "pull_request":
      return mergePullRequest(prev as PullRequestSignal, next);
    case "check_suite":
      return next.updatedAt < (prev as CheckSuiteSignal).updatedAt ? prev : next;
    case "correction":
    case "pr_outcome":
      // Derived signals: the latest derivation wins.
      return next.receivedAt >= prev.receivedAt ? next : prev;
  }
};

/** Comments carry `updated_at`: the newest edit wins, the first creation time stays. */
const mergeEdited = <T extends ReviewCommentSignal | ConversationCommentSignal>(prev: T, next: T): T =>
  next.updatedAt < prev.updatedAt ? prev : { ...next, createdAt: minIso(prev.createdAt, next.createdAt) };

const minIso = (a: string, b: string): string => (a <= b ? a : b);

const mergeReview = (prev: ReviewSignal, next: ReviewSignal): ReviewSignal => {
  const dismissed = prev.dismissed || next.dismissed;
  const newer = next.receivedAt >= prev.receivedAt ? next : prev;
  return {
    ...newer,
    dismissed,
    state: dismissed ? "dismissed" : newer.state,
    submittedState: prev.submittedState ?? next.submittedState,
    submittedAt: prev.submittedAt ?? next.submittedAt,
  };
};

const mergeThread = (prev: ReviewThreadSignal, next: ReviewThreadSignal): ReviewThreadSignal => {
  const seen = new Set<string>();
  const events = [...prev.events, ...next.events]
    .filter((e) => {
      const id = `${e.at}|${String(e.resolved)}|${e.by.login}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const latest = events[events.length - 1];
  const newer = next.receivedAt >= prev.receivedAt ? next : prev;
  // A snapshot without events (a backfill) is authoritative when it is newer than every event.
  const snapshotWins = latest === undefined || (newer.events.length === 0 && newer.receivedAt > latest.at);
  return {
    ...newer,
    events,
    resolved: snapshotWins ? newer.resolved : latest.resolved,
    resolvedBy: snapshotWins ? newer.resolvedBy : latest.resolved ? latest.by : null,
    commentIds: [...new Set([...prev.commentIds, ...next.commentIds])].sort((a, b) => a - b),
  };
};

const mergePullRequest = (prev: PullRequestSignal, next: PullRequestSignal): PullRequestSignal => {
  const bySha = new Map<string, string>();
  for (const h of [...prev.headShas, ...next.headShas]) {
    const seenAt = bySha.get(h.sha);
    if (seenAt === undefined || h.at < seenAt) bySha.set(h.sha, h.at);
  }
  const headShas = [...bySha.entries()]
    .map(([sha, at]) => ({ sha, at }))
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.sha < b.sha ? -1 : 1));
  // An older observation keeps the newer fields but still contributes SHAs.
  const newer = next.updatedAt > prev.updatedAt || (next.updatedAt === prev.updatedAt && next.receivedAt >= prev.receivedAt) ? next : prev;
  return { ...newer, headShas, createdAt: minIso(prev.createdAt, next.createdAt) };
};
