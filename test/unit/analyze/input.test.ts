import { InputError, parseReviewComments } from "../../../src/analyze/input.js";
import type { LearnComment } from "../../../src/learn/types.js";
import { createActorClassifier } from "../../../src/signals/actor.js";
import { crcComments } from "../../helpers/fixtures.js";

const actors = createActorClassifier({ self: { appId: null, appSlug: null } });
const parse = (text: string): LearnComment[] => parseReviewComments(text, actors);

/** A REST review comment as `gh api repos/O/R/pulls/comments` prints it (the fields we read, plus some we ignore). */
const rest = (id: number, over: Record<string, unknown> = {}): Record<string, unknown> => ({
  id,
  node_id: `PRRC_${String(id)}`,
  pull_request_review_id: 900 + id,
  body: `Please rename this (${String(id)}).`,
  path: "src/app.py",
  diff_hunk: "@@ -1,2 +1,2 @@\n def f():\n-    x = 1\n+    y = 1",
  commit_id: "0".repeat(40),
  line: 2,
  original_line: 2,
  start_line: null,
  original_start_line: null,
  side: "RIGHT",
  user: { login: "alice", id: 11, type: "User", site_admin: false },
  author_association: "MEMBER",
  created_at: "2024-05-06T07:08:09Z",
  updated_at: "2024-05-07T00:00:00Z",
  html_url: `https://github.com/acme/app/pull/42#discussion_r${String(id)}`,
  pull_request_url: "https://api.github.com/repos/acme/app/pulls/42",
  in_reply_to_id: undefined,
  reactions: { total_count: 0 },
  _links: { self: { href: "x" } },
  ...over,
});

const expected = (id: number, over: Partial<LearnComment> = {}): LearnComment => ({
  id,
  repo: "acme/app",
  pullNumber: 42,
  body: `Please rename this (${String(id)}).`,
  path: "src/app.py",
  diffHunk: "@@ -1,2 +1,2 @@\n def f():\n-    x = 1\n+    y = 1",
  span: 1,
  author: "alice",
  authorKind: "human",
  pullAuthor: null,
  createdAt: "2024-05-06T07:08:09.000Z",
  url: `https://github.com/acme/app/pull/42#discussion_r${String(id)}`,
  inReplyTo: null,
  ...over,
});

const errorOf = (text: string): string => {
  try {
    parse(text);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error("expected an InputError");
};

describe("parseReviewComments", () => {
  it("reads a JSON array, mapping every field and ignoring unknown ones", () => {
    expect(parse(JSON.stringify([rest(1), rest(2, { in_reply_to_id: 1 })]))).toEqual([expected(1), expected(2, { inReplyTo: 1 })]);
  });

  it("reads JSON lines, skipping blank lines", () => {
    const text = `${JSON.stringify(rest(1))}\n\n${JSON.stringify(rest(2))}\n`;

    expect(parse(text)).toEqual([expected(1), expected(2)]);
  });

  it("reads JSON lines with CRLF line ends", () => {
    expect(parse(`${JSON.stringify(rest(1))}\r\n${JSON.stringify(rest(2))}\r\n`)).toEqual([expected(1), expected(2)]);
  });

  it("reads gh --paginate output: arrays concatenated with nothing, or whitespace, between", () => {
    const pages = [
      [rest(1), rest(2)],
      [rest(3)],
      [rest(4), rest(5)],
    ];
    const ids = [1, 2, 3, 4, 5];

    expect(parse(pages.map((p) => JSON.stringify(p)).join("")).map((c) => c.id)).toEqual(ids);
    expect(parse(pages.map((p) => JSON.stringify(p)).join("\n")).map((c) => c.id)).toEqual(ids);
    expect(parse(pages.map((p) => JSON.stringify(p, null, 2)).join("\n")).map((c) => c.id)).toEqual(ids);
  });

  it("reads a single object", () => {
    expect(parse(JSON.stringify(rest(1)))).toEqual([expected(1)]);
  });

  it("tolerates missing optional fields", () => {
    const minimal = { id: 7, created_at: "2024-05-06T07:08:09Z", pull_request_url: "https://api.github.com/repos/acme/app/pulls/42" };

    expect(parse(JSON.stringify([minimal]))).toEqual([
      {
        id: 7,
        repo: "acme/app",
        pullNumber: 42,
        body: "",
        path: null,
        diffHunk: null,
        span: 1,
        author: "ghost",
        authorKind: "human",
        pullAuthor: null,
        createdAt: "2024-05-06T07:08:09.000Z",
        url: null,
        inReplyTo: null,
      },
    ]);
  });

  it('reads a null body as empty, a null user as "ghost", and no diff_hunk as null', () => {
    const [c] = parse(JSON.stringify([rest(1, { body: null, user: null, diff_hunk: undefined, path: null })]));

    expect(c).toMatchObject({ body: "", author: "ghost", authorKind: "human", diffHunk: null, path: null });
  });

  it("takes the PR from html_url when pull_request_url is missing", () => {
    const [c] = parse(JSON.stringify([rest(1, { pull_request_url: undefined, html_url: "https://github.com/other/lib/pull/9#discussion_r1" })]));

    expect(c).toMatchObject({ repo: "other/lib", pullNumber: 9, url: "https://github.com/other/lib/pull/9#discussion_r1" });
  });

  it("prefers pull_request_url over html_url", () => {
    const [c] = parse(JSON.stringify([rest(1, { pull_request_url: "https://api.github.com/repos/acme/app/pulls/5", html_url: "https://github.com/x/y/pull/6#r" })]));

    expect(c).toMatchObject({ repo: "acme/app", pullNumber: 5 });
  });

  it("collapses duplicates by id, keeping the first", () => {
    const text = JSON.stringify([rest(1), rest(2), rest(1, { body: "later copy" })]) + JSON.stringify([rest(2, { body: "again" })]);

    expect(parse(text)).toEqual([expected(1), expected(2)]);
  });

  it("normalizes created_at to ISO 8601 UTC", () => {
    const [c] = parse(JSON.stringify([rest(1, { created_at: "2024-05-06T09:08:09+02:00" })]));

    expect(c?.createdAt).toBe("2024-05-06T07:08:09.000Z");
  });

  it("classifies a Bot user, a [bot] login and an AI agent", () => {
    const cs = parse(
      JSON.stringify([
        rest(1, { user: { login: "dependabot", type: "Bot", id: 1 } }),
        rest(2, { user: { login: "helper[bot]", type: "User", id: 2 } }),
        rest(3, { user: { login: "copilot-swe-agent[bot]", type: "Bot", id: 3 } }),
        rest(4, { user: { login: "bob" } }),
      ]),
    );

    expect(cs.map((c) => [c.author, c.authorKind])).toEqual([
      ["dependabot", "bot"],
      ["helper[bot]", "bot"],
      ["copilot-swe-agent[bot]", "agent"],
      ["bob", "human"],
    ]);
  });

  it("reads the span from start_line/line, falling back to the original lines", () => {
    const cs = parse(
      JSON.stringify([
        rest(1, { start_line: 10, line: 14 }),
        rest(2, { start_line: null, line: 14 }),
        rest(3, { start_line: null, line: null, original_start_line: 3, original_line: 5 }),
        rest(4, { start_line: 9, line: 3 }),
        rest(5, { start_line: 7, line: 7 }),
        rest(6, { line: undefined, original_line: undefined }),
      ]),
    );

    expect(cs.map((c) => c.span)).toEqual([5, 1, 3, 1, 1, 1]);
  });

  describe("errors name what is wrong and where", () => {
    it("an empty file", () => {
      expect(errorOf("")).toBe("the input is empty: expected a JSON array or JSON lines of review comments");
      expect(errorOf("  \n\t\n")).toBe("the input is empty: expected a JSON array or JSON lines of review comments");
    });

    it("input with no comments", () => {
      expect(errorOf("[]")).toBe("the input holds no review comments");
      expect(errorOf("[][]")).toBe("the input holds no review comments");
    });

    it("a line that is not JSON, by line number", () => {
      const text = `${JSON.stringify(rest(1))}\n\n{oops\n${JSON.stringify(rest(2))}`;

      expect(errorOf(text)).toMatch(/^line 3: not JSON \(.+\)\. Expected a JSON array or one review comment per line\.$/);
    });

    it("an array item without id, by its position in the array (1-based) and the array's line", () => {
      expect(errorOf(JSON.stringify([rest(1), { body: "x", created_at: "2024-01-01T00:00:00Z" }]))).toMatch(
        /^item 2 \(the array starting on line 1\): not a GitHub review comment \(id: .+\)/,
      );
    });

    it("an item without id on a later gh page, by its position in that page and the page's line", () => {
      expect(errorOf(JSON.stringify([rest(1), rest(2)]) + "\n" + JSON.stringify([{ body: "x" }]))).toMatch(
        /^item 1 \(the array starting on line 2\): not a GitHub review comment \(id: /,
      );
    });

    it("a JSON line without id, by line number", () => {
      expect(errorOf(`${JSON.stringify(rest(1))}\n${JSON.stringify({ body: "x" })}`)).toMatch(/^line 2: not a GitHub review comment \(id: /);
    });

    it("a bad created_at", () => {
      expect(errorOf(JSON.stringify([rest(1, { created_at: "yesterday" })]))).toBe(
        "item 1 (the array starting on line 1): not a GitHub review comment (created_at: not a date). Expected objects from `gh api repos/OWNER/REPO/pulls/comments`.",
      );
    });

    it("something that is not an object", () => {
      expect(errorOf("42")).toMatch(/^line 1: not a GitHub review comment \(/);
      expect(errorOf(JSON.stringify({ message: "Not Found", documentation_url: "https://docs.github.com" }))).toMatch(/^line 1: not a GitHub review comment \(id: /);
    });

    it("a comment with neither pull_request_url nor html_url", () => {
      expect(errorOf(JSON.stringify([rest(1), rest(5, { pull_request_url: undefined, html_url: null })]))).toBe(
        "item 2 (the array starting on line 1): comment 5 has neither pull_request_url nor html_url, so its PR is unknown",
      );
      expect(errorOf(`${JSON.stringify(rest(1))}\n${JSON.stringify(rest(5, { pull_request_url: undefined, html_url: undefined }))}`)).toBe(
        "line 2: comment 5 has neither pull_request_url nor html_url, so its PR is unknown",
      );
    });

    it("a comment whose URLs name no PR", () => {
      expect(errorOf(JSON.stringify([rest(5, { pull_request_url: "https://example.com/x", html_url: "https://example.com/y" })]))).toBe(
        "item 1 (the array starting on line 1): comment 5 has neither pull_request_url nor html_url, so its PR is unknown",
      );
    });
  });

  it("reads the real review-comment sample", () => {
    const raw = crcComments();
    const cs = parse(JSON.stringify(raw));

    expect(cs).toHaveLength(new Set(raw.map((c) => c.id)).size);
    const first = raw[0];
    const parsed = cs[0];
    expect(parsed?.id).toBe(first?.id);
    expect(parsed?.body).toBe(first?.body);
    expect(parsed?.url).toBe(first?.html_url);
    expect(`https://github.com/${parsed?.repo ?? ""}/pull/${String(parsed?.pullNumber)}`).toBe(first?.html_url.split("#")[0]);
    expect(cs.filter((c) => c.authorKind === "bot").map((c) => c.id)).toEqual(raw.filter((c) => c.user.type === "Bot").map((c) => c.id));
  });

  // Regression: brackets inside strings are not page boundaries.
  it("reads gh --paginate pages when a comment body contains ][", () => {
    const text = JSON.stringify([rest(1, { body: "Use `grid[i][j]` here." })]) + JSON.stringify([rest(2)]);

    expect(parse(text).map((c) => c.id)).toEqual([1, 2]);
  });

  // Regression: the error names the line where the JSON breaks, not where it starts.
  it("names the line where a pretty-printed array breaks", () => {
    const text = JSON.stringify([rest(1), rest(2)], null, 2).replace('"body": "Please rename this (2)."', '"body": "Please rename this (2).",');
    const line = text.split("\n").findIndex((l) => l.includes("rename this (2).\",")) + 1;

    expect(errorOf(text)).toMatch(new RegExp(`^line (${String(line)}|${String(line + 1)}):`));
  });
});
