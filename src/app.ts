import type { Probot } from "probot";
import { recordDelivery, type IngestDeps } from "./ingest/record.js";
import { RECORDED_EVENTS } from "./ingest/to-signal.js";
import type { JobQueue } from "./jobs/queue.js";
import { backfillRepo, processForget, refreshClosedPull } from "./jobs/repo-jobs.js";
import type { CompiledCheck, InvalidCheck } from "./checks/learned/compile.js";
import { enforceChecks } from "./jobs/enforce-checks.js";
import { processIgnore } from "./jobs/ignore-command.js";
import { isForgetCommand, isIgnoreCommand } from "./signals/governance.js";
import { clearState, uninstalledState, writeState } from "./store/state.js";
import type { Log } from "./shared/logger.js";

export interface AppDeps extends IngestDeps {
  /** Background work (backfills, commands): never awaited by a webhook. */
  jobs: JobQueue;
  /** The login the app writes as (`<slug>[bot]`); null when unknown (commands on proposals are then ignored). */
  selfLogin: string | null;
  /** The app's id: its own check runs are found by it; null turns learned-check enforcement off. */
  appId: number | null;
  /** Learned checks on PRs run in their own queue, so they never wait behind a backfill or the weekly run (default: `jobs`). */
  checks?: JobQueue;
}

/**
 * The Probot app: wiring only.
 *  - Recorded events go through one thin handler (guard → map → durable
 *    commit); the per-event logic lives in the pure mappers of ingest/to-signal.ts.
 *  - A `/review-reviewer forget` comment is recorded like any other, then
 *    handled in the background, after the delivery is acknowledged.
 *  - Installing the app, or adding repos to it, queues their history backfill.
 */
export const createApp =
  (deps: AppDeps) =>
  (app: Probot): void => {
    const jobDeps = { store: deps.store, clock: deps.clock, classifier: deps.classifier, log: app.log as Log };
    app.on(RECORDED_EVENTS, async (context) => {
      const outcome = await recordDelivery(deps, { id: context.id, name: context.name, payload: context.payload }, context.log);
      if (outcome.status !== "stored") return;
      if (context.name === "pull_request" && context.payload.action === "closed") {
        // Corrections and the outcome of a PR that just closed, off the webhook path.
        const owner = context.payload.repository.owner.login;
        const repo = context.payload.repository.name;
        const number = context.payload.pull_request.number;
        const installationId = context.payload.installation?.id ?? null;
        deps.jobs.enqueue(`refresh:${owner}/${repo}#${String(number)}`, async () => {
          await refreshClosedPull(jobDeps, context.octokit, { owner, repo, installationId }, number);
        });
        return;
      }
      if (context.name !== "pull_request_review_comment" || context.payload.action !== "created") return;
      for (const s of outcome.signals) {
        if (s.kind !== "review_comment" || !isForgetCommand(s.body) || s.author.kind !== "human") continue;
        deps.jobs.enqueue(`forget:${String(s.id)}`, async () => {
          await processForget(jobDeps, context.octokit, s);
        });
      }
    });
    // Learned checks (from the default branch) on every new head of a PR, after the delivery is acknowledged.
    const checksCache = new Map<string, { key: string; checks: CompiledCheck[]; invalid: InvalidCheck[] }>();
    app.on(["pull_request.opened", "pull_request.synchronize", "pull_request.reopened"], (context) => {
      const appId = deps.appId;
      if (appId === null || context.payload.installation === undefined) return Promise.resolve();
      const pr = context.payload.pull_request;
      const target = { owner: context.payload.repository.owner.login, repo: context.payload.repository.name, pullNumber: pr.number, headSha: pr.head.sha };
      (deps.checks ?? deps.jobs).enqueue(`checks:${target.owner}/${target.repo}#${String(target.pullNumber)}@${target.headSha}`, async () => {
        await enforceChecks({ appId, log: jobDeps.log, cache: checksCache }, context.octokit, target);
      });
      return Promise.resolve();
    });
    app.on("issue_comment.created", (context) => {
      // `/review-reviewer ignore` on one of the app's own proposals (PR or escalation issue).
      const { comment, issue, repository } = context.payload;
      const self = deps.selfLogin;
      if (self === null || !isIgnoreCommand(comment.body) || comment.user === null || comment.user.type === "Bot" || issue.user.login !== self) return Promise.resolve();
      const commenter = comment.user.login;
      const owner = repository.owner.login;
      const repo = repository.name;
      deps.jobs.enqueue(`ignore:${String(comment.id)}`, async () => {
        await processIgnore({ ...jobDeps, author: self }, context.octokit, {
          owner,
          repo,
          issueNumber: issue.number,
          issueState: issue.state,
          issueBody: issue.body ?? "",
          issueAuthor: issue.user.login,
          commentId: comment.id,
          commenter,
        });
      });
      return Promise.resolve();
    });
    app.on(["installation.created", "installation_repositories.added"], (context) => {
      const installationId = context.payload.installation.id;
      const repos = "repositories_added" in context.payload ? context.payload.repositories_added : (context.payload.repositories ?? []);
      for (const r of repos) {
        const [owner = "", repo = ""] = r.full_name.split("/");
        deps.jobs.enqueue(`backfill:${r.full_name.toLowerCase()}`, async () => {
          await clearState(deps.store, uninstalledState(r.full_name), deps.clock());
          await backfillRepo(jobDeps, context.octokit, { owner, repo, installationId });
        });
      }
      return Promise.resolve();
    });
    app.on(["installation.deleted", "installation_repositories.removed"], (context) => {
      // The weekly jobs stop for repositories the app can no longer reach (their signals follow the retention policy).
      const repos = "repositories_removed" in context.payload ? context.payload.repositories_removed : (context.payload.repositories ?? []);
      deps.jobs.enqueue(`uninstalled:${String(context.payload.installation.id)}:${context.id}`, async () => {
        const now = deps.clock();
        for (const r of repos) await writeState(deps.store, uninstalledState(r.full_name), { at: now.toISOString() }, now);
      });
      return Promise.resolve();
    });
  };
