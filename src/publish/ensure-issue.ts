import type { OctokitLike } from "../github/api.js";

/**
 * Idempotent issue and comment writes (the publish layer). Each finds the
 * app's own earlier object by a hidden marker in its body and writes only
 * the difference: nothing when title and body already match, one update
 * when they do not, one creation when there is none. A closed issue with the
 * marker is found too and is updated, never duplicated; it is not reopened
 * (a maintainer closed it).
 */
export type EnsureOutcome = "created" | "updated" | "unchanged" | "dry-run-create" | "dry-run-update";

export interface EnsureIssueInput {
  owner: string;
  repo: string;
  /** The hidden marker, e.g. `<!-- review-reviewer:pattern:p-… -->`; the body must contain it. */
  marker: string;
  title: string;
  body: string;
  labels?: string[];
  /** Set the issue to this state when it differs (the config issue is reopened and closed); by default the state is left alone. */
  state?: "open" | "closed";
  /** The app's bot login (`<slug>[bot]`): only its own issues are candidates. */
  author: string;
  dryRun: boolean;
  /** false: leave the title and body as they are on GitHub (nothing new to say; a maintainer may have edited them). */
  updateText?: boolean;
}

export interface EnsureResult {
  outcome: EnsureOutcome;
  number: number | null;
}

/** Pages of the issues (and PRs) the app created in a repository, open or closed: where its markers are looked for. */
export const ownIssuePages = (octokit: OctokitLike, target: { owner: string; repo: string; author: string }) =>
  octokit.paginate.iterator(octokit.rest.issues.listForRepo, { owner: target.owner, repo: target.repo, state: "all", creator: target.author, per_page: 100 });

/** The app's earlier issue with this marker, open or closed (PRs excluded). */
export const findMarkedIssue = async (
  octokit: OctokitLike,
  target: { owner: string; repo: string; author: string; marker: string },
): Promise<{ number: number; title: string; body: string; state: string } | null> => {
  for await (const page of ownIssuePages(octokit, target)) {
    for (const issue of page.data) {
      if (issue.pull_request !== undefined) continue;
      const body = issue.body ?? "";
      // Only a leading marker counts: text quoted further down can never make another issue "ours".
      if (body.startsWith(target.marker)) return { number: issue.number, title: issue.title, body, state: issue.state };
    }
  }
  return null;
};

export const ensureIssue = async (octokit: OctokitLike, input: EnsureIssueInput): Promise<EnsureResult> => {
  if (!input.body.startsWith(input.marker)) throw new Error("ensureIssue: the body must start with its marker, or the next run could not find it");
  const existing = await findMarkedIssue(octokit, input);
  if (existing === null) {
    if (input.dryRun) return { outcome: "dry-run-create", number: null };
    const created = await octokit.rest.issues.create({
      owner: input.owner,
      repo: input.repo,
      title: input.title,
      body: input.body,
      ...(input.labels === undefined ? {} : { labels: input.labels }),
    });
    return { outcome: "created", number: created.data.number };
  }
  const stateChanged = input.state !== undefined && input.state !== existing.state;
  const textChanged = input.updateText !== false && (existing.title !== input.title || existing.body !== input.body);
  if (!textChanged && !stateChanged) return { outcome: "unchanged", number: existing.number };
  if (input.dryRun) return { outcome: "dry-run-update", number: existing.number };
  await octokit.rest.issues.update({
    owner: input.owner,
    repo: input.repo,
    issue_number: existing.number,
    ...(!textChanged || existing.title === input.title ? {} : { title: input.title }),
    ...(!textChanged || existing.body === input.body ? {} : { body: input.body }),
    ...(stateChanged ? { state: input.state } : {}),
  });
  return { outcome: "updated", number: existing.number };
};

export interface EnsureCommentInput {
  owner: string;
  repo: string;
  issueNumber: number;
  marker: string;
  body: string;
  author: string;
  dryRun: boolean;
  /** Say it once: an existing comment is left as it is. */
  once?: boolean;
}

/** One comment of the app's per marker on an issue or PR: created once, then edited in place. */
export const ensureComment = async (octokit: OctokitLike, input: EnsureCommentInput): Promise<EnsureResult> => {
  if (!input.body.includes(input.marker)) throw new Error("ensureComment: the body must carry its marker");
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner: input.owner,
    repo: input.repo,
    issue_number: input.issueNumber,
    per_page: 100,
  });
  const mine = comments.find((c) => c.user?.login === input.author && (c.body ?? "").includes(input.marker));
  if (mine === undefined) {
    if (input.dryRun) return { outcome: "dry-run-create", number: null };
    const created = await octokit.rest.issues.createComment({ owner: input.owner, repo: input.repo, issue_number: input.issueNumber, body: input.body });
    return { outcome: "created", number: created.data.id };
  }
  if (mine.body === input.body || input.once === true) return { outcome: "unchanged", number: mine.id };
  if (input.dryRun) return { outcome: "dry-run-update", number: mine.id };
  await octokit.rest.issues.updateComment({ owner: input.owner, repo: input.repo, comment_id: mine.id, body: input.body });
  return { outcome: "updated", number: mine.id };
};
