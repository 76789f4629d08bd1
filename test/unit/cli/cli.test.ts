import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { runCli, type CliIo } from "../../../src/cli/main.js";
import { COMMAND_NAMES } from "../../../src/cli/usage.js";
import { LowdbSignalStore } from "../../../src/store/lowdb-store.js";
import { commentSignal, upsertTx, withTempDir } from "../../helpers/signals.js";

const io = (env: Record<string, string> = {}): CliIo & { stdout: () => string; stderr: () => string } => {
  let out = "";
  let err = "";
  return { out: (t) => (out += t), err: (t) => (err += t), env, stdout: () => out, stderr: () => err };
};

describe("review-reviewer CLI", () => {
  it("prints stats by repo and kind, as JSON with --json", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: join(dir, "signals") });
      const a = commentSignal(0);
      await store.commit(upsertTx("d1", a, commentSignal(1)));
      await store.close();
      const json = io({ DATA_DIR: dir });
      const table = io();

      const codes = [await runCli(["stats", "--json"], json), await runCli(["stats", "--data-dir", dir], table)];

      expect(codes).toEqual([0, 0]);
      const parsed = JSON.parse(json.stdout()) as { repos: Record<string, Record<string, number>>; totals: Record<string, number> };
      expect(parsed.totals).toEqual({ review_comment: 2 });
      expect(Object.keys(parsed.repos)).toContain(a.repo);
      expect(table.stdout()).toMatch(/^repo\s+review_comment\s+review\s+review_thread\s+conversation_comment\s+pull_request\s+correction\s+pr_outcome\s+check_suite$/m);
      expect(table.stdout()).toMatch(/^total\s+2(\s+0){7}$/m);
    });
  });

  it("says so when the store is empty", async () => {
    await withTempDir(async (dir) => {
      await (await LowdbSignalStore.open({ dataDir: join(dir, "signals") })).close();
      const out = io({ DATA_DIR: dir });

      expect(await runCli(["stats"], out)).toBe(0);
      expect(out.stdout()).toContain("(no signals stored yet)");
    });
  });

  it("validates a config file and names each bad path", async () => {
    await withTempDir(async (dir) => {
      const good = join(dir, "good.yml");
      const bad = join(dir, "bad.yml");
      await writeFile(good, "authors:\n  bots:\n    - deploy-user\n");
      await writeFile(bad, "authors:\n  bots: deploy-user\n  colour: blue\n");
      const ok = io();
      const ko = io();

      expect(await runCli(["validate-config", good], ok)).toBe(0);
      expect(await runCli(["validate-config", bad], ko)).toBe(1);
      expect(ok.stdout()).toContain("valid");
      expect(ko.stderr()).toContain("authors.bots:");
      expect(ko.stderr()).toContain("colour");
    });
  });

  it("refuses to report on a data directory without a store, and does not create one", async () => {
    await withTempDir(async (dir) => {
      const dataDir = join(dir, "data");
      const out = io({ DATA_DIR: dataDir });

      expect(await runCli(["stats"], out)).toBe(2);
      expect(out.stderr()).toBe(`review-reviewer stats: no store at ${join(dataDir, "signals")}: run the app or backfill first, or pass --data-dir\n`);
      expect(existsSync(dataDir)).toBe(false);
    });
  });

  it.each([[["run", "--repo", "acme/widgets"]], [["run", "--repo", "acme/widgets", "--dry-run"]]])("refuses %j without a store instead of running on an empty one it creates", async (args) => {
    await withTempDir(async (dir) => {
      const dataDir = join(dir, "data");
      const out = io({ DATA_DIR: dataDir, GITHUB_TOKEN: "ghp_test" });

      expect(await runCli(args, out)).toBe(2);
      expect(out.stderr()).toBe(`review-reviewer run: no store at ${join(dataDir, "signals")}: run the app or backfill first, or pass --data-dir\n`);
      expect(existsSync(dataDir)).toBe(false);
    });
  });

  it.each(COMMAND_NAMES.flatMap((name) => [[name, "--help"], [name, "-h"]]))("%s %s prints the command's usage on stdout, exit 0, whatever else is given", async (name, flag) => {
    const out = io();

    // Help wins over missing and unknown options: it is what the user asked for.
    expect(await runCli([name, "--no-such-option", flag], out)).toBe(0);
    expect(out.stdout()).toMatch(new RegExp(`^Usage: review-reviewer ${name} .*\n\n`));
    expect(out.stdout()).toContain("-h, --help");
    expect(out.stderr()).toBe("");
  });

  it("treats --help after -- as an argument, not a request for help", async () => {
    const out = io();

    expect(await runCli(["validate-config", "--", "--help"], out)).toBe(1);
    expect(out.stderr()).toContain("--help: ENOENT");
  });

  it("lists every command in the overall usage", async () => {
    const out = io();

    expect(await runCli(["--help"], out)).toBe(0);
    for (const name of COMMAND_NAMES) expect(out.stdout()).toMatch(new RegExp(`^  ${name} `, "m"));
  });

  it("rejects help on an unknown command with usage and exit code 2", async () => {
    const out = io();

    expect(await runCli(["help", "frobnicate"], out)).toBe(2);
    expect(out.stderr()).toContain("review-reviewer help: unknown command: frobnicate");
  });

  it("rejects unknown commands with usage and exit code 2", async () => {
    const out = io();

    expect(await runCli(["frobnicate"], out)).toBe(2);
    expect(out.stderr()).toContain("Usage: review-reviewer");
  });
});
