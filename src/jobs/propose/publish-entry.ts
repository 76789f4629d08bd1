import type { Config } from "../../config/schema.js";
import type { OctokitLike } from "../../github/api.js";
import { readRepoFile } from "../../github/files.js";
import type { BudgetDecision } from "../../propose/budget.js";
import { upsertGuidelines } from "../../propose/edit/guidelines.js";
import { proposalMarker } from "../../propose/lifecycle.js";
import { patternMarker, type PlanEntry } from "../../propose/plan.js";
import { ensureIssue } from "../../publish/ensure-issue.js";
import { ensurePullRequest } from "../../publish/ensure-pull-request.js";
import { digestOf } from "./state.js";
import type { ProposalAction, ProposeDeps, ProposeTarget } from "./types.js";

/** Publishing one plan entry through the publish layer (the only writer). */
/** The files a guideline PR changes: the guidelines file (created when missing) and the agent files the repository has. */
export const guidelineChanges = async (
  octokit: OctokitLike,
  o: { owner: string; repo: string },
  entry: PlanEntry,
  symlinks: ReadonlySet<string>,
): Promise<{ path: string; content: string }[]> => {
  const changes: { path: string; content: string }[] = [];
  const [guidelines, ...agentFiles] = entry.files ?? [];
  for (const path of [guidelines, ...agentFiles]) {
    // A symlink (CLAUDE.md -> AGENTS.md) is left a symlink: its target gets the line.
    if (path === undefined || symlinks.has(path)) continue;
    const text = await readRepoFile(octokit, o, path);
    if (text === null && path !== guidelines) continue;
    const edit = upsertGuidelines(text ?? "", [{ patternId: entry.patternId, text: entry.guideline ?? entry.title }]);
    if (edit.ok && edit.changed) changes.push({ path, content: edit.text });
  }
  return changes;
};

export const publishEntry = async (
  deps: ProposeDeps,
  octokit: OctokitLike,
  target: ProposeTarget,
  d: BudgetDecision,
  attempt: number,
  cfg: Config,
  repo: { hasIssues: boolean; symlinks: ReadonlySet<string>; written: Record<string, string> },
): Promise<ProposalAction> => {
  const { entry } = d;
  const o = { owner: target.owner, repo: target.repo };
  const marker = proposalMarker(entry.patternId, attempt);
  const body = attempt === 1 ? entry.body : entry.body.replace(patternMarker(entry.patternId), marker);
  const base: Omit<ProposalAction, "action" | "number" | "reason"> = { patternId: entry.patternId, kind: entry.kind, title: entry.title, files: [], body };
  if (d.action === "skip") return { ...base, action: "skipped", number: null, reason: d.reason };
  const digest = digestOf(entry.title, body);
  // Nothing new to say since the app last wrote this text: a maintainer's edit of it stays.
  const updateText = repo.written[entry.patternId] !== digest;
  const remember = (outcome: string): void => {
    if (outcome === "created" || outcome === "updated" || outcome === "unchanged") repo.written[entry.patternId] = digest;
  };
  try {
    if (entry.kind === "escalation") {
      if (!repo.hasIssues) return { ...base, action: "skipped", number: null, reason: "issues are turned off in this repository" };
      const r = await ensureIssue(octokit, { ...o, marker, title: entry.title, body, author: deps.author, dryRun: target.dryRun, updateText });
      remember(r.outcome);
      return { ...base, action: r.outcome, number: r.number, reason: null };
    }
    const files =
      entry.kind === "rule" || entry.kind === "check" ? (entry.changes ?? []).map((c) => ({ path: c.path, content: c.text })) : await guidelineChanges(octokit, o, entry, repo.symlinks);
    if (files.length === 0) {
      const why =
        entry.kind === "rule"
          ? `the rule is already enabled in ${entry.files?.join(", ") ?? "the config"}`
          : entry.kind === "check"
            ? "the check is already in the repository"
            : `every guideline file already says it, or its managed section is broken (${cfg.proposals.guidelinesFile})`;
      return { ...base, action: "skipped", number: null, reason: why };
    }
    const r = await ensurePullRequest(octokit, {
      ...o,
      patternId: entry.patternId,
      attempt,
      marker,
      title: entry.title,
      body,
      files,
      commitMessage: `${entry.title}\n\nProposed by review-reviewer from recurring review feedback (pattern ${entry.patternId}).`,
      dryRun: target.dryRun,
      updateText,
    });
    remember(r.outcome);
    if (r.outcome === "foreign") return { ...base, action: "skipped", number: r.number, reason: `${r.branch} holds someone else's work; the app leaves it alone` };
    return { ...base, files: files.map((f) => f.path), action: r.outcome === "closed" ? "closed-on-github" : r.outcome, number: r.number, reason: null };
  } catch (e) {
    // One proposal failing (a protected path, a 422) never stops the others.
    const status = typeof e === "object" && e !== null && "status" in e ? ` (HTTP ${String(e.status)})` : "";
    deps.log.warn({ repo: `${target.owner}/${target.repo}`, patternId: entry.patternId, status }, "proposal failed");
    return { ...base, action: "failed", number: null, reason: `${e instanceof Error ? e.message.split("\n")[0] ?? "" : String(e)}${status}` };
  }
};

