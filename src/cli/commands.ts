import { writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { buildExport, EXPORT_FORMATS, type ExportFormat } from "../export/training.js";
import { backfillWithConfig, readRepoConfig } from "../jobs/repo-jobs.js";
import { createActorClassifier } from "../signals/actor.js";
import { DAY_MS, systemClock } from "../shared/clock.js";
import type { Log } from "../shared/logger.js";
import { openStore } from "../store/registry.js";
import { cliClient, type ClientContext } from "./client.js";
import { renderBackfillOutcome, renderInvalidConfig, renderProgress } from "./progress.js";
import type { CliIo } from "./main.js";
import { CHECKS_DIR, loadCatalog } from "../checks/catalog.js";
import { proposeRepo } from "../jobs/propose-repo.js";
import { proposeDepsFromSettings } from "../jobs/propose/from-settings.js";
import { renderRun } from "./render-run.js";
import { UsageError } from "./errors.js";
import { cliSettings, openExistingStore } from "./settings.js";

const REPO_RE = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/** owner and name from --repo. */
const repoOption = (value: string | undefined): [string, string] => {
  if (value === undefined) throw new UsageError("needs --repo owner/name");
  const m = REPO_RE.exec(value);
  if (m?.[1] === undefined || m[2] === undefined) throw new UsageError(`--repo must be owner/name: ${value}`);
  return [m[1], m[2]];
};

/** --since or --days as the start of the window; undefined when neither is given (the repo config's backfillDays). */
const windowOption = (since: string | undefined, days: string | undefined, now: Date): Date | undefined => {
  if (since !== undefined && days !== undefined) throw new UsageError("give --since or --days, not both");
  if (since !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(since) || Number.isNaN(Date.parse(since))) throw new UsageError(`--since must be a date, YYYY-MM-DD: ${since}`);
    return new Date(`${since}T00:00:00Z`);
  }
  if (days === undefined) return undefined;
  const n = Number(days);
  if (!/^\d+$/.test(days) || !Number.isSafeInteger(n) || n <= 0) throw new UsageError(`--days must be a positive whole number: ${days}`);
  return new Date(now.getTime() - n * DAY_MS);
};

const clientContext = (io: CliIo): ClientContext => ({
  env: io.env,
  onLimit: (line) => {
    io.err(`${line}\n`);
  },
  note: (line) => {
    io.err(`note: ${line}\n`);
  },
});

/**
 * `review-reviewer backfill --repo owner/name [--since D | --days N]`: the
 * app's backfill on install, run by hand. The repository's config is read
 * first, as the app does: an invalid one stops before the store is opened;
 * harvest: false deletes the repo's stored signals and backfills nothing;
 * retentionDays bounds the window and is applied after the backfill.
 */
export const backfillCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { repo: { type: "string" }, since: { type: "string" }, "data-dir": { type: "string" }, days: { type: "string" } },
    strict: true,
  });
  const [owner, repo] = repoOption(values.repo);
  const clock = io.clock ?? systemClock;
  const since = windowOption(values.since, values.days, clock());
  const settings = cliSettings(io, values["data-dir"], "backfill");
  const client = await cliClient(clientContext(io), owner, repo);
  const target = { owner, repo, installationId: client.installationId };
  const config = await readRepoConfig(client.octokit, target);
  if (!config.ok) {
    io.err(renderInvalidConfig(`${owner}/${repo}`, config));
    return 1;
  }
  const store = await openStore(settings.store, { dataDir: settings.dataDir });
  try {
    let lastPhase = "";
    const outcome = await backfillWithConfig(
      {
        store,
        clock,
        classifier: createActorClassifier({ self: { appId: settings.appId, appSlug: settings.appSlug }, agentLogins: settings.agentLogins, botLogins: settings.botLogins }),
        log: cliLog(io),
      },
      client.octokit,
      target,
      config.config,
      {
        ...(since === undefined ? {} : { since }),
        onProgress: (p) => {
          const line = renderProgress(p);
          if (io.isTty === true) io.err(`\r\x1b[2K${line}`);
          else if (p.phase !== lastPhase || p.done % 10 === 0) io.err(`${line}\n`);
          lastPhase = p.phase;
        },
      },
    );
    if (io.isTty === true && outcome.status === "done") io.err("\n");
    io.out(renderBackfillOutcome(`${owner}/${repo}`, config.config, outcome));
    return 0;
  } finally {
    await store.close();
  }
};

const cliLog = (io: CliIo): Log => ({
  debug: () => undefined,
  info: () => undefined,
  warn: (obj, msg) => {
    io.err(`warning: ${msg} ${JSON.stringify(obj)}\n`);
  },
  error: (obj, msg) => {
    io.err(`error: ${msg} ${JSON.stringify(obj)}\n`);
  },
});

/**
 * `review-reviewer run --repo owner/name [--dry-run]`: the weekly proposal
 * run for one repository, now, from the stored signals (fill them with
 * `backfill` first). `--dry-run` reads GitHub and the store and prints the
 * plan with every body; it writes nothing.
 */
export const runCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { repo: { type: "string" }, "dry-run": { type: "boolean", default: false }, "data-dir": { type: "string" }, as: { type: "string" } },
    strict: true,
  });
  const [owner, repo] = repoOption(values.repo);
  const dryRun = values["dry-run"];
  const settings = cliSettings(io, values["data-dir"], "all");
  const client = await cliClient(clientContext(io), owner, repo);
  // A run learns from the stored signals: without a store there is nothing to learn from (backfill first).
  // A dry run only reads: it works beside a running app.
  const store = await openExistingStore(settings, { readOnly: dryRun });
  try {
    const author = values.as ?? (await client.login());
    const outcome = await proposeRepo(
      {
        store,
        clock: io.clock ?? systemClock,
        log: cliLog(io),
        catalog: await loadCatalog(CHECKS_DIR),
        author,
        ...proposeDepsFromSettings(settings, (line) => {
          io.err(`${line}\n`);
        }),
      },
      client.octokit,
      { owner, repo, dryRun },
    );
    io.out(renderRun(outcome, dryRun));
    // A failed proposal makes the run fail too, so a scheduled workflow shows it.
    return outcome.status === "invalid-config" || (outcome.status === "done" && outcome.actions.some((a) => a.action === "failed")) ? 1 : 0;
  } finally {
    await store.close();
  }
};

export const exportCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { format: { type: "string" }, out: { type: "string" }, repo: { type: "string" }, "data-dir": { type: "string" } },
    strict: true,
  });
  const format = values.format;
  if (format === undefined || values.out === undefined) throw new UsageError("needs --format dpo|sft and --out FILE.jsonl");
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${EXPORT_FORMATS.join(" or ")}: ${format}`);
  if (values.repo !== undefined) repoOption(values.repo);
  const settings = cliSettings(io, values["data-dir"], "store");
  const store = await openExistingStore(settings);
  try {
    const records = buildExport(await store.list(), format as ExportFormat, values.repo);
    await writeFile(values.out, records.map((r) => JSON.stringify(r)).join("\n") + (records.length > 0 ? "\n" : ""));
    io.out(`wrote ${String(records.length)} ${format} records to ${values.out}\n`);
    return 0;
  } finally {
    await store.close();
  }
};
