import nock from "nock";
import { ProbotOctokit, type Probot } from "probot";
import { CHECKS_DIR, loadCatalog } from "../../src/checks/catalog.js";
import { compileCheck } from "../../src/checks/learned/compile.js";
import type { OctokitLike } from "../../src/github/api.js";
import { proposeRepo } from "../../src/jobs/propose-repo.js";
import { createJobQueue, type JobQueue } from "../../src/jobs/queue.js";
import { proposalMarker } from "../../src/propose/lifecycle.js";
import { silentLog } from "../../src/shared/logger.js";
import { signalKey, type CorrectionSignal } from "../../src/signals/signal.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { appFor, SELF_LOGIN } from "../helpers/app.js";
import { examplePayload, repoIdOf } from "../helpers/fixtures.js";
import { createTestProbot } from "../helpers/probot.js";
import { API, CONFIG, enc, expectNewPullIn, expectRunStartIn, feedComments, newWritten, NOW, worldRepo, type FedComment } from "../helpers/propose-world.js";
import { withTempDir } from "../helpers/signals.js";

/**
 * Learned checks end to end: review comments through Probot, their
 * corrections (as the backfill or a closed PR's refresh derives them), the
 * weekly run synthesizing a check from them and proposing it in a PR; then,
 * with the check merged onto the default branch, a new pull request gets a
 * "review-reviewer" Check Run with an annotation on the line it adds.
 */
const API_REPO = worldRepo("acme", "api");
/** The pattern the four comments form (named after the oldest). */
const PATTERN = "p-8a060e56163c";
const hunk = (line: string): string => `@@ -10,3 +10,4 @@ export async function load(id) {\n   const data = await fetchData(id);\n+  ${line}\n   return data;`;
const LOGGER_COMMENTS: FedComment[] = [
  { id: 9101, body: "Please use our logger instead of console.log here.", path: "src/api/client.js", hunk: hunk("console.log(data);"), pull: 301 },
  { id: 9102, body: "use the logger, not console.log", path: "src/ui/form.js", hunk: hunk('console.log("submit", values);'), pull: 302 },
  { id: 9103, body: "console.log again: please switch to logger.", path: "src/util/dates.js", hunk: hunk("console.debug(date, offset);"), pull: 303 },
  { id: 9104, body: "We log through logger, not console.log.", path: "src/api/users.js", hunk: hunk("console.log(users);"), pull: 304 },
];
const FIXED: Record<number, { before: string; after: string }> = {
  9101: { before: "  console.log(data);", after: "  logger.debug(data);" },
  9102: { before: '  console.log("submit", values);', after: '  logger.info("submit", values);' },
  9103: { before: "  console.debug(date, offset);", after: "  logger.debug(date, offset);" },
  9104: { before: "  console.log(users);", after: "  logger.info(users);" },
};

const correction = (c: FedComment): CorrectionSignal => ({
  kind: "correction",
  key: signalKey("correction", c.id),
  repo: API_REPO.full,
  repoId: repoIdOf(API_REPO.full),
  installationId: API_REPO.installation,
  pullNumber: c.pull,
  deliveryId: `refresh-${String(c.id)}`,
  receivedAt: "2026-11-01T00:00:00.000Z",
  commentId: c.id,
  commentKey: signalKey("review_comment", c.id),
  path: c.path,
  status: "addressed",
  outdated: true,
  before: FIXED[c.id]?.before ?? "",
  after: FIXED[c.id]?.after ?? null,
  afterCommit: "fixsha",
  suggestion: null,
  suggestionApplied: null,
  threadResolved: true,
  resolvedBy: "rev-a",
  reviewer: { login: "rev-a", id: 1000, type: "User", kind: "human" },
  evidence: ["the commented lines changed"],
});

/** A merged, unrelated PR's diff: the noise sample (no console call in it). */
const UNRELATED_DIFF = [
  "diff --git a/src/api/orders.js b/src/api/orders.js",
  "--- a/src/api/orders.js",
  "+++ b/src/api/orders.js",
  "@@ -1,2 +1,5 @@",
  " import { logger } from '../log.js';",
  "+export const total = (items) => items.reduce((a, b) => a + b.price, 0);",
  "+export async function place(order) {",
  "+  logger.info('placing', order.id);",
  "+  return post('/orders', order);",
  " }",
  "",
].join("\n");

const installationClient = (): OctokitLike => new ProbotOctokit({ auth: { token: "ghs_inst" }, throttle: { enabled: false }, retry: { enabled: false } });

describe("learned checks, end to end", () => {
  // An unexpected request to GitHub fails the test: test/helpers/setup-nock.ts checks it after each test.

  it("synthesizes a check from the corrections, proposes it, and once merged annotates a new pull request", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      try {
        const jobs: JobQueue = createJobQueue(silentLog);
        const probot: Probot = createTestProbot();
        await probot.load(appFor(store, jobs, () => NOW));
        expect(await feedComments(probot, API_REPO, LOGGER_COMMENTS)).toBe(4);
        await store.commit({ deliveryId: "refresh-corrections", receivedAt: "2026-11-01T00:00:00.000Z", ops: LOGGER_COMMENTS.map((c) => ({ op: "upsert" as const, signal: correction(c) })) });

        // The weekly run: no ESLint in this repository, so no catalog rule; the corrections define a check.
        const written = newWritten();
        const scope = nock(API);
        expectRunStartIn(scope, API_REPO, { own: [], config: CONFIG, root: ["package.json", "README.md", "src/"], files: { "package.json": '{ "name": "api" }\n' } });
        scope
          .get(`/repos/${API_REPO.full}/pulls`)
          .query({ state: "closed", sort: "updated", direction: "desc", per_page: "30" })
          .reply(200, [
            { number: 302, merged_at: "2026-10-01T00:00:00Z" },
            { number: 290, merged_at: null },
            { number: 288, merged_at: "2026-09-20T00:00:00Z" },
          ])
          // The noise sample: the unrelated merged PR's diff (302 is one of the pattern's own PRs, 290 was not merged).
          .get(`/repos/${API_REPO.full}/pulls/288`)
          .matchHeader("accept", /diff/)
          .reply(200, UNRELATED_DIFF, { "content-type": "text/plain" });
        expectNewPullIn(scope, API_REPO, PATTERN, 31, written);

        const outcome = await proposeRepo(
          { store, clock: () => NOW, log: silentLog, catalog: await loadCatalog(CHECKS_DIR), author: SELF_LOGIN, self: { appId: 4242, appSlug: "review-reviewer" } },
          installationClient(),
          { owner: API_REPO.owner, repo: API_REPO.repo, dryRun: false },
        );

        expect(outcome.status === "done" ? outcome.actions.map((a) => [a.patternId, a.kind, a.action]) : outcome.status).toEqual([[PATTERN, "check", "created"]]);
        expect(scope.isDone()).toBe(true);
        const path = `.github/review-reviewer/checks/learned-${PATTERN.slice(2)}.yml`;
        const committed = written.trees.flatMap((t) => t.tree);
        expect(committed.map((e) => e.path)).toEqual([path]);
        const checkText = committed[0]?.content ?? "";
        // The file is a valid learned check, flags the commented code and passes the fixed code.
        const compiled = compileCheck(path, checkText);
        if (!compiled.ok) throw new Error(compiled.error);
        expect(Object.values(FIXED).map((f) => [compiled.check.flags(f.before), compiled.check.flags(f.after)])).toEqual([
          [true, false],
          [true, false],
          [true, false],
          [true, false],
        ]);
        expect(compiled.check.appliesTo("src/new/thing.js")).toBe(true);
        expect(compiled.check.appliesTo("docs/readme.md")).toBe(false);
        const body = written.pulls[0]?.body ?? "";
        expect(body.startsWith(proposalMarker(PATTERN))).toBe(true);
        expect(written.pulls[0]?.title).toMatch(/^Check: /);
        expect(body).toContain("- Flags **4 of 4** commented snippets (at least 80% needed).");
        expect(body).toContain("- Flags **0 of 4** snippets after the reviewers' fixes (none allowed).");
        expect(body).toContain("- Noise: flags 0 of 4 lines added by recent unrelated pull requests (0.00%; at most 1% is allowed).");

        // Merged: the check is on the default branch. A new PR adds a console.log: one Check Run, one annotation.
        const blobSha = "b10b5ha";
        const head = "c".repeat(40);
        const NEW_PR_DIFF = [
          "diff --git a/src/api/payments.js b/src/api/payments.js",
          "--- a/src/api/payments.js",
          "+++ b/src/api/payments.js",
          "@@ -1,3 +1,5 @@",
          " export async function pay(order) {",
          "+  console.log('paying', order.id);",
          "+  logger.info('paying', order.id);",
          "   return post('/payments', order);",
          " }",
          "",
        ].join("\n");
        interface CreatedRun {
          name: string;
          head_sha: string;
          conclusion: string;
          output: { title: string; summary: string; annotations?: { path: string; start_line: number; annotation_level: string; message: string }[] };
        }
        const created: CreatedRun[] = [];
        const after = nock(API)
          .post(`/app/installations/${String(API_REPO.installation)}/access_tokens`)
          .reply(201, { token: "ghs_inst2", expires_at: "2099-01-01T00:00:00Z" })
          .get(`/repos/${API_REPO.full}/contents/${enc(".github/review-reviewer/checks")}`)
          .reply(200, [{ type: "file", name: `learned-${PATTERN.slice(2)}.yml`, path, sha: blobSha }])
          .get(`/repos/${API_REPO.full}/git/blobs/${blobSha}`)
          .reply(200, { sha: blobSha, encoding: "base64", content: Buffer.from(checkText).toString("base64") })
          .get(`/repos/${API_REPO.full}/pulls/305`)
          .matchHeader("accept", /diff/)
          .reply(200, NEW_PR_DIFF, { "content-type": "text/plain" })
          .get(`/repos/${API_REPO.full}/commits/${head}/check-runs`)
          .query({ check_name: "review-reviewer", app_id: "4242", filter: "latest", per_page: "100" })
          .reply(200, { total_count: 0, check_runs: [] })
          .post(`/repos/${API_REPO.full}/check-runs`, (b: CreatedRun) => {
            created.push(b);
            return b.name === "review-reviewer" && b.head_sha === head;
          })
          .reply(201, { id: 555 });
        const pr = examplePayload("pull_request", "opened");
        Object.assign(pr.pull_request as object, { number: 305, head: { ...((pr.pull_request as { head: object }).head), sha: head } });
        Object.assign(pr.repository as object, { id: repoIdOf(API_REPO.full), name: API_REPO.repo, full_name: API_REPO.full, owner: { ...((pr.repository as { owner: object }).owner), login: API_REPO.owner } });
        await probot.receive({ id: "pr-305", name: "pull_request", payload: { ...pr, installation: { id: API_REPO.installation } } as never });
        await jobs.idle();

        expect(after.isDone()).toBe(true);
        expect(created).toHaveLength(1);
        const run = created[0];
        expect(run?.conclusion).toBe("neutral");
        expect(run?.output.annotations?.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([["src/api/payments.js", 2, "warning"]]);
        expect(run?.output.title).toMatch(/1/);

        // The same head again (a reopened PR, a redelivery): the checks come from the cache, the run is found
        // by its summary's digest, and nothing is written.
        const again = nock(API)
          .get(`/repos/${API_REPO.full}/contents/${enc(".github/review-reviewer/checks")}`)
          .reply(200, [{ type: "file", name: `learned-${PATTERN.slice(2)}.yml`, path, sha: blobSha }])
          .get(`/repos/${API_REPO.full}/pulls/305`)
          .matchHeader("accept", /diff/)
          .reply(200, NEW_PR_DIFF, { "content-type": "text/plain" })
          .get(`/repos/${API_REPO.full}/commits/${head}/check-runs`)
          .query({ check_name: "review-reviewer", app_id: "4242", filter: "latest", per_page: "100" })
          .reply(200, {
            total_count: 1,
            check_runs: [{ id: 555, external_id: "learned-checks", app: { id: 4242 }, status: "completed", conclusion: run?.conclusion, output: { title: run?.output.title, summary: run?.output.summary, text: null, annotations_count: 1 } }],
          });
        const reopened = examplePayload("pull_request", "reopened");
        Object.assign(reopened.pull_request as object, { number: 305, head: { ...((reopened.pull_request as { head: object }).head), sha: head } });
        Object.assign(reopened.repository as object, { id: repoIdOf(API_REPO.full), name: API_REPO.repo, full_name: API_REPO.full, owner: { ...((reopened.repository as { owner: object }).owner), login: API_REPO.owner } });
        await probot.receive({ id: "pr-305-reopened", name: "pull_request", payload: { ...reopened, installation: { id: API_REPO.installation } } as never });
        await jobs.idle();
        expect(again.isDone()).toBe(true);
        expect(created).toHaveLength(1);
      } finally {
        await store.close();
      }
    });
  });
});
