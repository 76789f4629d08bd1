import type { LearnComment } from "../../src/learn/types.js";

/** A review comment as the learning core sees it: a human's, on its own PR unless told otherwise. */
export const learnComment = (id: number, over: Partial<LearnComment> = {}): LearnComment => {
  const repo = over.repo ?? "acme/app";
  const pullNumber = over.pullNumber ?? id;
  return {
    id,
    repo,
    pullNumber,
    body: `comment ${String(id)}`,
    path: "src/app/service.py",
    diffHunk: null,
    span: 1,
    author: "reviewer",
    authorKind: "human",
    pullAuthor: "dev",
    createdAt: "2024-03-04T10:00:00.000Z",
    url: `https://github.com/${repo}/pull/${String(pullNumber)}#discussion_r${String(id)}`,
    inReplyTo: null,
    ...over,
  };
};
