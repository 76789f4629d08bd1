import nock from "nock";
import { createGitHubApi, createOctokit } from "../../src/github/api.js";
import { loadCursor, runBackfill, type BackfillDeps } from "../../src/jobs/backfill/backfill.js";
import type { CorrectionSignal, PullOutcomeSignal } from "../../src/signals/signal.js";
import { silentLog } from "../../src/shared/logger.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { appFor } from "../helpers/app.js";
import { testClassifier } from "../helpers/env.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { crcComments } from "../helpers/fixtures.js";
import { expectBackfill } from "../helpers/nock-github.js";
import { createTestProbot } from "../helpers/probot.js";
import { withTempDir } from "../helpers/signals.js";

const SINCE = new Date("2026-05-01T00:00:00Z");
const fakeRepo = (pulls = 120, comments = 250): FakeGitHub =>
  new FakeGitHub({
    owner: "acme",
    name: "widgets",
    repoId: 4242,
    pulls,
    comments,
    suggestionEvery: 6,
    bodies: crcComments()
      .filter((c) => c.user.type !== "Bot")
      .map((c) => c.body),
    start: new Date("2026-06-01T00:00:00Z"),
  });

const deps = (store: LowdbSignalStore, limits: string[] = []): BackfillDeps => ({
  api: createGitHubApi(
    createOctokit({ token: "ghs_test", retries: 0, writeSpacingMs: 0, retryAfterBaseValue: 1, onLimit: (m) => limits.push(m) }),
  ),
  store,
  clock: () => new Date("2026-11-22T10:00:00Z"),
  classifier: testClassifier,
  log: silentLog,
});

const target = { owner: "acme", repo: "widgets", installationId: null, since: SINCE };

describe("history backfill", () => {
  it("harvests a repo with repo-wide listings and batched GraphQL, never per PR", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo();
      expectBackfill(fake, { since: SINCE.toISOString() });
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });

      const summary = await runBackfill(deps(store), target);

      const stats = await store.stats();
      const corrections = (await store.list({ kind: "correction" })) as CorrectionSignal[];
      const byId = new Map(corrections.map((c) => [c.commentId, c]));
      // 1 repo + 2 PR pages + 3 comment pages + 1 issue-comment page + 3 PR batches + 3 blob batches
      expect(summary.requests).toBe(13);
      expect(stats.totals).toMatchObject({ pull_request: 120, review_comment: 250, review: 120, review_thread: 250, correction: 250, pr_outcome: 120 });
      for (const c of fake.comments) {
        const derived = byId.get(c.id);
        expect(derived?.status).toBe(c.changed ? "addressed" : "not_addressed");
        if (c.changed) expect(derived?.after).toContain("compute_checked(");
        expect(derived?.before).toContain(`compute(${String(c.line)})`);
        if (c.suggestion !== null) expect(derived?.suggestionApplied).toBe(true);
        if (!c.body.includes("```suggestion")) expect(derived?.suggestionApplied).toBeNull();
        expect(derived?.threadResolved).toBe(c.changed);
      }
      expect(summary).toMatchObject({ comments: 250, pulls: 120, corrections: 250, addressed: 125, resumed: false });
      expect((await loadCursor(store, "acme/widgets"))?.phase).toBe("done");
      await store.close();
    });
  });

  it("follows the cursor of a PR with more than 100 review threads", async () => {
    await withTempDir(async (dir) => {
      // 2 PRs and 250 comments: PR 1 has 125 threads, PR 2 has 125.
      const fake = fakeRepo(2, 250);
      expectBackfill(fake, { since: SINCE.toISOString() });
      for (const number of [1, 2]) {
        nock("https://api.github.com")
          .post("/graphql", (body: { query: string; variables: Record<string, unknown> }) =>
            body.query.startsWith("query PullMore") &&
            JSON.stringify(body.variables) ===
              JSON.stringify({ owner: "acme", name: "widgets", number, reviewsAfter: null, threadsAfter: "cursor:100", withReviews: false, withThreads: true }),
          )
          .reply(200, (_u, body) => fake.graphqlMore((body as { variables: { number: number; threadsAfter: string | null; withThreads: boolean } }).variables));
      }
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });

      const summary = await runBackfill(deps(store), target);

      expect(summary.threads).toBe(250);
      expect((await store.stats()).totals).toMatchObject({ review_thread: 250, correction: 250 });
      const corrections = (await store.list({ kind: "correction" })) as CorrectionSignal[];
      expect(corrections.filter((c) => c.threadResolved === null)).toEqual([]);
      await store.close();
    });
  });

  it("records preference and outcome signals per PR", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo(60, 40);
      expectBackfill(fake, { since: SINCE.toISOString() });
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });

      await runBackfill(deps(store), target);

      const outcomes = (await store.list({ kind: "pr_outcome" })) as PullOutcomeSignal[];
      const withComments = outcomes.find((o) => o.pullNumber === 1);
      const clean = outcomes.find((o) => o.pullNumber === 55);
      expect(withComments).toMatchObject({ approvedFirstReview: false, changesRequested: 1, reviewRounds: 1, state: "merged", ciConclusion: "success", hoursToFirstReview: 2, hoursToMerge: 30 });
      expect(clean).toMatchObject({ approvedFirstReview: true, changesRequested: 0, state: "closed_unmerged", hoursToMerge: null });
      await store.close();
    });
  });

  it("resumes after a failure mid-way without refetching finished pages", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo();
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      const since = SINCE.toISOString();
      // First run: repo, both PR pages, comment page 1, then page 2 fails.
      const scope = nock("https://api.github.com").get("/repos/acme/widgets").reply(200, fake.restRepo());
      for (const page of [1, 2]) {
        const { items, link } = fake.restPage("pulls", page, null);
        scope.get("/repos/acme/widgets/pulls").query({ state: "all", sort: "updated", direction: "desc", per_page: "100", page: String(page) }).reply(200, items, link === null ? {} : { link });
      }
      const first = fake.restPage("comments", 1, since);
      scope.get("/repos/acme/widgets/pulls/comments").query({ sort: "created", direction: "asc", since, per_page: "100", page: "1" }).reply(200, first.items, { link: first.link ?? "" });
      scope.get("/repos/acme/widgets/pulls/comments").query({ sort: "created", direction: "asc", since, per_page: "100", page: "2" }).reply(502, { message: "Server Error" });

      await expect(runBackfill(deps(store), target)).rejects.toThrow(/Server Error/);
      const saved = await loadCursor(store, "acme/widgets");
      expect(saved).toMatchObject({ phase: "comments", page: 2 });
      expect((await store.stats()).totals.review_comment).toBe(100);

      // Second run: picks up at comment page 2; nock fails on any other request.
      expectBackfill(fake, { since, readsRepo: false, fromPullsPage: 3, fromCommentsPage: 2 });
      const summary = await runBackfill(deps(store), target);

      expect(summary.resumed).toBe(true);
      expect((await store.stats()).totals).toMatchObject({ review_comment: 250, correction: 250 });
      // Requests of both runs: 13 needed + the failed one.
      expect(summary.requests).toBe(14);
      await store.close();
    });
  });

  it("waits out a secondary rate limit and retries", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo(10, 10);
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      nock("https://api.github.com")
        .get("/repos/acme/widgets")
        .reply(403, { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }, { "retry-after": "1" });
      expectBackfill(fake, { since: SINCE.toISOString() });
      const limits: string[] = [];

      const summary = await runBackfill(deps(store, limits), target);

      expect(limits).toEqual(["secondary rate limit on GET /repos/{owner}/{repo}; retry 1 in 1 s"]);
      // repo (403, then retried) + PR page + comment page + issue-comment page + PR batch + blob batch
      expect(summary.requests).toBe(7);
      expect((await store.stats()).totals.review_comment).toBe(10);
      await store.close();
    });
  });

  it("counts a comment seen by webhook and by backfill once", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo(10, 10);
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      const probot = createTestProbot();
      await probot.load(appFor(store));
      const c = fake.comments[3];
      if (c === undefined) throw new Error("no comment");
      const payload = {
        action: "created",
        comment: fake.restComment(c),
        pull_request: { number: c.pull, user: { login: "author-3", id: 1, type: "User" } },
        repository: { id: 4242, full_name: "acme/widgets", name: "widgets" },
        installation: { id: 7 },
        sender: { login: c.reviewer, id: 1, type: "User" },
      };
      await probot.receive({ id: "webhook-1", name: "pull_request_review_comment", payload } as never);
      expectBackfill(fake, { since: SINCE.toISOString() });

      await runBackfill(deps(store), target);

      const stats = await store.stats();
      expect(stats.totals.review_comment).toBe(10);
      expect(Object.keys(stats.repos)).toEqual(["acme/widgets"]);
      await store.close();
    });
  });
});
