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
    if (Array.isArray(data) || data.type !== "file" || !("content" in data)) return null;
    return Buffer.from(data.content, "base64").toString("utf8");
  } catch (e) {
    if (isNotFound(e)) return null;
    throw e;
  }
};

/** The names in a directory (the root when `path` is ""), or [] when it does not exist. */
export const listRepoDir = async (octokit: OctokitLike, o: RepoRef, path: string, ref?: string): Promise<string[]> => {
  try {
    const res = await octokit.rest.repos.getContent({ owner: o.owner, repo: o.repo, path, ...(ref === undefined ? {} : { ref }) });
    return Array.isArray(res.data) ? res.data.map((e) => e.name) : [];
  } catch (e) {
    if (isNotFound(e)) return [];
    throw e;
  }
};
