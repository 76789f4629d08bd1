import nock from "nock";
import { createOctokit } from "../../../src/github/api.js";
import { ensureCheckRun } from "../../../src/publish/ensure-check-run.js";

const API = "https://api.github.com";

// Every request these tests answer must exist in GitHub's OpenAPI description: test/helpers/setup-nock.ts checks each one.
const api = (): nock.Scope => nock(API);

const SHA = "a".repeat(40);
const octokit = (): ReturnType<typeof createOctokit> => createOctokit({ token: "ghs_test", retries: 0, writeSpacingMs: 0 });

const input = {
  owner: "acme",
  repo: "app",
  headSha: SHA,
  name: "review-reviewer: learned checks",
  externalId: "lc-no-print",
  conclusion: "failure" as const,
  output: { title: "1 finding", summary: "`print()` left in app.py line 3" },
  appId: 4242,
  dryRun: false,
};

const listed = (runs: unknown[]): nock.Scope =>
  api()
    .get(`/repos/acme/app/commits/${SHA}/check-runs`)
    .query({ check_name: input.name, app_id: "4242", filter: "latest", per_page: "100" })
    .reply(200, { total_count: runs.length, check_runs: runs });

const run = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: 77,
  external_id: input.externalId,
  app: { id: 4242 },
  status: "completed",
  conclusion: "failure",
  output: { title: input.output.title, summary: input.output.summary, text: null, annotations_count: 0 },
  ...extra,
});

describe("ensureCheckRun", () => {
  it("creates one completed run, keyed by external_id, when the app has none on the commit", async () => {
    listed([run({ app: { id: 1 } })]);
    api()
      .post("/repos/acme/app/check-runs", { name: input.name, head_sha: SHA, external_id: input.externalId, status: "completed", conclusion: "failure", output: input.output })
      .reply(201, { id: 78 });
    expect(await ensureCheckRun(octokit(), input)).toEqual({ outcome: "created", id: 78 });
  });

  it("leaves an identical run alone and updates a changed one", async () => {
    listed([run()]);
    expect(await ensureCheckRun(octokit(), input)).toEqual({ outcome: "unchanged", id: 77 });

    listed([run({ conclusion: "success", output: { title: "0 findings", summary: "clean", text: null, annotations_count: 0 } })]);
    api().patch("/repos/acme/app/check-runs/77", { status: "completed", conclusion: "failure", output: input.output }).reply(200, { id: 77 });
    expect(await ensureCheckRun(octokit(), input)).toEqual({ outcome: "updated", id: 77 });
  });

  it("writes nothing on a dry run", async () => {
    listed([]);
    expect(await ensureCheckRun(octokit(), { ...input, dryRun: true })).toEqual({ outcome: "dry-run-create", id: null });
  });

  describe("with annotations", () => {
    const annotations = Array.from({ length: 120 }, (_, i) => ({
      path: `src/file-${String(Math.floor(i / 10))}.ts`,
      start_line: (i % 10) + 1,
      end_line: (i % 10) + 1,
      annotation_level: "warning" as const,
      title: "use-logger",
      message: `finding ${String(i)}`,
    }));
    type Body = { output: { title: string; summary: string; annotations?: unknown[] } };

    it("sends 120 annotations in three requests of at most 50: the creation, then two updates that append", async () => {
      listed([]);
      const sent: number[] = [];
      let summary = "";
      api()
        .post("/repos/acme/app/check-runs", (body: Body) => {
          sent.push(body.output.annotations?.length ?? 0);
          summary = body.output.summary;
          return JSON.stringify(body.output.annotations?.[0]) === JSON.stringify(annotations[0]);
        })
        .reply(201, { id: 90 })
        .patch("/repos/acme/app/check-runs/90", (body: Body) => {
          sent.push(body.output.annotations?.length ?? 0);
          return JSON.stringify(body.output.annotations?.[0]) === JSON.stringify(annotations[50]) && body.output.summary === summary;
        })
        .reply(200, { id: 90 })
        .patch("/repos/acme/app/check-runs/90", (body: Body) => {
          sent.push(body.output.annotations?.length ?? 0);
          return JSON.stringify(body.output.annotations?.[19]) === JSON.stringify(annotations[119]);
        })
        .reply(200, { id: 90 });

      expect(await ensureCheckRun(octokit(), { ...input, annotations })).toEqual({ outcome: "created", id: 90 });
      expect(sent).toEqual([50, 50, 20]);
      expect(summary).toMatch(/^`print\(\)` left in app.py line 3\n\n<!-- review-reviewer:annotations:[0-9a-f]{16} -->$/);

      // Same annotations again: found by its digest, nothing written.
      listed([run({ id: 90, output: { title: input.output.title, summary, text: null, annotations_count: 120 } })]);
      expect(await ensureCheckRun(octokit(), { ...input, annotations })).toEqual({ outcome: "unchanged", id: 90 });
    });

    it("replaces a run whose annotations changed with a new run (annotations can only be appended)", async () => {
      listed([run({ output: { title: input.output.title, summary: "old\n\n<!-- review-reviewer:annotations:0000000000000000 -->", text: null, annotations_count: 3 } })]);
      api()
        .post("/repos/acme/app/check-runs", (body: Body) => body.output.annotations?.length === 2)
        .reply(201, { id: 91 });
      expect(await ensureCheckRun(octokit(), { ...input, annotations: annotations.slice(0, 2) })).toEqual({ outcome: "created", id: 91 });
    });
  });
});
