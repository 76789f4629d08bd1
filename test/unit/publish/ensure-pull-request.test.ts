import nock from "nock";
import { createOctokit } from "../../../src/github/api.js";
import { ensurePullRequest, proposalBranch } from "../../../src/publish/ensure-pull-request.js";
import { guardOpenApi } from "../../helpers/openapi.js";

const API = "https://api.github.com";

// Every request these tests answer must exist in GitHub's OpenAPI description.
const guards: { problems: string[] }[] = [];
const api = (): nock.Scope => {
  const scope = nock(API);
  guards.push(guardOpenApi(scope));
  return scope;
};
afterEach(() => {
  expect(guards.splice(0).flatMap((g) => g.problems)).toEqual([]);
});

const ID = "p-0123456789ab";
const MARKER = `<!-- review-reviewer:pattern:${ID} -->`;
const BRANCH = `review-reviewer/${ID}`;
const RUFF = '[tool.ruff.lint]\nextend-select = ["F401"]\n';

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
    api().get("/repos/acme/app/git/ref/heads%2Fmain").reply(200, { object: { sha: "mainsha" } });
    api().get("/repos/acme/app/git/commits/mainsha").reply(200, { sha: "mainsha", tree: { sha: "maintree" } });
    api()
      .post("/repos/acme/app/git/trees", { base_tree: "maintree", tree: [{ path: "pyproject.toml", mode: "100644", type: "blob", content: RUFF }] })
      .reply(201, { sha: "newtree" });
    api().post("/repos/acme/app/git/commits", { message: input.commitMessage, tree: "newtree", parents: ["mainsha"] }).reply(201, { sha: "newcommit" });
    api().post("/repos/acme/app/git/refs", { ref: `refs/heads/${BRANCH}`, sha: "newcommit" }).reply(201, {});
    api()
      .post("/repos/acme/app/pulls", { title: input.title, body: input.body, head: BRANCH, base: "main", maintainer_can_modify: true })
      .reply(201, { number: 12 });

    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "created", number: 12, branch: BRANCH });
  });

  it("changes nothing when the open PR already has the files, title and body", async () => {
    repoAndPulls([openPull()]);
    api().get("/repos/acme/app/contents/pyproject.toml").query({ ref: BRANCH }).reply(200, { type: "file", encoding: "base64", content: Buffer.from(RUFF).toString("base64") });

    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "unchanged", number: 12, branch: BRANCH });
  });

  it("commits only the stale file on top of the PR head and edits only the changed text", async () => {
    repoAndPulls([openPull({ body: `${MARKER}\nold evidence` })]);
    api().get("/repos/acme/app/contents/pyproject.toml").query({ ref: BRANCH }).reply(200, { type: "file", encoding: "base64", content: Buffer.from("[tool.ruff]\n").toString("base64") });
    api().get("/repos/acme/app/git/commits/headsha").reply(200, { sha: "headsha", tree: { sha: "headtree" } });
    api()
      .post("/repos/acme/app/git/trees", { base_tree: "headtree", tree: [{ path: "pyproject.toml", mode: "100644", type: "blob", content: RUFF }] })
      .reply(201, { sha: "t2" });
    api().post("/repos/acme/app/git/commits", { message: input.commitMessage, tree: "t2", parents: ["headsha"] }).reply(201, { sha: "c2" });
    api().patch(`/repos/acme/app/git/refs/heads%2F${encodeURIComponent(BRANCH)}`, { sha: "c2", force: false }).reply(200, {});
    api().patch("/repos/acme/app/pulls/12", { body: input.body }).reply(200, {});

    expect(await ensurePullRequest(octokit(), input)).toEqual({ outcome: "updated", number: 12, branch: BRANCH });
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
