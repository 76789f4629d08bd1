import { loadRepoConfig } from "../config/load.js";
import type { OctokitLike } from "../github/api.js";
import { listRepoRoot, readRepoFile } from "../github/files.js";
import { DEFAULT_CLUSTER_OPTIONS } from "../learn/cluster.js";
import { learnPatterns, type LearnOptions } from "../learn/learn.js";
import type { Cluster } from "../learn/types.js";
import { createBudget } from "../propose/budget.js";
import { detectLinters, linterProbeFiles } from "../propose/choose.js";
import { applyRuleEdit } from "../propose/edit/apply.js";
import { acceptance, decideProposal, latestByPattern, sameKind } from "../propose/lifecycle.js";
import { buildPlan, type PlanEntry } from "../propose/plan.js";
import { patternSnippets, type FixedCode } from "../propose/snippets.js";
import type { CorrectionPair } from "../propose/synthesize.js";
import { listOwnProposals } from "../publish/own-proposals.js";
import { readState, writeState } from "../store/state.js";
import { loadComments, trustedPattern } from "./propose/comments.js";
import { showConfigState } from "./propose/config-issue.js";
import { reportEffects } from "./propose/effects.js";
import { synthesizeChecks } from "./propose/learned.js";
import { publishEntry } from "./propose/publish-entry.js";
import { IgnoredSchema, PatternIdsSchema, StoredRefinementSchema, WrittenSchema, ignoredState, patternsState } from "./propose/state.js";
import type { ProposalAction, ProposeDeps, ProposeOutcome, ProposeTarget } from "./propose/types.js";
import { configReaderFor } from "./repo-jobs.js";

/**
 * The weekly proposal run for one repository: read its config (an invalid
 * one is shown in one issue and stops proposals), learn its patterns from
 * the stored review comments, plan a fix per recurring pattern, drop what
 * its own earlier proposals settled (merged, closed, ignored), apply the
 * write budget, and write through the publish layer only. Reports the
 * effect of merged proposals once and stores the acceptance rate.
 * `dryRun` reads everything and writes nothing (GitHub or store).
 */
export const proposeRepo = async (deps: ProposeDeps, octokit: OctokitLike, target: ProposeTarget): Promise<ProposeOutcome> => {
  const { owner, repo, dryRun } = target;
  const full = `${owner}/${repo}`;
  const o = { owner, repo };
  const log = deps.log;

  const config = await loadRepoConfig(configReaderFor(octokit, owner, repo));
  const issue = await showConfigState(octokit, { ...o, author: deps.author, dryRun }, config);
  if (!config.ok) {
    if (issue !== null) log.warn({ repo: full, issue: issue.number, outcome: issue.outcome }, "invalid configuration: proposals stopped");
    return { status: "invalid-config", issue: issue ?? { outcome: "unchanged", number: null }, config };
  }
  const schedule = config.config.proposals.schedule;
  if (!config.config.harvest) return { status: "opted-out", schedule };
  if (!config.config.proposals.enabled) return { status: "disabled", schedule };
  const cfg = config.config;
  const now = deps.clock();

  // Learn, keeping pattern ids stable across runs.
  const { comments, associations } = await loadComments(deps, cfg, owner, full);
  const idsName = patternsState(cfg, owner, full);
  const previous = await readState(deps.store, idsName, PatternIdsSchema);
  const learnOptions: LearnOptions = {
    thresholds: { minOccurrences: cfg.learn.minOccurrences, minPullRequests: cfg.learn.minPullRequests, windowDays: cfg.learn.windowDays },
    scope: cfg.learn.scope === "all" ? "org" : cfg.learn.scope,
    keep: cfg.learn.keep,
    cluster: DEFAULT_CLUSTER_OPTIONS,
    ...(previous === null ? {} : { previous }),
  };
  let learned = learnPatterns(comments, learnOptions);
  // A dry run makes no paid call and writes no cache.
  if (cfg.llm.enabled) {
    // Labels and merges only. The last applied refinement is kept, so a week the model fails (or a dry run,
    // which makes no call) does not flip titles and split merged patterns back into new proposals.
    const refinementName = `refinement:${idsName.slice("patterns:".length)}`;
    const fresh = deps.refine !== undefined && !dryRun ? await deps.refine(learned.clusters, new Map(comments.map((c) => [c.id, c.body])), cfg.llm) : null;
    const stored = await readState(deps.store, refinementName, StoredRefinementSchema);
    const refinement = fresh ?? (stored === null ? null : { titles: new Map(Object.entries(stored.titles)), categories: new Map(Object.entries(stored.categories)), merges: stored.merges });
    if (refinement !== null) learned = learnPatterns(comments, { ...learnOptions, refinement });
    if (fresh !== null) {
      await writeState(deps.store, refinementName, { titles: Object.fromEntries(fresh.titles), categories: Object.fromEntries(fresh.categories), merges: fresh.merges }, now);
    }
  }
  if (!dryRun) await writeState(deps.store, idsName, learned.clusters.map((c) => ({ id: c.id, commentIds: c.commentIds })), now);
  const lower = full.toLowerCase();
  const byId = new Map(comments.map((c) => [c.id, c]));
  // What a proposal in this repository may quote: its own comments only. Patterns pooled across an org
  // count the other repositories' comments, but never show their text, paths or links.
  const local = new Map(comments.filter((c) => c.repo.toLowerCase() === lower).map((c) => [c.id, c]));
  const untrusted = learned.clusters.filter((c) => c.recurring && !trustedPattern(c, associations));
  if (untrusted.length > 0) log.info({ repo: full, patterns: untrusted.map((c) => c.id) }, "recurring patterns from one reviewer without a role in the repository: not proposed");
  const here = learned.clusters
    .filter((c) => c.commentIds.some((id) => local.has(id)) && trustedPattern(c, associations))
    .map((c) => ({ ...c, examples: c.examples.filter((e) => e.repo.toLowerCase() === lower) }));
  const timesOf = (c: Cluster | undefined): string[] => (c === undefined ? [] : c.commentIds.flatMap((id) => byId.get(id)?.createdAt ?? []));

  // The repository's linters and their config files, at the default branch.
  const { names: rootNames, hasIssues, symlinks } = await listRepoRoot(octokit, o);
  const texts = new Map<string, string>();
  for (const name of linterProbeFiles(rootNames)) {
    const text = await readRepoFile(octokit, o, name);
    if (text !== null) texts.set(name, text);
  }
  const linters = detectLinters(rootNames, (name) => texts.get(name));
  // The code after each fix, from the correction signals of the backfill and closed PRs.
  const fixed = new Map<number, FixedCode>();
  const pairs = new Map<number, CorrectionPair>();
  for (const s of await deps.store.list({ kind: "correction" })) {
    if (s.kind !== "correction" || s.repo.toLowerCase() !== lower) continue;
    fixed.set(s.commentId, { path: s.path, after: s.after });
    if (s.status === "addressed") pairs.set(s.commentId, { before: s.before, after: s.after });
  }
  const suggest = cfg.llm.enabled && !dryRun ? deps.suggestPattern : undefined;
  const learnedChecks = await synthesizeChecks(octokit, o, here.filter((c) => c.recurring), pairs, log, suggest === undefined ? undefined : (p) => suggest(p, cfg.llm));
  const plan = buildPlan(here, (c) => c.commentIds.map((id) => byId.get(id)?.body ?? ""), deps.catalog, {
    linters,
    learned: learnedChecks,
    comments: local,
    snippets: (c) => patternSnippets(c, local, fixed),
    escalation: cfg.proposals.escalation,
    guidelinesFile: cfg.proposals.guidelinesFile,
    editConfig: (check, linter, file) => {
      const text = texts.get(file);
      return text === undefined ? null : applyRuleEdit(check, linter, file, text);
    },
  });

  // What its earlier proposals settled.
  const own = await listOwnProposals(octokit, { ...o, author: deps.author });
  const latest = latestByPattern(own);
  const ignored = new Map(Object.entries((await readState(deps.store, ignoredState(full), IgnoredSchema)) ?? {}));
  const clusterById = new Map(here.map((c) => [c.id, c]));
  const actions: ProposalAction[] = [];
  const candidates: PlanEntry[] = [];
  const attempts = new Map<string, number>();
  for (const entry of plan) {
    const decision = decideProposal(entry.patternId, latest.get(entry.patternId), { ignored }, timesOf(clusterById.get(entry.patternId)), now, cfg.learn.windowDays, cfg.learn.minOccurrences);
    if (decision.action === "suppress") {
      actions.push({ patternId: entry.patternId, kind: entry.kind, title: entry.title, action: "suppressed", number: latest.get(entry.patternId)?.number ?? null, reason: decision.reason, files: [], body: entry.body });
      continue;
    }
    attempts.set(entry.patternId, decision.attempt);
    candidates.push(entry);
  }
  const openIds = new Set([...latest.values()].filter((p) => p.state === "open").map((p) => p.patternId));
  const budget = createBudget(openIds, { maxOpenProposals: cfg.proposals.maxOpenProposals, maxNewPerRun: cfg.proposals.maxNewPerRun });
  const writtenName = `written:${lower}`;
  const written = (await readState(deps.store, writtenName, WrittenSchema)) ?? {};
  for (const entry of candidates) {
    const open = latest.get(entry.patternId);
    if (open?.state === "open" && !sameKind(open, entry.kind)) {
      // The fix changed kind while its proposal is open: that one stays as it is until a maintainer decides.
      actions.push({ patternId: entry.patternId, kind: entry.kind, title: entry.title, action: "skipped", number: open.number, reason: `#${String(open.number)} is open as another kind of fix; this ${entry.kind} waits until it is closed`, files: [], body: entry.body });
      continue;
    }
    const d = budget.decide(entry);
    const action = await publishEntry(deps, octokit, target, d, attempts.get(entry.patternId) ?? 1, cfg, { hasIssues, symlinks: new Set(symlinks), written });
    actions.push(action);
    if (d.action === "create" && (action.action === "created" || action.action === "dry-run-create")) budget.opened();
  }
  if (!dryRun) await writeState(deps.store, writtenName, written, now);

  const effects = await reportEffects(deps, octokit, target, latest, (id) => timesOf(learned.clusters.find((c) => c.id === id)), now, cfg.learn.windowDays);
  const rate = acceptance(own);
  if (!dryRun) await writeState(deps.store, `acceptance:${lower}`, { at: now.toISOString(), ...rate }, now);
  log.info(
    { repo: full, comments: comments.length, patterns: plan.length, actions: actions.map((a) => `${a.patternId}:${a.action}`), acceptance: rate.rate },
    dryRun ? "proposal dry run" : "proposal run",
  );
  return { status: "done", schedule, comments: comments.length, patterns: plan.length, linters: [...linters.found.keys()], actions, effects, acceptance: rate };
};

