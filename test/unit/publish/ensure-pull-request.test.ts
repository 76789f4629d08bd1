import nock from "nock";
import { createOctokit } from "../../../src/github/api.js";
import { commitTrailer, ensurePullRequest, proposalBranch } from "../../../src/publish/ensure-pull-request.js";

const API = "https://api.github.com";

// Every request these tests answer must exist in GitHub's OpenAPI description: test/helpers/setup-nock.ts checks each one.
const api = (): nock.Scope => nock(API);

const ID = "p-0123456789ab";
const MARKER = `<!-- review-reviewer:pattern:${ID} -->`;
const BRANCH = `review-reviewer/${ID}`;
const RUFF = '[tool.ruff.lint]\nextend-select = ["F401"]\n';

const MESSAGE = `Enable ruff F401 (unused imports)\n\n${commitTrailer(ID)}`;
const fileReply = (text: string): Record<string, unknown> => ({ type: "file", path: "pyproject.toml", encoding: "base64", content: Buffer.from(text).toString("base64") });
const branchRef = `/repos/acme/app/git/ref/${encodeURIComponent(`heads/${BRANCH}`)}`;
const newCommitOnMain = (create: boolean): void => {
  api().get("/repos/acme/app/git/ref/heads%2Fmain").reply(200, { object: { sha: "mainsha" } });
  api().get("/repos/acme/app/git/commits/mainsha").reply(200, { sha: "mainsha", tree: { sha: "maintree" } });
  api()
    .post("/repos/acme/app/git/trees", { base_tree: "maintree", tree: [{ path: "pyproject.toml", mode: "100644", type: "blob", content: RUFF }] })
    .reply(201, { sha: "newtree" });
  api().post("/repos/acme/app/git/commits", { message: MESSAGE, tree: "newtree", parents: ["mainsha"] }).reply(201, { sha: "newcommit" });
  if (create) api().post("/repos/acme/app/git/refs", { ref: `refs/heads/${BRANCH}`, sha: "newcommit" }).reply(201, {});
  else api().patch(`/repos/acme/app/git/refs/${encodeURIComponent(`heads/${BRANCH}`)}`, { sha: "newcommit", force: true }).reply(200, {});
};

const octokit = (): ReturnType<typeof createOctokit> => createOctokit({ token: "ghs_test", retries: 0, writeSpacingMs: 0 });

const input = {
  owner: "acme",
  repo: "app",
  patternId: ID,
  marker: MARKER,
  title: "Lint: Remove unused imports",
  body: `${MARKER}\nReviewers keep asking to remove unused imports.`,
  files: [{ path: "pyproject.toml", content: RUFF }],
  commitMessage: "Enable ruff F401 (unused imports)",
  dryRun: false,
};

const repoAndPulls = (pulls: unknown[]): void => {
  api().get("/repos/acme/app").reply(200, { default_branch: "main" });
  api().get("/repos/acme/app/pulls").query({ state: "all", head: `acme:${BRANCH}`, per_page: "10" }).reply(200, pulls);
};

const openPull = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  number: 12,
  state: "open",
  title: input.title,
  body: input.body,
  head: { sha: "headsha", ref: BRANCH },
  ...extra,
});

describe("ensurePullRequest", () => {
  it("creates branch, commit and PR with the Git Data API, on its own branch, never on main", async () => {
    repoAndPulls([]);
    api().get(branchRef).reply(404, { message: "Not Found" });
    newCommitOnMain(true);
    api()
      .post("/repos/acme/app/pulls", { title: input.title, body: input.body, head: BRANCH, base: "main", maintainer_can_modify: true })
      .reply(201, { number: 12 });

    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "created", number: 12, branch: BRANCH });
  });

  it("reuses its own branch left by an interrupted run (no PR yet), and leaves someone else's branch alone", async () => {
    repoAndPulls([]);
    api().get(branchRef).reply(200, { object: { sha: "leftover" } });
    api().get("/repos/acme/app/git/commits/leftover").reply(200, { sha: "leftover", message: MESSAGE, tree: { sha: "t" } });
    newCommitOnMain(false);
    api()
      .post("/repos/acme/app/pulls", { title: input.title, body: input.body, head: BRANCH, base: "main", maintainer_can_modify: true })
      .reply(201, { number: 13 });
    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "created", number: 13, branch: BRANCH });

    repoAndPulls([]);
    api().get(branchRef).reply(200, { object: { sha: "theirs" } });
    api().get("/repos/acme/app/git/commits/theirs").reply(200, { sha: "theirs", message: "WIP: my own experiment", tree: { sha: "t" } });
    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "foreign", number: null, branch: BRANCH });

    // A PR from the branch that is not the app's (no leading marker): not adopted.
    repoAndPulls([openPull({ body: "Someone's PR that mentions " + MARKER })]);
    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "foreign", number: 12, branch: BRANCH });
  });

  it("changes nothing when the open PR already has the files, title and body", async () => {
    repoAndPulls([openPull()]);
    api().get("/repos/acme/app/contents/pyproject.toml").query({ ref: BRANCH }).reply(200, fileReply(RUFF));

    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "unchanged", number: 12, branch: BRANCH });
  });

  it("rebuilds its own branch as one commit on the current main when a file is stale, and edits only the changed text", async () => {
    repoAndPulls([openPull({ body: `${MARKER}\nold evidence` })]);
    api().get("/repos/acme/app/contents/pyproject.toml").query({ ref: BRANCH }).reply(200, fileReply("[tool.ruff]\n"));
    api().get("/repos/acme/app/git/commits/headsha").reply(200, { sha: "headsha", message: MESSAGE, tree: { sha: "headtree" } });
    newCommitOnMain(false);
    api().patch("/repos/acme/app/pulls/12", { body: input.body }).reply(200, {});

    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "updated", number: 12, branch: BRANCH });
  });

  it("never reverts a maintainer's commit on the proposal branch; with updateText false it keeps their title and body too", async () => {
    repoAndPulls([openPull({ title: "Lint: unused imports (warn only)", body: `${MARKER}\nEdited by a maintainer` })]);
    api().get("/repos/acme/app/contents/pyproject.toml").query({ ref: BRANCH }).reply(200, fileReply('[tool.ruff.lint]\nextend-select = ["F401"]  # warn\n'));
    api().get("/repos/acme/app/git/commits/headsha").reply(200, { sha: "headsha", message: "Make it a warning", tree: { sha: "headtree" } });

    expect(await ensurePullRequest(octokit(), { ...input, updateText: false })).toEqual({ outcome: "unchanged", number: 12, branch: BRANCH });
  });

  it("leaves a closed proposal closed, and plans without writing on a dry run", async () => {
    repoAndPulls([openPull({ state: "closed" })]);
    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "closed", number: 12, branch: BRANCH });

    repoAndPulls([]);
    expect(await ensurePullRequest(octokit(), { ...input, dryRun: true })).toEqual({ outcome: "dry-run-create", number: null, branch: BRANCH });
  });

  it("refuses ids that would make odd branches, and bodies without their marker", async () => {
    expect(() => proposalBranch("../main")).toThrow(/pattern id/);
    await expect(ensurePullRequest(octokit(), { ...input, body: "no marker" })).rejects.toThrow(/marker/);
  });
});
