import { existsSync } from "node:fs";
import { join } from "node:path";
import nock from "nock";
import { runCli, type CliIo } from "../../src/cli/main.js";
import { cursorName, loadCursor, type BackfillCursor } from "../../src/jobs/backfill/backfill.js";
import type { ReviewCommentSignal } from "../../src/signals/signal.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { FROZEN_NOW } from "../helpers/env.js";
import { FakeGitHub } from "../helpers/fake-github.js";
import { expectBackfill } from "../helpers/nock-github.js";
import { TEST_APP_ID, testPrivateKey } from "../helpers/probot.js";
import { commentSignal, upsertTx, withTempDir } from "../helpers/signals.js";

// `review-reviewer backfill` reads the repository's config through the API and applies it as the app's
// backfill on install does (src/jobs/repo-jobs.ts). Strict nock: every request expected, every expectation used.

const API = "https://api.github.com";
const CONFIG_PATH = "/repos/acme/widgets/contents/.github%2Freview-reviewer.yml";
const ORG_CONFIG_PATH = "/repos/acme/.github/contents/.github%2Freview-reviewer.yml";
const NOW = new Date(FROZEN_NOW); // 2026-11-22T10:00:00Z

const cli = (env: Record<string, string>): CliIo & { stdout: () => string; stderr: () => string } => {
  let out = "";
  let err = "";
  return { out: (t) => (out += t), err: (t) => (err += t), env, isTty: false, clock: () => NOW, stdout: () => out, stderr: () => err };
};

const fakeRepo = (start: string): FakeGitHub =>
  new FakeGitHub({ owner: "acme", name: "widgets", repoId: 4242, pulls: 6, comments: 12, suggestionEvery: 4, bodies: ["Please add a test."], start: new Date(start) });

/** A stored review comment of `repo` on PR `pull`, last active at `updatedAt`. */
const stored = (n: number, repo: string, pull: number, updatedAt: string): ReviewCommentSignal => ({ ...commentSignal(n, { updatedAt }), repo, pullNumber: pull });

const seed = async (dataDir: string, ...signals: ReviewCommentSignal[]): Promise<void> => {
  const store = await LowdbSignalStore.open({ dataDir: join(dataDir, "signals"), fsync: false });
  await store.commit(upsertTx("seed", ...signals));
  await store.close();
};

const readStore = async <T>(dataDir: string, read: (store: LowdbSignalStore) => Promise<T>): Promise<T> => {
  const store = await LowdbSignalStore.open({ dataDir: join(dataDir, "signals"), readOnly: true });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
};

const configFile = (yaml: string): nock.Scope => nock(API).get(CONFIG_PATH).reply(200, yaml);

/** A run of acme/widgets from `since` that stopped before its first page was done. */
const interruptedRun = async (dataDir: string, since: string): Promise<void> => {
  const cursor: BackfillCursor = {
    v: 1, runId: "2026-11-20T00:00:00.000Z", since, phase: "pulls", page: 1, pulls: [], index: 0, repoId: 4242,
    installationId: null, requests: 1, startedAt: "2026-11-20T00:00:00.000Z", finishedAt: null,
  };
  const store = await LowdbSignalStore.open({ dataDir: join(dataDir, "signals"), fsync: false });
  await store.commit({ deliveryId: "interrupted", receivedAt: FROZEN_NOW, ops: [{ op: "cursor", name: cursorName("acme/widgets"), value: JSON.stringify(cursor) }] });
  await store.close();
};

describe("review-reviewer backfill honours the repository's config", () => {
  it("with harvest: false stores nothing, deletes the repository's earlier signals, says so and exits 0", async () => {
    await withTempDir(async (dir) => {
      await seed(dir, stored(1, "acme/widgets", 3, "2026-11-01T00:00:00Z"), stored(2, "acme/gadgets", 3, "2026-11-01T00:00:00Z"));
      configFile("harvest: false\n");
      const io = cli({ DATA_DIR: dir, GITHUB_TOKEN: "ghs_cli" });

      const code = await runCli(["backfill", "--repo", "acme/widgets"], io);

      expect(code).toBe(0);
      expect(io.stdout()).toBe("acme/widgets: harvest: false in .github/review-reviewer.yml — nothing backfilled; deleted 1 stored signal of the repository\n");
      expect(io.stderr()).toBe("");
      const left = await readStore(dir, async (s) => ({ widgets: await s.list({ repo: "acme/widgets" }), gadgets: await s.list({ repo: "acme/gadgets" }), cursor: await s.getCursor(cursorName("acme/widgets")) }));
      expect(left.widgets).toEqual([]);
      expect(left.gadgets).toHaveLength(1);
      expect(left.cursor).toBeNull();
    });
  });

  it("with an invalid config names the file and the path, exits 1 and writes nothing", async () => {
    await withTempDir(async (dir) => {
      configFile("harvest: nope\nretentionDays: -3\n");
      const io = cli({ DATA_DIR: dir, GITHUB_TOKEN: "ghs_cli" });

      const code = await runCli(["backfill", "--repo", "acme/widgets", "--days", "30"], io);

      expect(code).toBe(1);
      const err = io.stderr().split("\n");
      expect(err[0]).toBe(
        "review-reviewer backfill: invalid .github/review-reviewer.yml in acme/widgets: nothing backfilled, nothing written. Fix it (review-reviewer validate-config checks a copy):",
      );
      expect(err.slice(1).filter((l) => l !== "").map((l) => l.split(":")[0])).toEqual(["  harvest", "  retentionDays"]);
      expect(io.stdout()).toBe("");
      // The store was never opened, so not even its directory exists.
      expect(existsSync(join(dir, "signals"))).toBe(false);
    });
  });

  it("without --since or --days reads the window of the config's backfillDays", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo("2026-10-01T00:00:00Z");
      configFile("backfillDays: 60\n");
      // 60 days before the frozen 2026-11-22T10:00Z:
      expectBackfill(fake, { since: "2026-09-23T10:00:00.000Z" });
      const io = cli({ DATA_DIR: dir, GITHUB_TOKEN: "ghs_cli" });

      const code = await runCli(["backfill", "--repo", "acme/widgets"], io);

      expect(code).toBe(0);
      expect(io.stdout()).toContain("  since             2026-09-23 (backfillDays: 60)\n");
      expect(io.stdout()).toMatch(/review comments\s+12\n/);
      expect(io.stdout()).not.toContain("retention");
      expect((await readStore(dir, (s) => s.stats())).totals).toMatchObject({ pull_request: 6, review_comment: 12, correction: 12 });
    });
  });

  it("with retentionDays cuts a longer window to the retention period and deletes older stored signals", async () => {
    await withTempDir(async (dir) => {
      // The fake's PRs are active from 2026-11-01; the retention cutoff is 2026-10-23T10:00Z.
      const fake = fakeRepo("2026-11-01T00:00:00Z");
      await seed(dir, stored(1, "acme/widgets", 900, "2026-03-01T00:00:00Z"), stored(2, "acme/gadgets", 900, "2026-03-01T00:00:00Z"));
      configFile("retentionDays: 30\n");
      expectBackfill(fake, { since: "2026-10-23T10:00:00.000Z" });
      const io = cli({ DATA_DIR: dir, GITHUB_TOKEN: "ghs_cli" });

      const code = await runCli(["backfill", "--repo", "acme/widgets", "--days", "365"], io);

      expect(code).toBe(0);
      expect(io.stdout()).toContain("  since             2026-10-23 (retentionDays: 30; older activity would be deleted)\n");
      expect(io.stdout()).toContain("  retention         deleted 1 stored signal older than 30 days (retentionDays)\n");
      const after = await readStore(dir, async (s) => ({ old: await s.get("review_comment:1000001"), other: await s.get("review_comment:1000002"), stats: await s.stats() }));
      expect(after.old).toBeUndefined();
      // Another repository's signals follow its own config.
      expect(after.other).toBeDefined();
      expect(after.stats.repos["acme/widgets"]).toMatchObject({ pull_request: 6, review_comment: 12 });
    });
  });

  it("applies the retention period after the backfill: a resumed run's older window keeps nothing past it", async () => {
    await withTempDir(async (dir) => {
      // An interrupted run from before retentionDays was set, reading from 2026-01-01; the fake's PRs are all from early October.
      const fake = fakeRepo("2026-10-01T00:00:00Z");
      const since = "2026-01-01T00:00:00.000Z";
      await interruptedRun(dir, since);
      configFile("retentionDays: 30\n");
      expectBackfill(fake, { since, readsRepo: false });
      const io = cli({ DATA_DIR: dir, GITHUB_TOKEN: "ghs_cli" });

      const code = await runCli(["backfill", "--repo", "acme/widgets"], io);

      expect(code).toBe(0);
      expect(io.stdout()).toContain("backfill resumed and done");
      expect(io.stdout()).toContain("  since             2026-01-01 (the interrupted run's window)\n");
      expect(io.stdout()).toMatch(/review comments\s+12\n/);
      // Everything it read was last active before the cutoff (2026-10-23T10:00Z), so nothing of it stays.
      expect(await readStore(dir, (s) => s.list({ repo: "acme/widgets" }))).toEqual([]);
      expect(io.stdout()).toMatch(/retention {9}deleted \d+ stored signals older than 30 days/);
    });
  });

  it("resumes an interrupted run whose window covers the one asked for (--days asks a little later each time)", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo("2026-11-01T00:00:00Z");
      await interruptedRun(dir, "2026-10-01T00:00:00.000Z");
      configFile("backfillDays: 30\n");
      expectBackfill(fake, { since: "2026-10-01T00:00:00.000Z", readsRepo: false });
      const io = cli({ DATA_DIR: dir, GITHUB_TOKEN: "ghs_cli" });

      const code = await runCli(["backfill", "--repo", "acme/widgets", "--days", "30"], io);

      expect(code).toBe(0);
      expect(io.stdout()).toMatch(/^acme\/widgets: backfill resumed and done in/);
      expect(io.stdout()).toContain("  since             2026-10-01 (the interrupted run's window)\n");
    });
  });

  it("starts afresh when the window asked for reaches further back than the interrupted run's", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo("2026-11-01T00:00:00Z");
      await interruptedRun(dir, "2026-10-01T00:00:00.000Z");
      configFile("backfillDays: 30\n");
      expectBackfill(fake, { since: "2026-09-01T00:00:00.000Z" });
      const io = cli({ DATA_DIR: dir, GITHUB_TOKEN: "ghs_cli" });

      const code = await runCli(["backfill", "--repo", "acme/widgets", "--since", "2026-09-01"], io);

      expect(code).toBe(0);
      expect(io.stdout()).toMatch(/^acme\/widgets: backfill done in/);
      expect(io.stdout()).toContain("  since             2026-09-01 (--since/--days)\n");
    });
  });

  it("with the app's credentials acts as the installation and records it, so the app can resume the run", async () => {
    await withTempDir(async (dir) => {
      const fake = fakeRepo("2026-11-01T00:00:00Z");
      nock(API)
        .get("/repos/acme/widgets/installation")
        .reply(200, { id: 31337, account: { login: "acme" } })
        .post("/app/installations/31337/access_tokens")
        .reply(201, { token: "ghs_installation", expires_at: "2099-01-01T00:00:00Z" })
        .get(CONFIG_PATH)
        .reply(404)
        .get(ORG_CONFIG_PATH)
        .reply(404);
      expectBackfill(fake, { since: "2026-11-01T00:00:00.000Z" });
      const io = cli({ DATA_DIR: dir, APP_ID: String(TEST_APP_ID), PRIVATE_KEY: testPrivateKey(), GITHUB_TOKEN: "ghs_ignored" });

      const code = await runCli(["backfill", "--repo", "acme/widgets", "--since", "2026-11-01"], io);

      expect(code).toBe(0);
      expect(io.stdout()).toContain("  since             2026-11-01 (--since/--days)\n");
      const saved = await readStore(dir, async (s) => ({ cursor: await loadCursor(s, "acme/widgets"), comments: await s.list({ repo: "acme/widgets", kind: "review_comment" }) }));
      expect(saved.cursor).toMatchObject({ phase: "done", installationId: 31337 });
      expect(new Set(saved.comments.map((c) => c.installationId))).toEqual(new Set([31337]));
    });
  });
});
