import type { Cluster, LearnComment } from "../learn/types.js";
import { commentedRegion } from "../signals/hunk.js";
import type { CodeSnippet } from "./would-flag.js";

/**
 * The code a pattern's comments were about (pure): the commented lines of
 * each comment's diff hunk, and, where a correction signal located it, the
 * same region after the fix. Comments without a hunk (file-level) give none.
 */
export interface FixedCode {
  path: string;
  after: string | null;
}

export const patternSnippets = (
  cluster: Pick<Cluster, "commentIds">,
  comments: ReadonlyMap<number, Pick<LearnComment, "path" | "diffHunk" | "span">>,
  fixed: ReadonlyMap<number, FixedCode> = new Map(),
): { before: CodeSnippet[]; after: CodeSnippet[] } => {
  const before: CodeSnippet[] = [];
  const after: CodeSnippet[] = [];
  for (const id of cluster.commentIds) {
    const c = comments.get(id);
    if (c?.path == null || c.diffHunk === null || c.diffHunk === "") continue;
    const code = commentedRegion(c.diffHunk, "RIGHT", c.span).lines.join("\n");
    if (code.trim() !== "") before.push({ path: c.path, code });
    const f = fixed.get(id);
    if (f?.after != null && f.after.trim() !== "") after.push({ path: f.path, code: f.after });
  }
  return { before, after };
};
