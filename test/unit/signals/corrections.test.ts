import { deriveCorrection, type CorrectionInput } from "../../../src/signals/corrections.js";
import { commentedRegion, locateRegion, suggestionBlocks } from "../../../src/signals/hunk.js";
import type { ReviewCommentSignal } from "../../../src/signals/signal.js";
import { crcComments } from "../../helpers/fixtures.js";
import { commentSignal } from "../../helpers/signals.js";

/** A real comment from the fixtures whose hunk ends in an added line. */
const realComment = (): ReviewCommentSignal => {
  const idx = crcComments().findIndex((c) => c.diff_hunk.split("\n").length > 5 && c.diff_hunk.split("\n").at(-1)?.startsWith("+") === true && !c.body.includes("```suggestion"));
  return commentSignal(idx);
};

/** The file as the hunk shows it (right side), optionally with its last line replaced. */
const fileFromHunk = (hunk: string, lastLine?: string): string => {
  const lines = hunk.split("\n").slice(1).filter((l) => !l.startsWith("-")).map((l) => l.slice(1));
  if (lastLine !== undefined) lines[lines.length - 1] = lastLine;
  return ["# header", ...lines, "# footer"].join("\n");
};

const input = (comment: ReviewCommentSignal, overrides: Partial<CorrectionInput> = {}): CorrectionInput => ({
  comment,
  fileAtHead: undefined,
  headSha: "f".repeat(40),
  commits: [],
  thread: undefined,
  deliveryId: "backfill:test",
  receivedAt: "2026-11-22T10:00:00.000Z",
  ...overrides,
});

describe("deriveCorrection", () => {
  it("marks an outdated comment whose lines changed as addressed, with before and after", () => {
    const base = realComment();
    const comment = { ...base, position: null, line: null };
    const lastBefore = base.diffHunk.split("\n").at(-1)?.slice(1) ?? "";

    const c = deriveCorrection(input(comment, { fileAtHead: fileFromHunk(base.diffHunk, "    fixed_by_author()") }));

    expect(c).toMatchObject({ status: "addressed", outdated: true, before: lastBefore, after: "    fixed_by_author()", afterCommit: "f".repeat(40) });
    expect(c.evidence).toContain("the commented lines differ at the head commit");
  });

  it("marks a comment GitHub still maps onto the head as not addressed", () => {
    const comment = { ...realComment(), position: 4 };

    const c = deriveCorrection(input(comment, { fileAtHead: fileFromHunk(comment.diffHunk) }));

    expect(c.status).toBe("not_addressed");
    expect(c.after).toBe(c.before);
  });

  it("detects an applied ```suggestion from the code at head", () => {
    const base = realComment();
    const comment = { ...base, position: null, line: null, body: "Use the helper:\n```suggestion\n    use_helper(x)\n```" };

    const c = deriveCorrection(input(comment, { fileAtHead: fileFromHunk(base.diffHunk, "    use_helper(x)") }));

    expect(c).toMatchObject({ status: "addressed", suggestion: "    use_helper(x)", suggestionApplied: true });
  });

  it("detects an applied suggestion from GitHub's commit message when the file was not read", () => {
    const base = realComment();
    const comment = { ...base, position: null, line: null, body: "```suggestion\nx = 1\n```" };
    const commits = [{ sha: "abc1234def", committedAt: "2099-01-01T00:00:00.000Z", message: "Apply suggestions from code review\n\nCo-authored-by: r" }];

    const c = deriveCorrection(input(comment, { commits }));

    expect(c).toMatchObject({ status: "addressed", suggestionApplied: true, after: null });
    expect(c.evidence.join(" ")).toContain('commit abc1234 "Apply suggestions from code review" follows the comment');
  });

  it("leaves an unapplied suggestion marked as such", () => {
    const comment = { ...realComment(), position: 3, body: "```suggestion\nnever_applied()\n```" };

    const c = deriveCorrection(input(comment, { fileAtHead: fileFromHunk(comment.diffHunk) }));

    expect(c).toMatchObject({ status: "not_addressed", suggestionApplied: false });
  });

  it("treats a file deleted by the author as addressed when GitHub says the lines changed", () => {
    const comment = { ...realComment(), position: null, line: null };

    expect(deriveCorrection(input(comment, { fileAtHead: null })).status).toBe("addressed");
  });

  it("says unknown when nothing shows what happened", () => {
    const comment = { ...realComment(), position: null, line: 12 };

    expect(deriveCorrection(input(comment)).status).toBe("unknown");
  });

  it("carries the thread's resolved state and resolver", () => {
    const comment = realComment();
    const thread = {
      kind: "review_thread" as const, key: "review_thread:T", repo: comment.repo, repoId: comment.repoId, installationId: null, pullNumber: comment.pullNumber,
      deliveryId: "d", receivedAt: "2026-11-22T10:00:00.000Z", nodeId: "T", resolved: true,
      resolvedBy: { login: "maintainer", id: 1, type: "User", kind: "human" as const }, commentIds: [comment.id], path: comment.path, line: 1, events: [],
    };

    expect(deriveCorrection(input(comment, { thread }))).toMatchObject({ threadResolved: true, resolvedBy: "maintainer" });
  });
});

describe("hunk reading", () => {
  const hunk = "@@ -10,6 +10,7 @@ def f():\n     a = 1\n     b = 2\n-    c = 3\n+    c = compute()\n+    d = c + 1\n     return d";

  it("takes a multi-line comment's lines from the end of the hunk, on its side", () => {
    expect(commentedRegion(hunk, "RIGHT", 2)).toEqual({ lines: ["    d = c + 1", "    return d"], contextAbove: ["    a = 1", "    b = 2", "    c = compute()"] });
    expect(commentedRegion(hunk, "LEFT", 1).lines).toEqual(["    return d"]);
  });

  it("finds the region near the original line when the context appears twice", () => {
    const file = ["    a = 1", "    b = 2", "    c = compute()", "    x", "", "    a = 1", "    b = 2", "    c = compute()", "    y"].join("\n");

    expect(locateRegion(file, { lines: ["?"], contextAbove: ["    a = 1", "    b = 2", "    c = compute()"] }, 9)).toEqual({ start: 8, lines: ["    y"] });
  });

  it("parses suggestion blocks, including an empty one that deletes lines", () => {
    expect(suggestionBlocks("nit\n```suggestion\nfoo()\nbar()\n```\nand\n```suggestion\n```")).toEqual([["foo()", "bar()"], []]);
    expect(suggestionBlocks("```python\nnot a suggestion\n```")).toEqual([]);
  });
});
