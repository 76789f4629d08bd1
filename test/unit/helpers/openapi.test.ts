import nock from "nock";
import { checkGitHubRequest, guardOpenApi, specProblemsOfAllScopes } from "../../helpers/openapi.js";

describe("checkGitHubRequest", () => {
  it("accepts a real endpoint with a body it declares", () => {
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues", body: { title: "t", body: "b", labels: ["x"] } })).toEqual([]);
    expect(checkGitHubRequest({ method: "get", path: "/api/v3/repos/o/r/issues?state=all&creator=me&per_page=100" })).toEqual([]);
  });

  it("rejects an unknown path and a method the path does not have", () => {
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/nonsense" })).toEqual(["no GitHub REST path matches /repos/o/r/nonsense"]);
    expect(checkGitHubRequest({ method: "DELETE", path: "/repos/o/r/issues/5" })).toEqual([
      "DELETE is not defined for /repos/{owner}/{repo}/issues/{issue_number} (allowed: GET, PATCH)",
    ]);
    // refs/{ref} only updates and deletes; reading one is git/ref/{ref}.
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/git/refs/heads/main" })).toEqual([
      "GET is not defined for /repos/{owner}/{repo}/git/refs/{ref} (allowed: DELETE, PATCH)",
    ]);
  });

  it("rejects a missing required body field, an unknown one, and a body where none is taken", () => {
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/git/refs", body: { ref: "refs/heads/x" } })).toEqual(['missing required body field "sha"']);
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues", body: { title: "t", label: ["x"] } })).toEqual([
      expect.stringMatching(/^unknown body field "label" \(declared: title, body, /),
    ]);
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r", body: { x: 1 } })).toEqual(["GET /repos/{owner}/{repo} takes no request body"]);
    expect(checkGitHubRequest({ method: "PATCH", path: "/repos/o/r/git/refs/heads/x" })).toEqual(['missing required body field "sha"']);
  });

  it("rejects an unknown query parameter", () => {
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/issues?state=all&author=me" })).toEqual([
      expect.stringMatching(/^unknown query parameter "author" for GET \/repos\/\{owner\}\/\{repo\}\/issues \(declared: .*creator/),
    ]);
  });

  it("lets a git ref, a file path and a branch span segments", () => {
    expect(checkGitHubRequest({ method: "PATCH", path: "/repos/o/r/git/refs/heads/review-reviewer/p-1", body: { sha: "c2", force: false } })).toEqual([]);
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/git/ref/heads%2Fmain" })).toEqual([]);
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/contents/" })).toEqual([]);
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/contents/.github/copilot-instructions.md?ref=x" })).toEqual([]);
    // The most specific template wins: this is the commit's status, not a ref "abc/status".
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/commits/abc/status?per_page=1" })).toEqual([]);
    expect(checkGitHubRequest({ method: "GET", path: "/repos/o/r/commits/abc/status?filter=latest" })).toEqual([
      expect.stringMatching(/^unknown query parameter "filter" for GET \/repos\/\{owner\}\/\{repo\}\/commits\/\{ref\}\/status /),
    ]);
    // An empty ref is not a ref.
    expect(checkGitHubRequest({ method: "PATCH", path: "/repos/o/r/git/refs/", body: { sha: "c2" } })).toEqual(["no GitHub REST path matches /repos/o/r/git/refs/"]);
  });

  it("tells literal segments from integer ids", () => {
    expect(checkGitHubRequest({ method: "PATCH", path: "/repos/o/r/issues/comments/71", body: { body: "b" } })).toEqual([]);
    expect(checkGitHubRequest({ method: "PATCH", path: "/repos/o/r/issues/comments", body: { body: "b" } })).toEqual([
      "PATCH is not defined for /repos/{owner}/{repo}/issues/comments (allowed: GET)",
    ]);
  });

  it("accepts a body that fits any oneOf/anyOf branch, and says which fits best when none does", () => {
    // check-runs PATCH: base properties plus an anyOf "completed needs a conclusion".
    expect(checkGitHubRequest({ method: "PATCH", path: "/repos/o/r/check-runs/7", body: { status: "completed", conclusion: "failure" } })).toEqual([]);
    expect(checkGitHubRequest({ method: "POST", path: "/repos/o/r/issues/5/labels", body: { labels: ["a"] } })).toEqual([]);
    expect(checkGitHubRequest({ method: "POST", path: "/user/codespaces", body: { repository_id: 1, ref: "main" } })).toEqual([]);
    expect(checkGitHubRequest({ method: "POST", path: "/user/codespaces", body: { pull_request: { pull_request_number: 1, repository_id: 1 } } })).toEqual([]);
    expect(checkGitHubRequest({ method: "POST", path: "/user/codespaces", body: { ref: "main" } })).toEqual([
      'missing required body field "repository_id" (closest of 2 schema alternatives)',
    ]);
  });

  it("checks GraphQL by hand (the REST description has no /graphql) and pages by repository id", () => {
    expect(checkGitHubRequest({ method: "POST", path: "/graphql", body: { query: "{ viewer { login } }", variables: {} } })).toEqual([]);
    expect(checkGitHubRequest({ method: "POST", path: "/graphql", body: { variables: {} } })).toEqual(['missing required body field "query"']);
    expect(checkGitHubRequest({ method: "GET", path: "/repositories/1/issues?state=all&page=2" })).toEqual([]);
  });
});

describe("guardOpenApi", () => {
  afterEach(() => {
    nock.cleanAll();
    // Give back the loopback that test/helpers/setup-nock.ts allows.
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  });

  it("collects the problems of requests the scope really answered", async () => {
    nock.disableNetConnect();
    const scope = nock("https://api.github.com")
      .post("/repos/o/r/git/refs", { ref: "refs/heads/x" })
      .reply(201, {})
      .get("/repos/o/r/issues")
      .query({ state: "open" })
      .reply(200, []);
    const guard = guardOpenApi(scope);

    const created = await fetch("https://api.github.com/repos/o/r/git/refs", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ref: "refs/heads/x" }),
    });
    expect(created.status).toBe(201);
    expect((await fetch("https://api.github.com/repos/o/r/issues?state=open")).status).toBe(200);

    expect(scope.isDone()).toBe(true);
    expect(guard.problems).toEqual(['POST /repos/o/r/git/refs: missing required body field "sha"']);
    // The check every test gets (test/helpers/setup-nock.ts) saw it too; taken here, since it was deliberate.
    expect(specProblemsOfAllScopes.splice(0)).toEqual(['POST /repos/o/r/git/refs: missing required body field "sha"']);
  });
});
