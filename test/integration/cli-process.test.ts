import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { join } from "node:path";
import { COMMAND_NAMES } from "../../src/cli/usage.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { runCliProcess } from "../helpers/process.js";
import { commentSignal, upsertTx, withTempDir } from "../helpers/signals.js";

// What a user sees from the built binary (dist/cli/bin.js, built by `npm test`'s pretest): exit codes, stdout and stderr.

const PATCH = join(process.cwd(), "test/fixtures/checks/pr.patch");

const withStore = async (dir: string): Promise<void> => {
  const store = await LowdbSignalStore.open({ dataDir: join(dir, "signals"), fsync: false });
  await store.commit(upsertTx("d1", commentSignal(0), commentSignal(1)));
  await store.close();
};

describe("review-reviewer help", () => {
  it("prints the overall usage on stdout for --help, -h and help, exit 0", async () => {
    const runs = await Promise.all([["--help"], ["-h"], ["help"]].map((args) => runCliProcess(args, {})));

    for (const r of runs) {
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: review-reviewer <command> \[options\]\n/);
      expect(r.stdout).toContain("Run 'review-reviewer <command> --help'");
      expect(r.stderr).toBe("");
    }
  });

  it("prints the usage on stderr and exits 2 without a command", async () => {
    const r = await runCliProcess([], {});

    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^Usage: review-reviewer <command> \[options\]\n/);
  });

  it("every command prints its own usage on stdout for --help, -h and `help <command>`, exit 0", async () => {
    const runs = await Promise.all(
      COMMAND_NAMES.map(async (name) => ({ name, runs: await Promise.all([runCliProcess([name, "--help"], {}), runCliProcess([name, "-h"], {}), runCliProcess(["help", name], {})]) })),
    );

    for (const { name, runs: [long, short, topic] } of runs) {
      for (const r of [long, short, topic]) {
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: review-reviewer ${name} `));
        expect(r.stdout).toContain("Exit codes:");
        expect(r.stderr).toBe("");
      }
      expect(short.stdout).toBe(long.stdout);
      expect(topic.stdout).toBe(long.stdout);
    }
  });
});

describe("review-reviewer usage errors", () => {
  it("exit 2 on unknown options, missing values, stray arguments and bad values: the message and a pointer to --help, no stack trace", async () => {
    const cases: [string[], string][] = [
      [["analyze", "--nope"], "review-reviewer analyze: Unknown option '--nope'"],
      [["stats", "--bogus"], "review-reviewer stats: Unknown option '--bogus'"],
      [["export", "--format"], "review-reviewer export: Option '--format <value>' argument missing"],
      [["run", "--repo", "acme/widgets", "extra"], "review-reviewer run: Unexpected argument 'extra'. This command does not take positional arguments"],
      [["backfill"], "review-reviewer backfill: needs --repo owner/name"],
      [["backfill", "--repo", "acme/widgets", "--days", "1.5"], "review-reviewer backfill: --days must be a positive whole number: 1.5"],
      [["backfill", "--repo", "acme/widgets", "--days", "30", "--since", "2026-01-01"], "review-reviewer backfill: give --since or --days, not both"],
      [["validate-config", "a.yml", "b.yml"], "review-reviewer validate-config: takes one FILE; unexpected: b.yml"],
    ];

    const runs = await Promise.all(cases.map(([args]) => runCliProcess(args, { GITHUB_TOKEN: "ghs_unused" })));

    expect(runs.map((r) => [r.code, r.stderr, r.stdout])).toEqual(
      cases.map(([args, message]) => [2, `${message}\nRun 'review-reviewer ${args[0] ?? ""} --help' for usage.\n`, ""]),
    );
  });

  it("exit 2 on an unknown command, with the usage", async () => {
    const r = await runCliProcess(["frobnicate"], {});

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^review-reviewer: unknown command: frobnicate\n\nUsage: review-reviewer/);
  });
});

describe("review-reviewer credentials", () => {
  it("backfill and run without usable credentials: one line naming the variables, exit 2, nothing written", async () => {
    await withTempDir(async (dir) => {
      const cases: [string, Record<string, string>, string][] = [
        ["backfill", {}, "needs GitHub credentials: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH"],
        // What the Actions example passes when neither the app's secrets nor a token are set.
        ["run", { APP_ID: "", PRIVATE_KEY: "", GITHUB_TOKEN: "" }, "needs GitHub credentials: set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH"],
        ["backfill", { APP_ID: "4242", PRIVATE_KEY: "" }, "APP_ID is set without PRIVATE_KEY or PRIVATE_KEY_PATH: set the missing one, or GITHUB_TOKEN"],
        ["run", { PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----" }, "PRIVATE_KEY or PRIVATE_KEY_PATH is set without APP_ID: set the missing one, or GITHUB_TOKEN"],
        ["backfill", { APP_ID: "4242", PRIVATE_KEY_PATH: "/nonexistent/key.pem" }, "cannot read PRIVATE_KEY_PATH /nonexistent/key.pem: ENOENT: no such file or directory, open '/nonexistent/key.pem'"],
      ];

      const runs = await Promise.all(cases.map(([command, env]) => runCliProcess([command, "--repo", "acme/widgets"], { DATA_DIR: dir, ...env })));

      expect(runs.map((r) => [r.code, r.stderr, r.stdout])).toEqual(cases.map(([command, , message]) => [2, `review-reviewer ${command}: ${message}\n`, ""]));
      expect(await readdir(dir)).toEqual([]);
    });
  });

  it("backfill falls back to GITHUB_TOKEN when the Actions example passes APP_ID and PRIVATE_KEY empty, and needs no WEBHOOK_SECRET", async () => {
    await withTempDir(async (dir) => {
      const seen: string[] = [];
      const server = createServer((req: IncomingMessage, res: ServerResponse) => {
        seen.push(`${req.method ?? ""} ${req.url ?? ""} ${req.headers.authorization ?? "(no authorization)"}`);
        if (req.method === "GET" && req.url === "/repos/acme/widgets/contents/.github%2Freview-reviewer.yml") {
          res.writeHead(200, { "content-type": "text/plain; charset=utf-8" }).end("harvest: false\n");
          return;
        }
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      try {
        const r = await runCliProcess(["backfill", "--repo", "acme/widgets", "--days", "120", "--data-dir", dir], {
          GITHUB_TOKEN: "ghs_actions_token",
          APP_ID: "",
          PRIVATE_KEY: "",
          PRIVATE_KEY_PATH: "",
          GITHUB_API_URL: `http://127.0.0.1:${String(port)}`,
        });

        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("acme/widgets: harvest: false in .github/review-reviewer.yml — nothing backfilled; deleted 0 stored signals of the repository\n");
        expect(seen).toEqual(["GET /repos/acme/widgets/contents/.github%2Freview-reviewer.yml token ghs_actions_token"]);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  it("stats, export, analyze, check and validate-config ask for no credentials: a stray invalid APP_ID and no WEBHOOK_SECRET do not stop them", async () => {
    await withTempDir(async (dir) => {
      await withStore(dir);
      const comments = join(dir, "comments.json");
      await writeFile(comments, "[]");
      const config = join(dir, "review-reviewer.yml");
      await writeFile(config, "harvest: true\n");
      const env = { DATA_DIR: dir, APP_ID: "not-a-number", APP_SLUG: "Not A Slug" };

      const runs = await Promise.all([
        runCliProcess(["stats", "--json"], env),
        runCliProcess(["export", "--format", "sft", "--out", join(dir, "sft.jsonl")], env),
        runCliProcess(["analyze", "--input", comments], env),
        runCliProcess(["check", "--diff", PATCH, "--checks", join(dir, "no-checks")], env),
        runCliProcess(["validate-config", config], env),
      ]);

      expect(runs.map((r) => [r.code, r.stderr.split("\n")[0]])).toEqual([
        [0, ""],
        [0, ""],
        [0, ""],
        // --checks names a directory that does not exist: its own error, not one about APP_ID.
        [2, `review-reviewer check: cannot read the checks directory ${join(dir, "no-checks")}: ENOENT: no such file or directory, scandir '${join(dir, "no-checks")}'`],
        [0, ""],
      ]);
      expect((JSON.parse(runs[0].stdout) as { totals: unknown }).totals).toEqual({ review_comment: 2 });
    });
  });
});

describe("review-reviewer stats and export without a store", () => {
  it.each([
    ["stats", ["stats"]],
    ["stats", ["stats", "--json"]],
    ["export", ["export", "--format", "dpo", "--out", "OUT"]],
  ])("%s is an error naming the store, exit 2, and creates nothing", async (command, args) => {
    await withTempDir(async (dir) => {
      const dataDir = join(dir, "data");
      const out = join(dir, "out.jsonl");

      const [viaFlag, viaEnv] = await Promise.all([
        runCliProcess([...args.map((a) => (a === "OUT" ? out : a)), "--data-dir", dataDir], {}),
        runCliProcess(args.map((a) => (a === "OUT" ? out : a)), { DATA_DIR: dataDir }),
      ]);

      for (const r of [viaFlag, viaEnv]) {
        expect(r.code).toBe(2);
        expect(r.stderr).toBe(`review-reviewer ${command}: no store at ${join(dataDir, "signals")}: run the app or backfill first, or pass --data-dir\n`);
        expect(r.stdout).toBe("");
      }
      expect(existsSync(dataDir)).toBe(false);
      expect(existsSync(out)).toBe(false);
    });
  });
});

describe("review-reviewer check on a file that is not a diff", () => {
  it.each([
    ["an empty file", ""],
    ["plain text", "Fixed the flaky test.\nSee the log below.\n  at foo (bar.js:1:1)\n"],
    ["a hunk without file headers", "@@ -1 +1,2 @@\n a\n+console.log(1)\n"],
  ])("%s: says it found no diff in FILE, exit 2", async (_, text) => {
    await withTempDir(async (dir) => {
      const file = join(dir, "change.patch");
      await writeFile(file, text);

      const r = await runCliProcess(["check", "--diff", file, "--checks", join(process.cwd(), "test/fixtures/checks/learned")], {});

      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `review-reviewer check: found no diff in ${file}: expected a unified diff (git diff, git format-patch, gh pr diff), with diff --git or ---/+++ file headers\n`,
      );
      expect(r.stdout).toBe("");
    });
  });

  it("passes a real diff that adds no lines (a deletion, a rename), exit 0", async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, "removal.patch");
      await writeFile(
        file,
        "diff --git a/old.ts b/old.ts\ndeleted file mode 100644\n--- a/old.ts\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-console.log(1)\n-x\n" +
          "diff --git a/a.ts b/b.ts\nsimilarity index 100%\nrename from a.ts\nrename to b.ts\n",
      );

      const r = await runCliProcess(["check", "--diff", file, "--checks", join(process.cwd(), "test/fixtures/checks/learned"), "--json"], {});

      expect(r.code).toBe(0);
      expect(r.stdout).toBe("[]\n");
      expect(r.stderr).toBe("check: No findings from 3 check(s) on 0 added line(s) in 2 file(s)\n");
    });
  });
});

describe("review-reviewer analyze on an export without comments", () => {
  it.each([
    ["an empty array", "[]"],
    ["what gh --paginate prints for two empty pages", "[]\n[]\n"],
    ["an empty file", ""],
    ["empty JSON lines", "\n\n"],
  ])("%s: says there are no comments, writes the usual empty outputs, exit 0", async (_, text) => {
    await withTempDir(async (dir) => {
      const input = join(dir, "comments.json");
      const out = join(dir, "report");
      await writeFile(input, text);
      // A stale proposal from an earlier run goes, as with any run.
      await mkdir(join(out, "proposals"), { recursive: true });
      await writeFile(join(out, "proposals", "old.md"), "# stale\n");

      const r = await runCliProcess(["analyze", "--input", input, "--out", out], {});

      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout.split("\n")[0]).toBe(`no review comments in ${input}: nothing recurs yet`);
      expect((await readdir(out)).sort()).toEqual(["clusters.json", "dropped.json", "plan.json", "proposals", "report.md"]);
      for (const f of ["clusters.json", "dropped.json", "plan.json"]) expect(JSON.parse(await readFile(join(out, f), "utf8"))).toEqual([]);
      const report = await readFile(join(out, "report.md"), "utf8");
      expect(report).toContain("0 review comments");
      expect(report).toContain("days (no comments yet)");
      expect(await readdir(join(out, "proposals"))).toEqual([]);
    });
  });

  it("still rejects an invalid --config with an empty export, exit 1", async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, "comments.json");
      const config = join(dir, "config.yml");
      await writeFile(input, "[]");
      await writeFile(config, "learn:\n  scope: galaxy\n");

      const r = await runCliProcess(["analyze", "--input", input, "--config", config], {});

      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`analyze: ${config}: invalid config\n  learn.scope:`);
    });
  });
});
