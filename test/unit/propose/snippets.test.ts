import { patternSnippets } from "../../../src/propose/snippets.js";
import { learnComment } from "../../helpers/learn.js";

describe("patternSnippets", () => {
  it("takes each comment's commented lines from its hunk, and the fixed code where a correction located it", () => {
    const hunk = "@@ -1,4 +1,5 @@\n import os\n-old = 1\n+import sys\n+console.log(x)\n+console.log(y)";
    const comments = new Map([
      [1, learnComment(1, { path: "a.js", diffHunk: hunk, span: 2 })],
      [2, learnComment(2, { path: "b.js", diffHunk: hunk, span: 1 })],
      [3, learnComment(3, { path: null, diffHunk: null })],
      [4, learnComment(4, { path: "c.js", diffHunk: "" })],
    ]);
    const fixed = new Map([
      [1, { path: "a.js", after: "logger.debug(x)" }],
      [2, { path: "b.js", after: null }],
    ]);
    const cluster = { commentIds: [1, 2, 3, 4, 5] };

    expect(patternSnippets(cluster, comments, fixed)).toEqual({
      before: [
        { path: "a.js", code: "console.log(x)\nconsole.log(y)" },
        { path: "b.js", code: "console.log(y)" },
      ],
      after: [{ path: "a.js", code: "logger.debug(x)" }],
    });
  });
});
