import type { OctokitLike } from "./api.js";

/**
 * Reading a repository's files through the contents API (reads only; writes
 * go through the publish layer). A missing file is null, not an error.
 */
export interface RepoRef {
  owner: string;
  repo: string;
}

const isNotFound = (e: unknown): boolean => typeof e === "object" && e !== null && "status" in e && e.status === 404;

/** The UTF-8 text of a file at `ref` (default branch when omitted), or null when absent or not a file. */
export const readRepoFile = async (octokit: OctokitLike, o: RepoRef, path: string, ref?: string): Promise<string | null> => {
  try {
    const res = await octokit.rest.repos.getContent({ owner: o.owner, repo: o.repo, path, ...(ref === undefined ? {} : { ref }) });
    const data = res.data;
    // A symlink comes back as its target's content under the target's path: not a file to rewrite.
    if (Array.isArray(data) || data.type !== "file" || !("content" in data) || data.path !== path) return null;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
};

/**
 * The repository's default branch and the names at its root (one level, from
 * the git tree: the contents API documents no root listing). An empty
 * repository has no tree: [] then.
 */
export const listRepoRoot = async (octokit: OctokitLike, o: RepoRef): Promise<{ defaultBranch: string; names: string[]; hasIssues: boolean; symlinks: string[] }> => {
  const repo = await octokit.rest.repos.get({ owner: o.owner, repo: o.repo });
  const defaultBranch = repo.data.default_branch;
  const hasIssues = repo.data.has_issues;
  try {
    const tree = await octokit.rest.git.getTree({ owner: o.owner, repo: o.repo, tree_sha: defaultBranch });
    return { defaultBranch, hasIssues, names: tree.data.tree.map((e) => e.path), symlinks: tree.data.tree.filter((e) => e.mode === "120000").map((e) => e.path) };
  } catch (e) {
    if (isNotFound(e) || (typeof e === "object" && e !== null && "status" in e && e.status === 409)) return { defaultBranch, hasIssues, names: [], symlinks: [] };
    throw e;
  }
};
