/**
 * `npm run bench:backfill`: the history backfill against a simulated
 * repository of 2,000 PRs and 20,000 review comments (half of them on lines
 * a later commit changed), served over loopback HTTP with GitHub's response
 * shapes (test/helpers/fake-github.ts). Prints the requests used, the lower
 * bound, what a naive per-PR harvest needs, and the wall time.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGitHubApi, createOctokit } from "../../src/github/api.js";
import { BLOB_BATCH_SIZE, PULL_BATCH_SIZE } from "../../src/github/queries.js";
import { runBackfill } from "../../src/jobs/backfill/backfill.js";
import { createActorClassifier } from "../../src/signals/actor.js";
import { silentLog } from "../../src/shared/logger.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { FakeGitHub } from "../helpers/fake-github.js";

const PULLS = Number(process.env.BENCH_PULLS ?? 2000);
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 20000);

const bodies = (): string[] => {
  const shared = "../shared/data/crc-py/review-comments.json";
  const file = existsSync(shared) ? shared : "test/fixtures/crc-py/review-comments-sample.json";
  const all = JSON.parse(readFileSync(file, "utf8")) as { body: string; user: { type: string } }[];
  return all.filter((c) => c.user.type !== "Bot").map((c) => c.body);
};

const main = async (): Promise<void> => {
  const fake = new FakeGitHub({
    owner: "acme",
    name: "monorepo",
    repoId: 777,
    pulls: PULLS,
    comments: COMMENTS,
    suggestionEvery: 10,
    bodies: bodies(),
    start: new Date("2026-06-01T00:00:00Z"),
  });
  const byRoute = new Map<string, number>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const count = (k: string): void => {
      byRoute.set(k, (byRoute.get(k) ?? 0) + 1);
    };
    const json = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const page = Number(url.searchParams.get("page") ?? "1");
      const since = url.searchParams.get("since");
      const list = (kind: "pulls" | "comments" | "issue_comments"): void => {
        count(`GET ${kind}`);
        const { items, link } = fake.restPage(kind, page, since);
        json(200, items, link === null ? {} : { link });
      };
      if (req.method === "POST" && url.pathname === "/graphql") {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { query: string };
        count(body.query.startsWith("query Blobs") ? "POST graphql blobs" : "POST graphql pulls");
        json(200, fake.graphql(body.query));
      } else if (url.pathname === "/repos/acme/monorepo") {
        count("GET repo");
        json(200, fake.restRepo());
      } else if (url.pathname === "/repos/acme/monorepo/pulls") list("pulls");
      else if (url.pathname === "/repos/acme/monorepo/pulls/comments") list("comments");
      else if (url.pathname === "/repos/acme/monorepo/issues/comments") list("issue_comments");
      else json(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  const dir = await mkdtemp(join(tmpdir(), "rr-bench-backfill-"));
  const store = await LowdbSignalStore.open({ dataDir: dir });
  try {
    const octokit = createOctokit({ token: "ghs_bench", baseUrl: `http://127.0.0.1:${String(port)}`, writeSpacingMs: 0 });
    const started = performance.now();
    const summary = await runBackfill(
      {
        api: createGitHubApi(octokit),
        store,
        clock: () => new Date(),
        classifier: createActorClassifier({ self: { appId: null, appSlug: null } }),
        log: silentLog,
      },
      { owner: "acme", repo: "monorepo", installationId: null, since: new Date("2026-05-01T00:00:00Z") },
    );
    const wallMs = performance.now() - started;
    const stats = await store.stats();
    const pullBatches = Math.ceil(PULLS / PULL_BATCH_SIZE);
    // Blob batches the design needs: per PR batch, its files with outdated comments, 50 per query.
    let blobBatches = 0;
    for (let i = 0; i < PULLS; i += PULL_BATCH_SIZE) {
      const files = new Set(fake.comments.filter((c) => c.changed && c.pull > i && c.pull <= i + PULL_BATCH_SIZE).map((c) => c.pull)).size;
      blobBatches += Math.ceil(files / BLOB_BATCH_SIZE);
    }
    const lowerBound = fake.listingPages() + pullBatches + blobBatches;
    const naive = fake.naiveRequests();
    const stored = stats.totals.review_comment ?? 0;
    const corrections = stats.totals.correction ?? 0;
    const ratio = summary.requests / lowerBound;
    const line = (k: string, v: string | number): void => {
      process.stdout.write(`${k.padEnd(34)} ${String(v)}\n`);
    };
    process.stdout.write(`simulated repo: ${String(PULLS)} PRs, ${String(COMMENTS)} review comments (${String(fake.comments.filter((c) => c.changed).length)} on lines later changed)\n`);
    for (const [route, n] of [...byRoute.entries()].sort()) line(`  ${route}`, n);
    line("requests used", summary.requests);
    line("lower bound", `${String(lowerBound)} (listing ${String(fake.listingPages())} + PR batches ${String(pullBatches)} + blob batches ${String(blobBatches)})`);
    line("naive per-PR REST harvest", naive);
    line("fewer than naive", `${(naive / summary.requests).toFixed(1)}x`);
    line("requests per 1,000 comments", summary.requestsPer1000Comments ?? "n/a");
    line("wall time", `${(wallMs / 1000).toFixed(1)} s (GraphQL spacing off; GitHub's 1 s spacing adds ~${String(pullBatches + blobBatches)} s)`);
    line("stored review comments", stored);
    line("corrections (addressed)", `${String(corrections)} (${String(summary.addressed)})`);
    line("exactly once", stored === COMMENTS && corrections === COMMENTS ? "yes" : "NO");
    if (ratio > 1.5) process.stdout.write(`TARGET MISSED: ${ratio.toFixed(2)}x the lower bound (target ≤ 1.5x)\n`);
    if (naive / summary.requests < 10) process.stdout.write("TARGET MISSED: fewer than 10x below the naive harvest\n");
    process.stdout.write(`backfill: requests=${String(summary.requests)} lower_bound=${String(lowerBound)} naive=${String(naive)} ratio=${ratio.toFixed(2)} stored_comments=${String(stored)}\n`);
  } finally {
    await store.close();
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
};

await main();
