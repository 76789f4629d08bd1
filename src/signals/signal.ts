import { z } from "zod";

/**
 * A signal is one recorded fact about human review activity, keyed by the
 * GitHub object it came from. Every signal is validated against these schemas
 * before it reaches a store, and again when a store reads it back.
 */

const isoDate = z.iso.datetime({ offset: true });

export const ACTOR_KINDS = ["human", "bot", "agent", "self"] as const;
export const ActorKindSchema = z.enum(ACTOR_KINDS);
export type ActorKind = z.infer<typeof ActorKindSchema>;

export const ActorSchema = z.object({
  login: z.string().min(1),
  id: z.number().int().nullable(),
  /** GitHub's account type: User, Bot, Organization, Mannequin. */
  type: z.string(),
  /** Who wrote it, as classified at recording time (see signals/actor.ts). */
  kind: ActorKindSchema,
});
export type Actor = z.infer<typeof ActorSchema>;

const base = {
  key: z.string().min(1),
  repo: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
  repoId: z.number().int(),
  installationId: z.number().int().nullable(),
  pullNumber: z.number().int().positive(),
  /** The delivery that last changed this signal. */
  deliveryId: z.string().min(1),
  /** When this app received that delivery. */
  receivedAt: isoDate,
};

export const TruncationSchema = z.object({
  body: z.boolean(),
  diffHunk: z.boolean(),
});

export const ReviewCommentSignalSchema = z.object({
  kind: z.literal("review_comment"),
  ...base,
  id: z.number().int(),
  nodeId: z.string().nullable(),
  reviewId: z.number().int().nullable(),
  path: z.string(),
  subjectType: z.enum(["line", "file"]).nullable(),
  line: z.number().int().nullable(),
  originalLine: z.number().int().nullable(),
  startLine: z.number().int().nullable(),
  originalStartLine: z.number().int().nullable(),
  side: z.enum(["LEFT", "RIGHT"]).nullable(),
  /** Null once the commented lines changed ("outdated"). */
  position: z.number().int().nullable(),
  originalPosition: z.number().int().nullable(),
  commitId: z.string(),
  originalCommitId: z.string(),
  diffHunk: z.string(),
  body: z.string(),
  author: ActorSchema,
  authorAssociation: z.string(),
  inReplyToId: z.number().int().nullable(),
  pullAuthor: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  htmlUrl: z.string(),
  truncated: TruncationSchema,
});
export type ReviewCommentSignal = z.infer<typeof ReviewCommentSignalSchema>;

export const REVIEW_STATES = ["approved", "changes_requested", "commented", "dismissed", "pending"] as const;
export const ReviewStateSchema = z.enum(REVIEW_STATES);

export const ReviewSignalSchema = z.object({
  kind: z.literal("review"),
  ...base,
  id: z.number().int(),
  nodeId: z.string().nullable(),
  /** The current state: `dismissed` after a dismissal. */
  state: ReviewStateSchema,
  /** The state the reviewer submitted, kept after a dismissal; null if never seen. */
  submittedState: ReviewStateSchema.nullable(),
  dismissed: z.boolean(),
  body: z.string(),
  reviewer: ActorSchema,
  authorAssociation: z.string(),
  commitId: z.string().nullable(),
  submittedAt: isoDate.nullable(),
  pullAuthor: z.string().nullable(),
  htmlUrl: z.string(),
  truncated: TruncationSchema,
});
export type ReviewSignal = z.infer<typeof ReviewSignalSchema>;

export const ThreadEventSchema = z.object({
  resolved: z.boolean(),
  by: ActorSchema,
  at: isoDate,
});

export const ReviewThreadSignalSchema = z.object({
  kind: z.literal("review_thread"),
  ...base,
  nodeId: z.string().min(1),
  resolved: z.boolean(),
  /** Who resolved it; null while unresolved. */
  resolvedBy: ActorSchema.nullable(),
  commentIds: z.array(z.number().int()),
  path: z.string().nullable(),
  line: z.number().int().nullable(),
  /** Every resolve/unresolve seen, oldest first. */
  events: z.array(ThreadEventSchema),
});
export type ReviewThreadSignal = z.infer<typeof ReviewThreadSignalSchema>;

export const ConversationCommentSignalSchema = z.object({
  kind: z.literal("conversation_comment"),
  ...base,
  id: z.number().int(),
  nodeId: z.string().nullable(),
  body: z.string(),
  author: ActorSchema,
  authorAssociation: z.string(),
  pullAuthor: z.string().nullable(),
  createdAt: isoDate,
  updatedAt: isoDate,
  htmlUrl: z.string(),
  truncated: TruncationSchema,
});
export type ConversationCommentSignal = z.infer<typeof ConversationCommentSignalSchema>;

export const HeadShaSchema = z.object({ sha: z.string().min(1), at: isoDate });

export const PullRequestSignalSchema = z.object({
  kind: z.literal("pull_request"),
  ...base,
  id: z.number().int(),
  nodeId: z.string().nullable(),
  title: z.string(),
  author: ActorSchema,
  authorAssociation: z.string(),
  state: z.enum(["open", "closed"]),
  draft: z.boolean(),
  merged: z.boolean(),
  mergeCommitSha: z.string().nullable(),
  mergedBy: z.string().nullable(),
  baseRef: z.string(),
  headRef: z.string(),
  headSha: z.string(),
  /** Every head SHA seen (opened, synchronize, …), oldest first. */
  headShas: z.array(HeadShaSchema),
  additions: z.number().int().nullable(),
  deletions: z.number().int().nullable(),
  changedFiles: z.number().int().nullable(),
  commits: z.number().int().nullable(),
  labels: z.array(z.string()),
  createdAt: isoDate,
  updatedAt: isoDate,
  closedAt: isoDate.nullable(),
  mergedAt: isoDate.nullable(),
  htmlUrl: z.string(),
});
export type PullRequestSignal = z.infer<typeof PullRequestSignalSchema>;

/** Derived from a review comment: did the author change the commented code? */
export const CorrectionSignalSchema = z.object({
  kind: z.literal("correction"),
  ...base,
  commentId: z.number().int(),
  commentKey: z.string(),
  path: z.string(),
  /** addressed: the commented code changed (or the suggestion was applied); not_addressed: unchanged at head. */
  status: z.enum(["addressed", "not_addressed", "unknown"]),
  outdated: z.boolean(),
  /** The commented code, from the hunk. */
  before: z.string(),
  /** The same region at `afterCommit`, when it could be located. */
  after: z.string().nullable(),
  afterCommit: z.string().nullable(),
  suggestion: z.string().nullable(),
  suggestionApplied: z.boolean().nullable(),
  threadResolved: z.boolean().nullable(),
  resolvedBy: z.string().nullable(),
  reviewer: ActorSchema,
  /** Why the status was concluded, in words. */
  evidence: z.array(z.string()),
});
export type CorrectionSignal = z.infer<typeof CorrectionSignalSchema>;

/** Derived per PR: preference (first-time approval, rounds) and outcome (merged, reverted, CI). */
export const PullOutcomeSignalSchema = z.object({
  kind: z.literal("pr_outcome"),
  ...base,
  pullId: z.number().int(),
  authorKind: ActorKindSchema,
  /** The first human review approved and no review ever requested changes; null before any review. */
  approvedFirstReview: z.boolean().nullable(),
  /** Distinct head commits that received a human review. */
  reviewRounds: z.number().int().nonnegative(),
  changesRequested: z.number().int().nonnegative(),
  firstReviewAt: isoDate.nullable(),
  hoursToFirstReview: z.number().nullable(),
  hoursToMerge: z.number().nullable(),
  state: z.enum(["open", "merged", "closed_unmerged"]),
  reverted: z.boolean(),
  /** The PR or commit that reverted it. */
  revertedBy: z.string().nullable(),
  /** Conclusion of the head commit's CI (check suites), when known. */
  ciConclusion: z.string().nullable(),
  /** Commit SHAs this PR's own commits revert ("This reverts commit …"). */
  revertsCommits: z.array(z.string()),
});
export type PullOutcomeSignal = z.infer<typeof PullOutcomeSignalSchema>;

/** A completed check suite on a PR's head commit (CI outcome). */
export const CheckSuiteSignalSchema = z.object({
  kind: z.literal("check_suite"),
  ...base,
  id: z.number().int(),
  headSha: z.string(),
  app: z.string().nullable(),
  status: z.string().nullable(),
  conclusion: z.string().nullable(),
  pullNumbers: z.array(z.number().int()),
  updatedAt: isoDate,
});
export type CheckSuiteSignal = z.infer<typeof CheckSuiteSignalSchema>;

export const SignalSchema = z.discriminatedUnion("kind", [
  CorrectionSignalSchema,
  PullOutcomeSignalSchema,
  CheckSuiteSignalSchema,
  ReviewCommentSignalSchema,
  ReviewSignalSchema,
  ReviewThreadSignalSchema,
  ConversationCommentSignalSchema,
  PullRequestSignalSchema,
]);
export type Signal = z.infer<typeof SignalSchema>;
export type SignalKind = Signal["kind"];
export const SIGNAL_KINDS = [
  "review_comment",
  "review",
  "review_thread",
  "conversation_comment",
  "pull_request",
  "correction",
  "pr_outcome",
  "check_suite",
] as const satisfies readonly SignalKind[];

/** The store key of a signal: one key per GitHub object. */
export const signalKey = (kind: SignalKind, objectId: number | string): string => `${kind}:${String(objectId)}`;

/** Human feedback is what a person wrote; bots, agents and this app never count. */
export const isHumanFeedback = (signal: Signal): boolean => {
  switch (signal.kind) {
    case "review_comment":
    case "conversation_comment":
      return signal.author.kind === "human";
    case "review":
      return signal.reviewer.kind === "human";
    case "review_thread":
    case "pull_request":
    case "correction":
    case "pr_outcome":
    case "check_suite":
      return false;
  }
};
