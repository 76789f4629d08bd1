import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { buildExport, EXPORT_FORMATS, type ExportFormat } from "../export/training.js";
import { createGitHubApi, createOctokit } from "../github/api.js";
import { runBackfill } from "../jobs/backfill/backfill.js";
import { createActorClassifier } from "../signals/actor.js";
import { loadSettings, type Settings } from "../config/settings.js";
import { DAY_MS, systemClock } from "../shared/clock.js";
import type { Log } from "../shared/logger.js";
import { openStore } from "../store/registry.js";
import { renderProgress, renderSummary } from "./progress.js";
import type { CliIo } from "./main.js";
import { CHECKS_DIR, loadCatalog } from "../checks/catalog.js";
import { proposeRepo } from "../jobs/propose-repo.js";
import { proposeDepsFromSettings } from "../jobs/propose/from-settings.js";
import { renderRun } from "./render-run.js";

/** Settings from the environment, with `--data-dir` over DATA_DIR. */
export const cliSettings = (io: CliIo, dataDir: string | undefined): Settings =>
  loadSettings({ ...io.env, ...(dataDir !== undefined ? { DATA_DIR: dataDir } : {}) });

const REPO_RE = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

export const backfillCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { repo: { type: "string" }, since: { type: "string" }, "data-dir": { type: "string" }, days: { type: "string" } },
    strict: true,
  });
  const m = REPO_RE.exec(values.repo ?? "");
  if (m?.[1] === undefined || m[2] === undefined) {
    io.err("backfill needs --repo owner/name\n");
    return 2;
  }
  const now = systemClock();
  let since: Date;
  if (values.since !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(values.since) || Number.isNaN(Date.parse(values.since))) {
      io.err(`--since must be a date, YYYY-MM-DD: ${values.since}\n`);
      return 2;
    }
    since = new Date(`${values.since}T00:00:00Z`);
  } else {
    const days = Number(values.days ?? "180");
    if (!Number.isInteger(days) || days <= 0) {
      io.err("--days must be a positive whole number\n");
      return 2;
    }
    since = new Date(now.getTime() - days * DAY_MS);
  }
  const settings = cliSettings(io, values["data-dir"]);
  const octokit = await cliOctokit(io, m[1], m[2], (msg) => { io.err(`${msg}\n`); });
  const store = await openStore(settings.store, { dataDir: settings.dataDir });
  const log = cliLog(io);
  try {
    let lastPhase = "";
    const summary = await runBackfill(
      {
        api: createGitHubApi(octokit),
        store,
        clock: systemClock,
        classifier: createActorClassifier({ self: { appId: settings.appId, appSlug: settings.appSlug }, agentLogins: settings.agentLogins, botLogins: settings.botLogins }),
        log,
        onProgress: (p) => {
          const line = renderProgress(p);
          if (io.isTty === true) io.err(`\r\x1b[2K${line}`);
          else if (p.phase !== lastPhase || p.done % 10 === 0) io.err(`${line}\n`);
          lastPhase = p.phase;
        },
      },
      { owner: m[1], repo: m[2], installationId: null, since },
    );
    if (io.isTty === true) io.err("\n");
    io.out(renderSummary(summary));
    return 0;
  } finally {
    await store.close();
  }
};

/** GITHUB_TOKEN, or the app's own credentials acting as its installation on the repo. */
const cliOctokit = async (io: CliIo, owner: string, repo: string, onLimit: (m: string) => void): Promise<ReturnType<typeof createOctokit>> =>
  (await cliClient(io, owner, repo, onLimit)).octokit;

/** The client, and the login its writes appear under (its own PRs and issues are found by it). */
const cliClient = async (
  io: CliIo,
  owner: string,
  repo: string,
  onLimit: (m: string) => void,
): Promise<{ octokit: ReturnType<typeof createOctokit>; login: () => Promise<string> }> => {
  const set = (v: string | undefined): string | undefined => (v === undefined || v === "" ? undefined : v);
  const token = set(io.env.GITHUB_TOKEN) ?? set(io.env.GH_TOKEN);
  const baseUrl = set(io.env.GITHUB_API_URL);
  const common = { onLimit, ...(baseUrl !== undefined ? { baseUrl } : {}) };
  // The app's own credentials when given (its PRs then trigger CI, and carry its name), else a token.
  const appIdText = set(io.env.APP_ID);
  const keyPath = set(io.env.PRIVATE_KEY_PATH);
  const privateKey = set(io.env.PRIVATE_KEY) ?? (keyPath === undefined ? undefined : await readFile(keyPath, "utf8"));
  if (appIdText !== undefined && privateKey !== undefined) {
    const appId = Number(appIdText);
    if (!Number.isInteger(appId) || appId <= 0) throw new Error(`APP_ID must be the app's numeric id: ${appIdText}`);
    const asApp = createOctokit({ app: { appId, privateKey }, ...common });
    const { data } = await asApp.rest.apps.getRepoInstallation({ owner, repo });
    const installationId = data.id;
    return {
      octokit: createOctokit({ app: { appId, privateKey, installationId }, ...common }),
      login: async () => {
        const app = (await asApp.rest.apps.getAuthenticated()).data;
        if (app?.slug === undefined) throw new Error("GitHub did not say the app's slug; pass --as LOGIN");
        return `${app.slug}[bot]`;
      },
    };
  }
  if (token === undefined) throw new Error("set GITHUB_TOKEN, or APP_ID with PRIVATE_KEY or PRIVATE_KEY_PATH");
  const octokit = createOctokit({ token, ...common });
  return {
    octokit,
    login: async () => {
      try {
        return (await octokit.rest.users.getAuthenticated()).data.login;
      } catch (e) {
        // GitHub Actions' GITHUB_TOKEN is an installation token: it cannot read /user, and writes as github-actions[bot].
        if (io.env.GITHUB_ACTIONS === "true") return "github-actions[bot]";
        throw e;
      }
    },
  };
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
  const m = REPO_RE.exec(values.repo ?? "");
  if (m?.[1] === undefined || m[2] === undefined) {
    io.err("run needs --repo owner/name\n");
    return 2;
  }
  const [owner, repo] = [m[1], m[2]];
  const dryRun = values["dry-run"];
  const settings = cliSettings(io, values["data-dir"]);
  const client = await cliClient(io, owner, repo, (msg) => {
    io.err(`${msg}\n`);
  });
  const author = values.as ?? (await client.login());
  // A dry run only reads: it works beside a running app.
  const store = await openStore(settings.store, { dataDir: settings.dataDir, readOnly: dryRun });
  try {
    const outcome = await proposeRepo(
      {
        store,
        clock: systemClock,
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
  if (format === undefined || !(EXPORT_FORMATS as readonly string[]).includes(format) || values.out === undefined) {
    io.err("export needs --format dpo|sft and --out FILE.jsonl\n");
    return 2;
  }
  if (values.repo !== undefined && !REPO_RE.test(values.repo)) {
    io.err("--repo must be owner/name\n");
    return 2;
  }
  const settings = cliSettings(io, values["data-dir"]);
  const store = await openStore(settings.store, { dataDir: settings.dataDir, readOnly: true });
  try {
    const records = buildExport(await store.list(), format as ExportFormat, values.repo);
    await writeFile(values.out, records.map((r) => JSON.stringify(r)).join("\n") + (records.length > 0 ? "\n" : ""));
    io.out(`wrote ${String(records.length)} ${format} records to ${values.out}\n`);
    return 0;
  } finally {
    await store.close();
  }
};
