import { createHash } from "node:crypto";
import type { OctokitLike } from "../github/api.js";

/** GitHub accepts at most 50 annotations per create or update request; later requests append. */
export const ANNOTATIONS_PER_REQUEST = 50;

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "notice" | "warning" | "failure";
  title: string;
  message: string;
}

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
  /** Line annotations, sent in batches of 50 (the first with the creation, the rest as updates that append). */
  annotations?: readonly CheckAnnotation[];
  /** The app's own id: only its runs are candidates. */
  appId: number;
  dryRun: boolean;
}

export interface CheckRunResult {
  outcome: "created" | "updated" | "unchanged" | "dry-run-create" | "dry-run-update";
  id: number | null;
}

/** A digest of the annotations, kept hidden in the summary: annotations cannot be replaced, so a change means a new run. */
const annotationsMarker = (annotations: readonly CheckAnnotation[]): string =>
  `<!-- review-reviewer:annotations:${createHash("sha256").update(JSON.stringify(annotations)).digest("hex").slice(0, 16)} -->`;

export const ensureCheckRun = async (octokit: OctokitLike, input: EnsureCheckRunInput): Promise<CheckRunResult> => {
  const o = { owner: input.owner, repo: input.repo };
  const annotations = input.annotations ?? [];
  const summary = annotations.length === 0 ? input.output.summary : `${input.output.summary}\n\n${annotationsMarker(annotations)}`;
  const runs = await octokit.rest.checks.listForRef({ ...o, ref: input.headSha, check_name: input.name, app_id: input.appId, filter: "latest", per_page: 100 });
  const mine = runs.data.check_runs.find((r) => r.external_id === input.externalId && r.app?.id === input.appId);
  const output = { title: input.output.title, summary, ...(input.output.text === undefined ? {} : { text: input.output.text }) };
  const create = async (): Promise<CheckRunResult> => {
    const batches: CheckAnnotation[][] = [];
    for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
    const [first = [], ...rest] = batches;
    const created = await octokit.rest.checks.create({
      ...o,
      name: input.name,
      head_sha: input.headSha,
      external_id: input.externalId,
      status: "completed",
      conclusion: input.conclusion,
      output: { ...output, ...(first.length > 0 ? { annotations: first } : {}) },
    });
    for (const batch of rest) await octokit.rest.checks.update({ ...o, check_run_id: created.data.id, output: { ...output, annotations: batch } });
    return { outcome: "created", id: created.data.id };
  };
  if (mine === undefined) {
    if (input.dryRun) return { outcome: "dry-run-create", id: null };
    return create();
  }
  const same =
    mine.status === "completed" &&
    mine.conclusion === input.conclusion &&
    mine.output.title === input.output.title &&
    mine.output.summary === summary &&
    (input.output.text === undefined || mine.output.text === input.output.text);
  if (same) return { outcome: "unchanged", id: mine.id };
  // Annotations can only be appended: when they differ, a new run (the latest one is what GitHub shows) replaces the old.
  const hadAnnotations = mine.output.annotations_count > 0;
  if (annotations.length > 0 || hadAnnotations) {
    if (input.dryRun) return { outcome: "dry-run-create", id: null };
    return create();
  }
  if (input.dryRun) return { outcome: "dry-run-update", id: mine.id };
  await octokit.rest.checks.update({ ...o, check_run_id: mine.id, status: "completed", conclusion: input.conclusion, output });
  return { outcome: "updated", id: mine.id };
};
