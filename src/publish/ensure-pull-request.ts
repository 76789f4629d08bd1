import type { OctokitLike } from "../github/api.js";
import { readRepoFile } from "../github/files.js";

/**
 * Idempotent proposal PRs (the publish layer). The branch is a function of
 * the pattern (`review-reviewer/<patternId>`); the PR is found by that branch
 * and by its marker. Files are committed with the Git Data API (one tree, one
 * commit, one ref update per change, no clone, no working copy, and the
 * commit lands exactly on the branch we name), never on the default branch.
 * An open PR is updated in place; a closed one is left closed (a maintainer
 * said no; suppression is decided elsewhere); nothing is ever merged.
 */
export interface EnsurePullRequestInput {
  owner: string;
  repo: string;
  patternId: string;
  /** 1 for a pattern's first proposal; a later attempt (after a closed one) gets its own branch. */
  attempt?: number;
  marker: string;
  title: string;
  body: string;
  /** Full new contents per path. */
  files: { path: string; content: string }[];
  commitMessage: string;
  dryRun: boolean;
  /** false: leave the title and body as they are on GitHub (nothing new to say, and a maintainer may have edited them). */
  updateText?: boolean;
}

/** `foreign`: the branch or its PR is someone else's work; nothing was written. */
export type PullOutcome = "created" | "updated" | "unchanged" | "closed" | "foreign" | "dry-run-create" | "dry-run-update";

export interface PullResult {
  outcome: PullOutcome;
  number: number | null;
  branch: string;
}

export const proposalBranch = (patternId: string, attempt = 1): string => {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,80}$/.test(patternId)) throw new Error(`not a pattern id: ${patternId}`);
  if (!Number.isInteger(attempt) || attempt < 1 || attempt > 99) throw new Error(`not an attempt number: ${String(attempt)}`);
  return `review-reviewer/${patternId}${attempt > 1 ? `-attempt-${String(attempt)}` : ""}`;
};

/** Every commit the app makes names its pattern in a trailer: a branch whose head lacks it has someone else's work on it. */
export const commitTrailer = (patternId: string): string => `Review-Reviewer-Pattern: ${patternId}`;

const isNotFound = (e: unknown): boolean => typeof e === "object" && e !== null && "status" in e && e.status === 404;

/**
 * Commits `files` on top of `parentSha` (the default branch's head: the
 * proposal is always one commit on the current base) and points `branch` at
 * it, creating the branch or moving it. Moving is forced, and only ever
 * happens to a branch whose head is the app's own commit.
 */
const commitFiles = async (octokit: OctokitLike, input: EnsurePullRequestInput, parentSha: string, branch: string, create: boolean): Promise<void> => {
  const o = { owner: input.owner, repo: input.repo };
  const parent = await octokit.rest.git.getCommit({ ...o, commit_sha: parentSha });
  const tree = await octokit.rest.git.createTree({
    ...o,
    base_tree: parent.data.tree.sha,
    tree: input.files.map((f) => ({ path: f.path, mode: "100644" as const, type: "blob" as const, content: f.content })),
  });
  const message = `${input.commitMessage}\n\n${commitTrailer(input.patternId)}`;
  const commit = await octokit.rest.git.createCommit({ ...o, message, tree: tree.data.sha, parents: [parentSha] });
  if (create) await octokit.rest.git.createRef({ ...o, ref: `refs/heads/${branch}`, sha: commit.data.sha });
  else await octokit.rest.git.updateRef({ ...o, ref: `heads/${branch}`, sha: commit.data.sha, force: true });
};

/** Whether a commit is the app's own (its message carries the pattern's trailer). */
const isOwnCommit = async (octokit: OctokitLike, o: { owner: string; repo: string }, sha: string, patternId: string): Promise<boolean> => {
  const commit = await octokit.rest.git.getCommit({ ...o, commit_sha: sha });
  return commit.data.message.includes(commitTrailer(patternId));
};

export const ensurePullRequest = async (octokit: OctokitLike, input: EnsurePullRequestInput): Promise<PullResult> => {
  if (!input.body.startsWith(input.marker)) throw new Error("ensurePullRequest: the body must start with its marker");
  const o = { owner: input.owner, repo: input.repo };
  const branch = proposalBranch(input.patternId, input.attempt);
  const repo = await octokit.rest.repos.get(o);
  const base = repo.data.default_branch;
  if (branch === base) throw new Error("refusing to write to the default branch");

  const pulls = await octokit.rest.pulls.list({ ...o, state: "all", head: `${input.owner}:${branch}`, per_page: 10 });
  // Only the app's own PR counts (its body starts with the marker); someone else's PR from this branch is left alone.
  const pull = pulls.data.find((p) => (p.body ?? "").startsWith(input.marker));
  if (pull === undefined && pulls.data.length > 0) return { outcome: "foreign", number: pulls.data[0]?.number ?? null, branch };
  if (pull !== undefined && pull.state !== "open") return { outcome: "closed", number: pull.number, branch };

  if (pull === undefined) {
    if (input.dryRun) return { outcome: "dry-run-create", number: null, branch };
    // A branch left by an interrupted run (created, but no PR yet) is reused if it is the app's alone.
    let existing: string | null = null;
    try {
      existing = (await octokit.rest.git.getRef({ ...o, ref: `heads/${branch}` })).data.object.sha;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (existing !== null && !(await isOwnCommit(octokit, o, existing, input.patternId))) return { outcome: "foreign", number: null, branch };
    const head = await octokit.rest.git.getRef({ ...o, ref: `heads/${base}` });
    await commitFiles(octokit, input, head.data.object.sha, branch, existing === null);
    const created = await octokit.rest.pulls.create({ ...o, title: input.title, body: input.body, head: branch, base, maintainer_can_modify: true });
    return { outcome: "created", number: created.data.number, branch };
  }

  // Open: commit only when a file differs, edit only what changed.
  const stale: string[] = [];
  for (const f of input.files) if ((await readRepoFile(octokit, o, f.path, branch)) !== f.content) stale.push(f.path);
  const textChanged = input.updateText !== false && (pull.title !== input.title || (pull.body ?? "") !== input.body);
  if (stale.length === 0 && !textChanged) return { outcome: "unchanged", number: pull.number, branch };
  // A maintainer's commit on the branch is theirs to keep: the files are not touched again.
  const ownBranch = stale.length === 0 || (await isOwnCommit(octokit, o, pull.head.sha, input.patternId));
  if (!ownBranch && !textChanged) return { outcome: "unchanged", number: pull.number, branch };
  if (input.dryRun) return { outcome: "dry-run-update", number: pull.number, branch };
  if (stale.length > 0 && ownBranch) {
    // Rebuilt as one commit on the current default branch, so the PR shows only the proposal.
    const head = await octokit.rest.git.getRef({ ...o, ref: `heads/${base}` });
    await commitFiles(octokit, input, head.data.object.sha, branch, false);
  }
  if (textChanged) {
    await octokit.rest.pulls.update({
      ...o,
      pull_number: pull.number,
      ...(pull.title === input.title ? {} : { title: input.title }),
      ...((pull.body ?? "") === input.body ? {} : { body: input.body }),
    });
  }
  return { outcome: "updated", number: pull.number, branch };
};
