/**
 * The CLI's help texts: `review-reviewer --help` and `review-reviewer
 * <command> --help`.
 *
 * Exit codes, for every command: 0 success; 1 the command ran and found a
 * problem (a failing check, an invalid config, bad input, a failed request);
 * 2 it could not run as asked (a usage error, missing credentials, no store).
 */

export const COMMAND_NAMES = ["doctor", "stats", "backfill", "export", "analyze", "run", "check", "validate-config"] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

export const isCommandName = (s: string): s is CommandName => (COMMAND_NAMES as readonly string[]).includes(s);

interface CommandHelp {
  synopsis: string;
  /** The lines under the command in the overall usage. */
  summary: string[];
  /** What `review-reviewer <command> --help` adds: options, environment, exit codes. */
  details: string;
}

const HELP: Record<CommandName, CommandHelp> = {
  doctor: {
    synopsis: "doctor [--offline] [--json]",
    summary: ["What is switched on and why not, with the fix for each problem."],
    details: `Reads .env and the environment as the app does, DATA_DIR and GitHub, and says
what is on: app id and slug (and where each came from), webhook secret, private
key, store (writable, free space, lock), weekly run, learned checks, LLM, and
the permissions and events the app's registration grants against app.yml
(GET /app with the app's JWT). Prints the fix for each problem; never prints a
secret (only whether it is set).

Options:
  --offline    Do not ask GitHub (no GET /app).
  --json       Print { "items": [{ name, state: ok|problem|off, detail, fix? }] }.
  -h, --help   Show this help.

Environment: APP_ID, PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, APP_SLUG,
DATA_DIR, ANTHROPIC_API_KEY, WEBHOOK_PROXY_URL, NODE_ENV; GHE_HOST (and
GHE_PROTOCOL) for GitHub Enterprise Server, as the app reads them, else
GITHUB_API_URL.

Exit codes: 0 nothing stops a feature; 1 something does; 2 usage error.
`,
  },
  stats: {
    synopsis: "stats [--json] [--data-dir DIR]",
    summary: ["Stored signal counts by kind and by repo."],
    details: `Stored signal counts by kind and by repository. Opens the store read-only,
so it works while the app is running.

Options:
  --json            Print { "repos": { "owner/name": { "<kind>": n } }, "totals": { "<kind>": n } }.
  --data-dir DIR    The app's data directory (default: DATA_DIR, else ./data).
  -h, --help        Show this help.

Exit codes: 0 success; 1 the store cannot be read; 2 usage error, or no store in
the data directory.
`,
  },
  backfill: {
    synopsis: "backfill --repo owner/name [--since YYYY-MM-DD | --days N] [--data-dir DIR]",
    summary: [
      "Learn from the repo's past reviews as the app does",
      "on install: its .github/review-reviewer.yml applies",
      "(harvest, backfillDays, retentionDays). Resumes",
      "where an interrupted run stopped.",
    ],
    details: `Backfills a repository's review history into the store, exactly as the app
does when it is installed: the repository's .github/review-reviewer.yml is
read first (org defaults and _extends apply). harvest: false deletes what is
stored for the repository and backfills nothing; retentionDays bounds the
window and is applied to the store after the backfill; an invalid file
stops the command before anything is written. Prints a progress line and a
summary. An interrupted run resumes where it stopped. Stop the app first:
one process writes the store at a time.

Options:
  --repo owner/name   The repository (required).
  --since YYYY-MM-DD  Read activity from this day on...
  --days N            ...or from N days ago (default: the config's backfillDays, 180).
  --data-dir DIR      The app's data directory (default: DATA_DIR, else ./data).
  -h, --help          Show this help.

Environment: GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH (the
app's own credentials, used when set; it finds the installation on the repo).
GHE_HOST (GitHub Enterprise Server, as the app) or GITHUB_API_URL for another
API. Empty values count as unset.

Exit codes: 0 done, or the repository opted out; 1 invalid repository config,
or GitHub or the store failed; 2 usage error or missing credentials.
`,
  },
  export: {
    synopsis: "export --format dpo|sft --out FILE.jsonl [--repo owner/name] [--data-dir DIR]",
    summary: ["Training pairs from review history (see README)."],
    details: `Writes training data from the stored review history as JSON lines: dpo
pairs (the code before and after an addressed comment) or sft examples.
Secrets are redacted. Opens the store read-only.

Options:
  --format dpo|sft    The record format (required).
  --out FILE.jsonl    Where to write (required).
  --repo owner/name   Only this repository.
  --data-dir DIR      The app's data directory (default: DATA_DIR, else ./data).
  -h, --help          Show this help.

Exit codes: 0 written; 1 the store cannot be read or the file written; 2 usage
error, or no store in the data directory.
`,
  },
  analyze: {
    synopsis: "analyze --input FILE [--out DIR] [--config FILE] [--pulls FILE] [--repo-dir DIR] [--data-dir DIR]",
    summary: [
      "Find recurring feedback in a review-comment export",
      "(gh api --paginate repos/OWNER/REPO/pulls/comments),",
      "offline. --out writes clusters.json and report.md;",
      '--pulls (gh api ".../pulls?state=all") adds PR authors;',
      "--out also writes plan.json and proposals/ (the linters",
      "of --repo-dir, else guessed from file types).",
    ],
    details: `Finds recurring feedback in a review-comment export, offline. The input is
a JSON array, concatenated arrays (gh api --paginate) or JSON lines of REST
review-comment objects. An export with no comments is not an error: the
summary says so and --out gets the usual, empty, files.

Options:
  --input FILE      The export (required): gh api --paginate repos/OWNER/REPO/pulls/comments
  --out DIR         Write clusters.json, report.md, dropped.json, plan.json and proposals/.
  --config FILE     A .github/review-reviewer.yml to apply (thresholds, authors, llm).
  --pulls FILE      A pulls export (gh api --paginate "repos/OWNER/REPO/pulls?state=all"): PR authors.
  --repo-dir DIR    A checkout whose linter configs decide rule or guideline in the plan.
  --data-dir DIR    Where the LLM answer cache lives (default: DATA_DIR, else ./data).
  -h, --help        Show this help.

Environment: ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL) when the config sets llm.enabled.

Exit codes: 0 analysed; 1 unreadable or invalid input or config; 2 usage error.
`,
  },
  run: {
    synopsis: "run --repo owner/name [--dry-run] [--as LOGIN] [--data-dir DIR]",
    summary: [
      "The weekly proposal run for one repository, now:",
      "proposal PRs and escalation issues from the stored",
      "signals (backfill first). --dry-run prints the plan",
      "and every body, and writes nothing. --as: the login",
      "the app's PRs and issues appear under, when it cannot",
      "be asked of GitHub.",
    ],
    details: `The weekly proposal run for one repository, now: proposal PRs and
escalation issues from the stored signals (run backfill first).

Options:
  --repo owner/name   The repository (required).
  --dry-run           Print the plan and every body; write nothing (opens the store read-only).
  --as LOGIN          The login earlier proposals were opened under, when GitHub cannot say it.
  --data-dir DIR      The app's data directory (default: DATA_DIR, else ./data).
  -h, --help          Show this help.

Environment: GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH (the
app's own credentials, used when set). GHE_HOST (GitHub Enterprise Server, as
the app) or GITHUB_API_URL for another API. Empty values count as unset.
ANTHROPIC_API_KEY where the repository sets llm.enabled.

Exit codes: 0 done; 1 invalid repository config or a failed proposal; 2 usage
error or missing credentials.
`,
  },
  check: {
    synopsis: "check --diff FILE.patch [--checks DIR] [--json]",
    summary: [
      "Run the learned checks in DIR (default",
      ".github/review-reviewer/checks) on the lines the diff",
      "adds (git diff, git format-patch, gh pr diff). Prints",
      "path:line: severity [check] message; --json prints",
      "[{path, line, checkId, severity, message}]. Invalid",
      "check files are reported and skipped. Exit 1 if a",
      "finding has severity failure, 2 on usage errors.",
    ],
    details: `Runs the learned checks on the lines a unified diff adds (git diff, git
format-patch, gh pr diff), as the app does on a pull request. Prints
path:line: severity [checkId] message per finding. Invalid check files are
reported on stderr and skipped.

Options:
  --diff FILE.patch   The diff (required).
  --checks DIR        The checks (default: .github/review-reviewer/checks).
  --json              Print [{path, line, checkId, severity, message}].
  -h, --help          Show this help.

Exit codes: 0 no failure; 1 a finding with severity failure; 2 usage error,
an unreadable diff or checks directory, or a file with no diff in it.
`,
  },
  "validate-config": {
    synopsis: "validate-config FILE",
    summary: ["Check a .github/review-reviewer.yml file."],
    details: `Checks a .github/review-reviewer.yml file and names every invalid path.

Options:
  -h, --help   Show this help.

Exit codes: 0 valid; 1 invalid or unreadable; 2 usage error.
`,
  },
};

const COLUMN = 36;

const overview = (name: CommandName): string => {
  const h = HELP[name];
  const indent = " ".repeat(COLUMN);
  const [first = "", ...rest] = h.summary;
  const head = `  ${h.synopsis}`;
  const lines = head.length < COLUMN ? [`${head.padEnd(COLUMN)}${first}`] : [head, `${indent}${first}`];
  return [...lines, ...rest.map((l) => `${indent}${l}`)].join("\n");
};

/** `review-reviewer --help`. */
export const USAGE = `Usage: review-reviewer <command> [options]

Commands:
${COMMAND_NAMES.map(overview).join("\n")}

Run 'review-reviewer <command> --help' for a command's options and exit codes.

Environment: DATA_DIR (default ./data); for backfill and run GITHUB_TOKEN, or APP_ID with
PRIVATE_KEY or PRIVATE_KEY_PATH (the app's own credentials); for analyze with llm.enabled,
ANTHROPIC_API_KEY. Empty values count as unset; .env in the working directory is read.
`;

/** `review-reviewer <command> --help`. */
export const commandUsage = (name: CommandName): string => `Usage: review-reviewer ${HELP[name].synopsis}\n\n${HELP[name].details}`;
