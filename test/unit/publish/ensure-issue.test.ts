import nock from "nock";
import { createOctokit } from "../../../src/github/api.js";
import { ensureComment, ensureIssue } from "../../../src/publish/ensure-issue.js";

const API = "https://api.github.com";

// Every request these tests answer must exist in GitHub's OpenAPI description: test/helpers/setup-nock.ts checks each one.
const api = (): nock.Scope => nock(API);

const BOT = "review-reviewer[bot]";
const MARKER = "<!-- review-reviewer:pattern:p-0123456789ab -->";
const BODY = `${MARKER}\n## Process Observation: Split large PRs\n### Pattern Detected\n7 comments.`;

const octokit = (): ReturnType<typeof createOctokit> => createOctokit({ token: "ghs_test", retries: 0, writeSpacingMs: 0 });

const issue = (number: number, body: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  number,
  title: "Process Observation: Split large PRs",
  body,
  state: "open",
  user: { login: BOT },
  ...extra,
});

const listed = (items: unknown[]): nock.Scope =>
  api().get("/repos/acme/app/issues").query({ state: "all", creator: BOT, per_page: "100" }).reply(200, items);

const input = { owner: "acme", repo: "app", marker: MARKER, title: "Process Observation: Split large PRs", body: BODY, labels: ["review-reviewer"], author: BOT, dryRun: false };

describe("ensureIssue", () => {
  it("creates the issue when none carries the marker (a PR with it does not count)", async () => {
    listed([issue(3, "something else"), issue(4, BODY, { pull_request: { url: "x" } })]);
    api()
      .post("/repos/acme/app/issues", { title: input.title, body: BODY, labels: ["review-reviewer"] })
      .reply(201, issue(9, BODY));

    expect(await ensureIssue(octokit(), input)).toEqual({ outcome: "created", number: 9 });
  });

  it("writes nothing when the marked issue already says the same", async () => {
    listed([issue(9, BODY)]);
    expect(await ensureIssue(octokit(), input)).toEqual({ outcome: "unchanged", number: 9 });
  });

  it("updates only what changed, also on a closed issue, without reopening it", async () => {
    listed([issue(9, `${MARKER}\nold evidence`, { state: "closed" })]);
    api().patch("/repos/acme/app/issues/9", { body: BODY }).reply(200, issue(9, BODY, { state: "closed" }));

    expect(await ensureIssue(octokit(), input)).toEqual({ outcome: "updated", number: 9 });
  });

  it("finds the marker on a later page", async () => {
    api()
      .get("/repos/acme/app/issues")
      .query({ state: "all", creator: BOT, per_page: "100" })
      .reply(200, [issue(1, "x")], { link: `<${API}/repositories/1/issues?state=all&creator=${encodeURIComponent(BOT)}&per_page=100&page=2>; rel="next"` });
    api().get("/repositories/1/issues").query({ state: "all", creator: BOT, per_page: "100", page: "2" }).reply(200, [issue(9, BODY)]);

    expect(await ensureIssue(octokit(), input)).toEqual({ outcome: "unchanged", number: 9 });
  });

  it("plans without writing on a dry run, and refuses a body without its marker", async () => {
    listed([]);
    expect(await ensureIssue(octokit(), { ...input, dryRun: true })).toEqual({ outcome: "dry-run-create", number: null });
    await expect(ensureIssue(octokit(), { ...input, body: "no marker" })).rejects.toThrow(/marker/);
  });
});

describe("ensureComment", () => {
  const comments = (items: unknown[]): nock.Scope => api().get("/repos/acme/app/issues/5/comments").query({ per_page: "100" }).reply(200, items);
  const commentInput = { owner: "acme", repo: "app", issueNumber: 5, marker: MARKER, body: `${MARKER}\n-80% since merged`, author: BOT, dryRun: false };

  it("comments once, then edits its own comment in place, and leaves others' comments with the marker alone", async () => {
    comments([{ id: 70, body: `${MARKER} quoted by a human`, user: { login: "octocat" } }]);
    api().post("/repos/acme/app/issues/5/comments", { body: commentInput.body }).reply(201, { id: 71, body: commentInput.body, user: { login: BOT } });
    expect(await ensureComment(octokit(), commentInput)).toEqual({ outcome: "created", number: 71 });

    comments([{ id: 71, body: commentInput.body, user: { login: BOT } }]);
    expect(await ensureComment(octokit(), commentInput)).toEqual({ outcome: "unchanged", number: 71 });

    comments([{ id: 71, body: `${MARKER}\n-50% since merged`, user: { login: BOT } }]);
    api().patch("/repos/acme/app/issues/comments/71", { body: commentInput.body }).reply(200, { id: 71 });
    expect(await ensureComment(octokit(), commentInput)).toEqual({ outcome: "updated", number: 71 });
  });
});
