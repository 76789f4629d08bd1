import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { MAX_CHECK_FILE_BYTES, compileChecks, type InvalidCheck } from "../checks/learned/compile.js";
import { DEFAULT_DIFF_LIMITS, readAddedLines } from "../checks/learned/diff.js";
import { runChecks, titleFor } from "../checks/learned/run.js";
import { LEARNED_CHECKS_DIR } from "../checks/learned/schema.js";
import { errorMessage as message, SetupError, UsageError } from "./errors.js";
import type { CliIo } from "./main.js";


/** Reads every *.yml / *.yaml file directly in `dir`; unreadable and oversized files come back as invalid. */
const readCheckFiles = async (dir: string): Promise<{ files: { path: string; text: string }[]; invalid: InvalidCheck[] }> => {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const files: { path: string; text: string }[] = [];
  const invalid: InvalidCheck[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const s = await stat(path);
      if (!s.isFile()) continue;
      if (s.size > MAX_CHECK_FILE_BYTES) {
        invalid.push({ path, error: `the file is ${String(s.size)} bytes; a check file may be at most ${String(MAX_CHECK_FILE_BYTES)} bytes (64 KiB)` });
        continue;
      }
      files.push({ path, text: await readFile(path, "utf8") });
    } catch (e) {
      invalid.push({ path, error: `cannot read it: ${message(e)}` });
    }
  }
  return { files, invalid };
};

/**
 * `review-reviewer check --diff FILE.patch [--checks DIR] [--json]`: runs the
 * learned checks in DIR (default `.github/review-reviewer/checks`, relative
 * to the working directory) on the lines the diff adds, as the app does on a
 * pull request.
 *
 * Prints `path:line: severity [checkId] message` per finding (the message on
 * one line), or with --json exactly `[{path, line, checkId, severity,
 * message}]`. Invalid check files are reported on stderr and skipped; they
 * do not change the exit code (in the app they make the check run neutral,
 * never failing). Exit codes: 1 when a finding has severity failure, else 0;
 * 2 for usage errors (unknown option, no --diff, an unreadable diff or
 * checks directory, a file with no diff in it; a diff that adds no lines
 * is fine).
 */
export const checkCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { diff: { type: "string" }, checks: { type: "string" }, json: { type: "boolean", default: false } },
    strict: true,
  });
  if (values.diff === undefined) throw new UsageError("needs --diff FILE (a unified diff: git diff, git format-patch, or gh pr diff)");
  let diffText: string;
  try {
    diffText = await readFile(values.diff, "utf8");
  } catch (e) {
    throw new SetupError(`cannot read the diff ${values.diff}: ${message(e)}`);
  }
  const diff = readAddedLines(diffText);
  // Not a diff at all (an empty file, a log, the wrong file): checking nothing must not pass.
  if (diff.files + diff.skipped.files === 0) {
    throw new SetupError(`found no diff in ${values.diff}: expected a unified diff (git diff, git format-patch, gh pr diff), with diff --git or ---/+++ file headers`);
  }
  const dir = values.checks ?? LEARNED_CHECKS_DIR;
  let read: Awaited<ReturnType<typeof readCheckFiles>>;
  try {
    read = await readCheckFiles(dir);
  } catch (e) {
    throw new SetupError(`cannot read the checks directory ${dir}: ${message(e)}`);
  }
  const compiled = compileChecks(read.files);
  const invalid = [...read.invalid, ...compiled.invalid].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  for (const f of invalid) io.err(`${f.path}: invalid check, skipped: ${f.error}\n`);

  const annotations = runChecks(compiled.checks, diff.lines);
  if (values.json) {
    const rows = annotations.map((a) => ({ path: a.path, line: a.line, checkId: a.checkId, severity: a.severity, message: a.message }));
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
  } else {
    for (const a of annotations) io.out(`${a.path}:${String(a.line)}: ${a.severity} [${a.checkId}] ${a.message.replace(/\s+/g, " ").trim()}\n`);
  }

  const s = diff.skipped;
  const L = DEFAULT_DIFF_LIMITS;
  if (s.files > 0) io.err(`check: ${String(s.files)} file(s) past the limit of ${String(L.maxFiles)} were not checked\n`);
  if (s.lines > 0) io.err(`check: ${String(s.lines)} added line(s) past the limit of ${String(L.maxLines)} were not checked\n`);
  if (s.longLines > 0) io.err(`check: ${String(s.longLines)} added line(s) longer than ${String(L.maxLineLength)} characters were not checked\n`);
  if (s.binary > 0) io.err(`check: ${String(s.binary)} binary file(s) skipped\n`);
  io.err(
    `check: ${titleFor(annotations, invalid)} from ${String(compiled.checks.length)} check(s) on ${String(diff.lines.length)} added line(s) in ${String(diff.files)} file(s)\n`,
  );
  return annotations.some((a) => a.severity === "failure") ? 1 : 0;
};
