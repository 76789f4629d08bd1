import nock from "nock";
import { ProbotOctokit } from "probot";
import type { CompiledCheck, InvalidCheck } from "../../../src/checks/learned/compile.js";
import type { OctokitLike } from "../../../src/github/api.js";
import { enforceChecks } from "../../../src/jobs/enforce-checks.js";
import { silentLog } from "../../../src/shared/logger.js";

const API = "https://api.github.com";
const HEAD = "d".repeat(40);
const client = (): OctokitLike => new ProbotOctokit({ auth: { token: "ghs_x" }, throttle: { enabled: false }, retry: { enabled: false } });
const DIR = "/repos/acme/app/contents/.github%2Freview-reviewer%2Fchecks";
const DIFF = "diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,1 +1,2 @@\n const a = 1;\n+debugger;\n";
const GOOD = "id: no-debugger\ntitle: No debugger\nmessage: Remove the debugger statement.\nseverity: failure\npattern: '\\bdebugger\\b'\n";
const BAD = "id: broken\ntitle: Broken\nmessage: x\nseverity: warning\npattern: '(a)\\1'\n";

interface Sent {
  conclusion: string;
  output: { title: string; summary: string; annotations?: { path: string; start_line: number; annotation_level: string }[] };
}

describe("enforceChecks", () => {
  it("does nothing (not even fetch the diff) when the repository has no learned checks", async () => {
    nock(API).get(DIR).reply(404, { message: "Not Found" });
    expect(await enforceChecks({ appId: 1, log: silentLog }, client(), { owner: "acme", repo: "app", pullNumber: 5, headSha: HEAD })).toEqual({ status: "no-checks" });
  });

  it("names an invalid check file in the run, still runs the valid ones (a failure finding decides the conclusion), and reuses compiled checks while no file changed", async () => {
    const sent: Sent[] = [];
    const cache = new Map<string, { key: string; checks: CompiledCheck[]; invalid: InvalidCheck[] }>();
    const listing = [
      { type: "file", name: "broken.yml", path: ".github/review-reviewer/checks/broken.yml", sha: "s-bad" },
      { type: "file", name: "no-debugger.yml", path: ".github/review-reviewer/checks/no-debugger.yml", sha: "s-good" },
      { type: "file", name: "README.md", path: ".github/review-reviewer/checks/README.md", sha: "s-readme" },
    ];
    const run = (blobs: boolean): nock.Scope => {
      const scope = nock(API).get(DIR).reply(200, listing);
      if (blobs) {
        scope
          .get("/repos/acme/app/git/blobs/s-bad")
          .reply(200, { encoding: "base64", content: Buffer.from(BAD).toString("base64") })
          .get("/repos/acme/app/git/blobs/s-good")
          .reply(200, { encoding: "base64", content: Buffer.from(GOOD).toString("base64") });
      }
      return scope
        .get("/repos/acme/app/pulls/5")
        .matchHeader("accept", /diff/)
        .reply(200, DIFF, { "content-type": "text/plain" })
        .get(`/repos/acme/app/commits/${HEAD}/check-runs`)
        .query({ check_name: "review-reviewer", app_id: "1", filter: "latest", per_page: "100" })
        .reply(200, { total_count: 0, check_runs: [] })
        .post("/repos/acme/app/check-runs", (b: Sent) => {
          sent.push(b);
          return true;
        })
        .reply(201, { id: 9 });
    };
    const deps = { appId: 1, log: silentLog, cache };
    const target = { owner: "acme", repo: "app", pullNumber: 5, headSha: HEAD };
    run(true);
    expect(await enforceChecks(deps, client(), target)).toMatchObject({ status: "checked", annotations: 1, conclusion: "failure" });
    // The second time, the blobs are not fetched again (same SHAs).
    run(false);
    expect(await enforceChecks(deps, client(), target)).toMatchObject({ status: "checked", annotations: 1 });

    expect(sent[0]?.output.annotations?.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([["src/a.ts", 2, "failure"]]);
    expect(sent[0]?.output.summary).toContain("broken.yml");
    expect(sent[0]?.output.summary).toMatch(/backreference/);
  });

  it("reads the per-file patches when GitHub will not return the whole diff (406), paginated", async () => {
    const sent: Sent[] = [];
    const file = (i: number, patch?: string): Record<string, unknown> => ({ filename: `src/f${String(i)}.ts`, status: "modified", ...(patch === undefined ? {} : { patch }) });
    const page1 = Array.from({ length: 100 }, (_, i) => file(i, "@@ -1,1 +1,2 @@\n const a = 1;\n+const b = 2;"));
    const page2 = [file(100, "@@ -1,1 +1,2 @@\n x();\n+debugger;"), file(101), { filename: "src/gone.ts", status: "removed", patch: "@@ -1,1 +0,0 @@\n-debugger;" }];
    nock(API)
      .get(DIR)
      .reply(200, [{ type: "file", name: "no-debugger.yml", path: ".github/review-reviewer/checks/no-debugger.yml", sha: "s-good" }])
      .get("/repos/acme/app/git/blobs/s-good")
      .reply(200, { encoding: "base64", content: Buffer.from(GOOD).toString("base64") })
      .get("/repos/acme/app/pulls/6")
      .reply(406, { message: "Sorry, the diff exceeded the maximum number of files (300)." })
      .get("/repos/acme/app/pulls/6/files")
      .query({ per_page: "100" })
      .reply(200, page1, { link: '<https://api.github.com/repos/acme/app/pulls/6/files?per_page=100&page=2>; rel="next"' })
      .get("/repos/acme/app/pulls/6/files")
      .query({ per_page: "100", page: "2" })
      .reply(200, page2)
      .get(`/repos/acme/app/commits/${HEAD}/check-runs`)
      .query({ check_name: "review-reviewer", app_id: "1", filter: "latest", per_page: "100" })
      .reply(200, { total_count: 0, check_runs: [] })
      .post("/repos/acme/app/check-runs", (b: Sent) => {
        sent.push(b);
        return true;
      })
      .reply(201, { id: 10 });
    expect(await enforceChecks({ appId: 1, log: silentLog }, client(), { owner: "acme", repo: "app", pullNumber: 6, headSha: HEAD })).toMatchObject({ conclusion: "failure", annotations: 1 });
    expect(sent[0]?.output.annotations?.map((a) => [a.path, a.start_line])).toEqual([["src/f100.ts", 2]]);
  });
});
