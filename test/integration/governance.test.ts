import nock from "nock";
import { createJobQueue } from "../../src/jobs/queue.js";
import { silentLog } from "../../src/shared/logger.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { appFor } from "../helpers/app.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { crcComments, examplePayload } from "../helpers/fixtures.js";
import { expectBackfill } from "../helpers/nock-github.js";
import { createTestProbot } from "../helpers/probot.js";
import { withTempDir } from "../helpers/signals.js";

type Payload = Record<string, unknown>;

const INSTALLATION = 31337;
const repository = { id: 4242, full_name: "acme/widgets", name: "widgets", owner: { login: "acme" } };

const commentPayload = (id: number, body: string, login: string, inReplyTo: number | null): Payload => {
  const p = examplePayload("pull_request_review_comment", "created");
  Object.assign(p.comment as object, { id, body, in_reply_to_id: inReplyTo, user: { login, id: id % 1000, type: "User" } });
  return { ...p, repository, installation: { id: INSTALLATION } };
};

const threadPayload = (commentIds: number[]): Payload => {
  const p = examplePayload("pull_request_review_thread", "resolved");
  (p.thread as { comments: unknown[] }).comments = commentIds.map((id) => ({ id, path: "README.md", line: 1, original_line: 1 }));
  return { ...p, repository, installation: { id: INSTALLATION } };
};

const setup = async (dir: string) => {
  const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
  const jobs = createJobQueue(silentLog);
  const probot = createTestProbot();
  await probot.load(appFor(store, jobs));
  const receive = (id: string, name: string, payload: Payload): Promise<void> => probot.receive({ id, name, payload } as never);
  return { store, jobs, receive };
};

const token = (): nock.Scope =>
  nock("https://api.github.com").post(`/app/installations/${String(INSTALLATION)}/access_tokens`).reply(201, { token: "ghs_inst", expires_at: "2099-01-01T00:00:00Z" });

describe("/review-reviewer forget", () => {
  it("removes the thread's signals for a user with write access and acknowledges with a reaction", async () => {
    await withTempDir(async (dir) => {
      const { store, jobs, receive } = await setup(dir);
      const real = crcComments()[5]?.body ?? "Please rename this.";
      await receive("c1", "pull_request_review_comment", commentPayload(501, real, "reviewer", null));
      await receive("c2", "pull_request_review_comment", commentPayload(502, "Agreed.", "author", 501));
      await receive("c3", "pull_request_review_comment", commentPayload(999, "Unrelated thread", "reviewer", null));
      await receive("t1", "pull_request_review_thread", threadPayload([501, 502]));
      token()
        .get("/repos/acme/widgets/collaborators/maintainer/permission")
        .reply(200, { permission: "write", role_name: "write", user: { login: "maintainer" } })
        .post("/repos/acme/widgets/pulls/comments/503/reactions", { content: "+1" })
        .reply(201, { id: 1, content: "+1" });

      await receive("c4", "pull_request_review_comment", commentPayload(503, "  /review-reviewer forget \n", "maintainer", 501));
      await jobs.idle();

      const left = (await store.list({ repo: "acme/widgets" })).map((s) => s.key).sort();
      expect(left).toEqual(["review_comment:999"]);
      // A redelivery of the forgotten comment does not bring it back.
      await receive("c1-again", "pull_request_review_comment", commentPayload(501, real, "reviewer", null));
      expect(await store.get("review_comment:501")).toBeUndefined();
      await store.close();
    });
  });

  it("refuses a user without write access, keeps everything, and says so with a reaction", async () => {
    await withTempDir(async (dir) => {
      const { store, jobs, receive } = await setup(dir);
      await receive("c1", "pull_request_review_comment", commentPayload(601, "Use a constant here.", "reviewer", null));
      token()
        .get("/repos/acme/widgets/collaborators/drive-by/permission")
        .reply(200, { permission: "read", role_name: "triage", user: { login: "drive-by" } })
        .post("/repos/acme/widgets/pulls/comments/602/reactions", { content: "confused" })
        .reply(201, { id: 2, content: "confused" });

      await receive("c2", "pull_request_review_comment", commentPayload(602, "/review-reviewer forget", "drive-by", 601));
      await jobs.idle();

      expect(await store.get("review_comment:601")).toBeDefined();
      expect(await store.get("review_comment:602")).toBeDefined();
      await store.close();
    });
  });
});

describe("installing the app", () => {
  const fake = (): FakeGitHub =>
    new FakeGitHub({ owner: "acme", name: "widgets", repoId: 4242, pulls: 8, comments: 12, suggestionEvery: 4, bodies: ["Please add a test."], start: new Date("2026-10-01T00:00:00Z") });

  const installPayload = (): Payload => {
    const p = examplePayload("installation", "created");
    Object.assign(p.installation as object, { id: INSTALLATION });
    return { ...p, repositories: [{ id: 4242, node_id: "R", name: "widgets", full_name: "acme/widgets", private: false }] };
  };

  it("backfills each repository in the background, within the configured window", async () => {
    await withTempDir(async (dir) => {
      const { store, jobs, receive } = await setup(dir);
      token()
        .get("/repos/acme/widgets/contents/.github%2Freview-reviewer.yml")
        .reply(200, "backfillDays: 60\n");
      // The frozen clock is 2026-11-22T10:00Z; 60 days earlier:
      expectBackfill(fake(), { since: "2026-09-23T10:00:00.000Z" });

      await receive("inst-1", "installation", installPayload());
      await jobs.idle();

      expect((await store.stats()).totals).toMatchObject({ pull_request: 8, review_comment: 12, correction: 12 });
      await store.close();
    });
  });

  it("skips an opted-out repository and deletes what was stored", async () => {
    await withTempDir(async (dir) => {
      const { store, jobs, receive } = await setup(dir);
      await receive("c1", "pull_request_review_comment", commentPayload(701, "Add a docstring.", "reviewer", null));
      token().get("/repos/acme/widgets/contents/.github%2Freview-reviewer.yml").reply(200, "harvest: false\n");

      await receive("inst-1", "installation", installPayload());
      await jobs.idle();

      expect(await store.list({ repo: "acme/widgets" })).toEqual([]);
      await store.close();
    });
  });

  it("does nothing with an invalid configuration", async () => {
    await withTempDir(async (dir) => {
      const { store, jobs, receive } = await setup(dir);
      await receive("c1", "pull_request_review_comment", commentPayload(801, "Add a docstring.", "reviewer", null));
      token().get("/repos/acme/widgets/contents/.github%2Freview-reviewer.yml").reply(200, "harvest: nope\n");

      await receive("inst-1", "installation", installPayload());
      await jobs.idle();

      expect((await store.list({ repo: "acme/widgets" })).map((s) => s.key)).toEqual(["review_comment:801"]);
      await store.close();
    });
  });
});

describe("a pull request closing", () => {
  it("derives its corrections and outcome in the background", async () => {
    await withTempDir(async (dir) => {
      const { store, jobs, receive } = await setup(dir);
      const fake = new FakeGitHub({ owner: "acme", name: "widgets", repoId: 4242, pulls: 3, comments: 6, suggestionEvery: 2, bodies: ["Check the result."], start: new Date("2026-10-01T00:00:00Z") });
      const pr = fake.pulls[1];
      if (pr === undefined) throw new Error("no PR");
      for (const c of pr.comments) {
        await receive(`c-${String(c.id)}`, "pull_request_review_comment", {
          action: "created",
          comment: fake.restComment(c),
          pull_request: { number: pr.number, user: { login: pr.author, id: 1, type: "User" } },
          repository,
          installation: { id: INSTALLATION },
        });
      }
      token()
        .get("/repos/acme/widgets/contents/.github%2Freview-reviewer.yml")
        .reply(404)
        .get("/repos/acme/.github/contents/.github%2Freview-reviewer.yml")
        .reply(404)
        .post("/graphql", (body: { query: string }) => /pr0: pullRequest\(number: 2\)/.test(body.query) && !/pr1:/.test(body.query))
        .reply(200, (_u, body) => fake.graphql((body as { query: string }).query))
        .post("/graphql", (body: { query: string }) => body.query.startsWith("query Blobs"))
        .reply(200, (_u, body) => fake.graphql((body as { query: string }).query));

      await receive("closed-2", "pull_request", { action: "closed", pull_request: fake.restPull(pr), repository, installation: { id: INSTALLATION }, sender: { login: pr.author, id: 1, type: "User" } });
      await jobs.idle();

      const corrections = await store.list({ kind: "correction" });
      expect(corrections.map((c) => (c.kind === "correction" ? c.status : "")).sort()).toEqual(pr.comments.map((c) => (c.changed ? "addressed" : "not_addressed")).sort());
      expect(await store.list({ kind: "pr_outcome" })).toEqual([expect.objectContaining({ pullNumber: 2, state: "merged" }) as unknown]);
      await store.close();
    });
  });
});
