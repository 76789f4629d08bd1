import type { OctokitLike } from "../github/api.js";

/**
 * Idempotent check runs (the publish layer): one run per check name and head
 * commit, found by name among the app's own runs on that commit and keyed by
 * `external_id`, updated only when its conclusion or output changed.
 */
export interface EnsureCheckRunInput {
  owner: string;
  repo: string;
  headSha: string;
  name: string;
  /** Stable key of what the run reports on (e.g. the learned check's id). */
  externalId: string;
  conclusion: "success" | "failure" | "neutral" | "action_required";
  output: { title: string; summary: string; text?: string };
  /** The app's own id: only its runs are candidates. */
  appId: number;
  dryRun: boolean;
}

export interface CheckRunResult {
  outcome: "created" | "updated" | "unchanged" | "dry-run-create" | "dry-run-update";
  id: number | null;
}

export const ensureCheckRun = async (octokit: OctokitLike, input: EnsureCheckRunInput): Promise<CheckRunResult> => {
  const o = { owner: input.owner, repo: input.repo };
  const runs = await octokit.rest.checks.listForRef({ ...o, ref: input.headSha, check_name: input.name, app_id: input.appId, filter: "latest", per_page: 100 });
  const mine = runs.data.check_runs.find((r) => r.external_id === input.externalId && r.app?.id === input.appId);
  const output = { title: input.output.title, summary: input.output.summary, ...(input.output.text === undefined ? {} : { text: input.output.text }) };
  if (mine === undefined) {
    if (input.dryRun) return { outcome: "dry-run-create", id: null };
    const created = await octokit.rest.checks.create({
      ...o,
      name: input.name,
      head_sha: input.headSha,
      external_id: input.externalId,
      status: "completed",
      conclusion: input.conclusion,
      output,
    });
    return { outcome: "created", id: created.data.id };
  }
  const same =
    mine.status === "completed" &&
    mine.conclusion === input.conclusion &&
    mine.output.title === input.output.title &&
    mine.output.summary === input.output.summary &&
    (input.output.text === undefined || mine.output.text === input.output.text);
  if (same) return { outcome: "unchanged", id: mine.id };
  if (input.dryRun) return { outcome: "dry-run-update", id: mine.id };
  await octokit.rest.checks.update({ ...o, check_run_id: mine.id, status: "completed", conclusion: input.conclusion, output });
  return { outcome: "updated", id: mine.id };
};
