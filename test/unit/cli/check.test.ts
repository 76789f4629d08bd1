import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { checkCommand } from "../../../src/cli/check.js";
import { runCli, type CliIo } from "../../../src/cli/main.js";
import { withTempDir } from "../../helpers/signals.js";

const FIXTURES = "test/fixtures/checks";
/** A git format-patch touching 3 files: a binary PNG, src/api/client.ts, and a rename with changes to src/util/timing.ts. */
const PATCH = join(FIXTURES, "pr.patch");
const CHECKS = join(FIXTURES, "learned");

const io = (): CliIo & { stdout: () => string; stderr: () => string } => {
  let out = "";
  let err = "";
  return { out: (t) => (out += t), err: (t) => (err += t), env: {}, stdout: () => out, stderr: () => err };
};

describe("review-reviewer check", () => {
  it("prints path:line: severity [checkId] message per finding and exits 1 on a failure", async () => {
    const cli = io();

    expect(await runCli(["check", "--diff", PATCH, "--checks", CHECKS], cli)).toBe(1);
    expect(cli.stdout()).toBe(
      [
        "src/api/client.ts:4: failure [no-console-log] Use the logger (src/shared/logger.ts) instead of console.log; debug output does not belong in committed code.",
        "src/api/client.ts:9: notice [todo-with-issue] Write TODO(#123) so the follow-up is tracked.",
        "src/api/client.ts:14: warning [no-fixed-delays] A fixed sleep of a second or more makes the code slow and flaky; wait for the condition instead, or mark a deliberate delay with // allow-delay.",
        "src/util/timing.ts:10: failure [no-console-log] Use the logger (src/shared/logger.ts) instead of console.log; debug output does not belong in committed code.",
        "",
      ].join("\n"),
    );
    expect(cli.stderr()).toBe("check: 1 binary file(s) skipped\ncheck: 2 failures, 1 warning, 1 notice from 3 check(s) on 10 added line(s) in 3 file(s)\n");
  });

  it("prints exactly [{path, line, checkId, severity, message}] with --json", async () => {
    const cli = io();

    expect(await checkCommand(["--diff", PATCH, "--checks", CHECKS, "--json"], cli)).toBe(1);
    const parsed = JSON.parse(cli.stdout()) as Record<string, unknown>[];
    expect(parsed.map((a) => Object.keys(a))).toEqual(Array.from({ length: 4 }, () => ["path", "line", "checkId", "severity", "message"]));
    expect(parsed.map(({ path, line, checkId, severity }) => ({ path, line, checkId, severity }))).toEqual([
      { path: "src/api/client.ts", line: 4, checkId: "no-console-log", severity: "failure" },
      { path: "src/api/client.ts", line: 9, checkId: "todo-with-issue", severity: "notice" },
      { path: "src/api/client.ts", line: 14, checkId: "no-fixed-delays", severity: "warning" },
      { path: "src/util/timing.ts", line: 10, checkId: "no-console-log", severity: "failure" },
    ]);
    // The JSON keeps the message as written (a folded YAML scalar here), not the one-line form.
    expect(parsed[2]?.message).toBe(
      "A fixed sleep of a second or more makes the code slow and flaky; wait for the condition instead, or mark a deliberate delay with // allow-delay.",
    );
  });

  it("exits 0 when the findings are warnings and notices only, and prints [] when there are none", async () => {
    await withTempDir(async (dir) => {
      for (const f of ["no-fixed-delays.yml", "todo-with-issue.yml"]) await copyFile(join(CHECKS, f), join(dir, f));
      const text = io();
      const empty = io();
      const clean = join(dir, "clean.patch");
      await writeFile(clean, "diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n@@ -1 +1,2 @@\n a\n+// TODO(#12): tracked\n");

      expect(await checkCommand(["--diff", PATCH, "--checks", dir], text)).toBe(0);
      expect(text.stdout().split("\n").filter((l) => l !== "")).toHaveLength(2);
      expect(await checkCommand(["--diff", clean, "--checks", dir, "--json"], empty)).toBe(0);
      expect(empty.stdout()).toBe("[]\n");
    });
  });

  it("reports an invalid check file on stderr, skips it and runs the others", async () => {
    await withTempDir(async (dir) => {
      await copyFile(join(CHECKS, "no-console-log.yml"), join(dir, "no-console-log.yml"));
      await writeFile(join(dir, "no-lookahead.yml"), "id: no-lookahead\ntitle: T\nmessage: M.\nseverity: failure\npattern: 'foo(?=bar)'\n");
      await writeFile(join(dir, "wrong-name.yaml"), "id: other-name\ntitle: T\nmessage: M.\nseverity: notice\npattern: x\n");
      await writeFile(join(dir, "notes.txt"), "not a check");
      const cli = io();

      expect(await checkCommand(["--diff", PATCH, "--checks", dir, "--json"], cli)).toBe(1);
      expect((JSON.parse(cli.stdout()) as { checkId: string }[]).map((a) => a.checkId)).toEqual(["no-console-log", "no-console-log"]);
      const err = cli.stderr().split("\n");
      expect(err[0]).toBe(
        `${join(dir, "no-lookahead.yml")}: invalid check, skipped: pattern: lookahead (?=…) is not supported: patterns run on RE2, which matches in linear time and has no backreferences or lookaround (RE2: invalid perl operator: (?=)`,
      );
      expect(err[1]).toBe(`${join(dir, "wrong-name.yaml")}: invalid check, skipped: id: "other-name" must equal the file's base name "wrong-name"`);
      expect(cli.stderr()).toContain("2 failures, 2 invalid check files from 1 check(s)");
    });
  });

  it("reads .github/review-reviewer/checks under the working directory by default", async () => {
    const patch = resolve(PATCH);
    const checks = resolve(CHECKS, "todo-with-issue.yml");
    await withTempDir(async (dir) => {
      await mkdir(join(dir, ".github/review-reviewer/checks"), { recursive: true });
      await writeFile(join(dir, ".github/review-reviewer/checks/todo-with-issue.yml"), await readFile(checks));
      const before = process.cwd();
      const cli = io();
      process.chdir(dir);
      try {
        expect(await checkCommand(["--diff", patch], cli)).toBe(0);
      } finally {
        process.chdir(before);
      }
      expect(cli.stdout()).toBe("src/api/client.ts:9: notice [todo-with-issue] Write TODO(#123) so the follow-up is tracked.\n");
    });
  });

  it.each([
    ["no --diff", ["--checks", CHECKS], "review-reviewer check: needs --diff FILE"],
    ["an unreadable diff", ["--diff", "test/fixtures/checks/missing.patch"], "check: cannot read the diff test/fixtures/checks/missing.patch: ENOENT"],
    ["a missing checks directory", ["--diff", PATCH, "--checks", "test/fixtures/checks/nowhere"], "check: cannot read the checks directory test/fixtures/checks/nowhere: ENOENT"],
    ["an unknown option", ["--diff", PATCH, "--format", "sarif"], "check: Unknown option '--format'"],
    ["a stray argument", ["--diff", PATCH, "extra"], "check: Unexpected argument 'extra'"],
  ])("exits 2 on %s", async (_, args, message) => {
    const cli = io();

    expect(await runCli(["check", ...args], cli)).toBe(2);
    expect(cli.stderr()).toContain(message);
    expect(cli.stdout()).toBe("");
  });

  it("is in the usage text", async () => {
    const cli = io();

    expect(await runCli(["help"], cli)).toBe(0);
    expect(cli.stdout()).toContain("check --diff FILE.patch [--checks DIR] [--json]");
  });
});
