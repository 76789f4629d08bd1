import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { parseConfig } from "../config/load.js";
import { openStore } from "../store/registry.js";
import { analyzeCommand } from "./analyze.js";
import { checkCommand } from "./check.js";
import { backfillCommand, cliSettings, exportCommand, runCommand } from "./commands.js";
import { renderStats } from "./stats.js";

const USAGE = `Usage: review-reviewer <command> [options]

Commands:
  stats [--json] [--data-dir DIR]   Stored signal counts by kind and by repo.
  backfill --repo owner/name [--since YYYY-MM-DD | --days N] [--data-dir DIR]
                                    Learn from the repo's past reviews (default: 180 days).
                                    Resumes where an interrupted run stopped.
  export --format dpo|sft --out FILE.jsonl [--repo owner/name] [--data-dir DIR]
                                    Training pairs from review history (see README).
  analyze --input FILE [--out DIR] [--config FILE] [--pulls FILE] [--repo-dir DIR]
                                    Find recurring feedback in a review-comment export
                                    (gh api --paginate repos/OWNER/REPO/pulls/comments),
                                    offline. --out writes clusters.json and report.md;
                                    --pulls (gh api ".../pulls?state=all") adds PR authors;
                                    --out also writes plan.json and proposals/ (the linters
                                    of --repo-dir, else guessed from file types).
  run --repo owner/name [--dry-run] [--as LOGIN] [--data-dir DIR]
                                    The weekly proposal run for one repository, now:
                                    proposal PRs and escalation issues from the stored
                                    signals (backfill first). --dry-run prints the plan
                                    and every body, and writes nothing. --as: the login
                                    the app's PRs and issues appear under, when it cannot
                                    be asked of GitHub.
  check --diff FILE.patch [--checks DIR] [--json]
                                    Run the learned checks in DIR (default
                                    .github/review-reviewer/checks) on the lines the diff
                                    adds (git diff, git format-patch, gh pr diff). Prints
                                    path:line: severity [check] message; --json prints
                                    [{path, line, checkId, severity, message}]. Invalid
                                    check files are reported and skipped. Exit 1 if a
                                    finding has severity failure, 2 on usage errors.
  validate-config FILE              Check a .github/review-reviewer.yml file.

Environment: DATA_DIR (default ./data); for backfill and run GITHUB_TOKEN, or APP_ID with
PRIVATE_KEY or PRIVATE_KEY_PATH (the app's own credentials); for analyze with llm.enabled,
ANTHROPIC_API_KEY.
`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress redraws one line). */
  isTty?: boolean;
}

/** Runs one CLI command and returns the exit code. */
export const runCli = async (argv: string[], io: CliIo): Promise<number> => {
  const [command, ...rest] = argv;
  switch (command) {
    case "stats":
      return stats(rest, io);
    case "validate-config":
      return validateConfig(rest, io);
    case "backfill":
      return backfillCommand(rest, io);
    case "export":
      return exportCommand(rest, io);
    case "analyze":
      return analyzeCommand(rest, io);
    case "run":
      return runCommand(rest, io);
    case "check":
      return checkCommand(rest, io);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      io.out(USAGE);
      return command === undefined ? 1 : 0;
    default:
      io.err(`unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
};

const stats = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { json: { type: "boolean", default: false }, "data-dir": { type: "string" } },
    strict: true,
  });
  const settings = cliSettings(io, values["data-dir"]);
  // Read-only: works while the app is running and never changes the store.
  const store = await openStore(settings.store, { dataDir: settings.dataDir, readOnly: true });
  try {
    const s = await store.stats();
    io.out(values.json ? `${JSON.stringify(s, null, 2)}\n` : renderStats(s));
    return 0;
  } finally {
    await store.close();
  }
};

const validateConfig = async (args: string[], io: CliIo): Promise<number> => {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const file = positionals[0];
  if (file === undefined) {
    io.err("validate-config needs a FILE\n");
    return 2;
  }
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, "utf8"));
  } catch (e) {
    io.err(`${file}: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const result = parseConfig(raw ?? {});
  if (result.ok) {
    io.out(`${file}: valid\n`);
    return 0;
  }
  for (const issue of result.issues) io.err(`${file}: ${issue.path === "" ? "(root)" : issue.path}: ${issue.message}\n`);
  return 1;
};
