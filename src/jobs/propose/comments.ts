import type { Config } from "../../config/schema.js";
import type { Cluster, LearnComment } from "../../learn/types.js";
import { classifierForRepo, reclassifySignal } from "../../signals/reclassify.js";
import type { ReviewCommentSignal } from "../../signals/signal.js";
import type { ProposeDeps } from "./types.js";

/** A stored review comment as the learning core sees it. */
export const toLearnComment = (s: ReviewCommentSignal): LearnComment => {
  const line = s.line ?? s.originalLine;
  const start = s.startLine ?? s.originalStartLine;
  return {
    id: s.id,
    repo: s.repo,
    pullNumber: s.pullNumber,
    body: s.body,
    path: s.path,
    diffHunk: s.diffHunk,
    span: line !== null && start !== null && line >= start ? line - start + 1 : 1,
    author: s.author.login,
    authorKind: s.author.kind,
    pullAuthor: s.pullAuthor,
    createdAt: new Date(s.createdAt).toISOString(),
    url: s.htmlUrl,
    inReplyTo: s.inReplyToId,
  };
};


/**
 * Stored comments of the learning scope, with actor kinds re-derived from
 * the repo's `authors` config. Repository names match case-insensitively
 * (GitHub's do). `org` pools only the repositories of the same owner under
 * the same installation; `all` is for offline analysis and counts as `org`
 * here, so one installation never learns from another's reviews.
 */
export const loadComments = async (deps: ProposeDeps, config: Config, owner: string, full: string): Promise<{ comments: LearnComment[]; associations: Map<number, string> }> => {
  const classifier = classifierForRepo(config.authors, deps.self, deps.agentLogins ?? [], deps.botLogins ?? []);
  const ownerPrefix = `${owner.toLowerCase()}/`;
  const lower = full.toLowerCase();
  const all = await deps.store.list({ kind: "review_comment" });
  const installation = all.find((s) => s.repo.toLowerCase() === lower)?.installationId ?? null;
  const signals =
    config.learn.scope === "repo"
      ? all.filter((s) => s.repo.toLowerCase() === lower)
      : all.filter((s) => s.repo.toLowerCase().startsWith(ownerPrefix) && s.installationId === installation);
  const comments: LearnComment[] = [];
  const associations = new Map<number, string>();
  for (const s of signals) {
    const r = reclassifySignal(s, classifier);
    if (r.kind !== "review_comment") continue;
    comments.push(toLearnComment(r));
    associations.set(r.id, r.authorAssociation);
  }
  return { comments, associations };
};

/** Reviewers whose word counts alone: people with a role in the repository. */
export const TRUSTED_ASSOCIATIONS = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

/**
 * A pattern may become a proposal when someone with a role in the repository
 * is among its reviewers, or at least two people asked for it: one outsider
 * repeating a request on a public repository cannot steer its guidelines or
 * its agents' instructions on their own.
 */
export const trustedPattern = (c: Pick<Cluster, "commentIds" | "reviewers">, associations: ReadonlyMap<number, string>): boolean =>
  c.reviewers.length >= 2 || c.commentIds.some((id) => TRUSTED_ASSOCIATIONS.has(associations.get(id) ?? ""));

