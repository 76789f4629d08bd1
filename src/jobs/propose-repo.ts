import { createHash } from "node:crypto";
import { z } from "zod";
import type { Check } from "../checks/schema.js";
import { loadRepoConfig, renderConfigIssues, type ConfigResult } from "../config/load.js";
import type { Config } from "../config/schema.js";
import type { OctokitLike } from "../github/api.js";
import { listRepoRoot, readRepoFile } from "../github/files.js";
import { DEFAULT_CLUSTER_OPTIONS } from "../learn/cluster.js";
import { learnPatterns, type LearnOptions } from "../learn/learn.js";
import type { Refiner } from "../llm/run-refine.js";
import { CATEGORIES, type Cluster, type LearnComment } from "../learn/types.js";
import { createBudget, type BudgetDecision } from "../propose/budget.js";
import { detectLinters, linterProbeFiles, type Linter } from "../propose/choose.js";
import { applyRuleEdit } from "../propose/edit/apply.js";
import { upsertGuidelines } from "../propose/edit/guidelines.js";
import {
  acceptance,
  decideProposal,
  effectMarker,
  latestByPattern,
  measureEffect,
  proposalMarker,
  renderEffect,
  sameKind,
  type Acceptance,
  type Effect,
  type OwnProposal,
} from "../propose/lifecycle.js";
import { buildPlan, patternMarker, type PlanEntry } from "../propose/plan.js";
import { patternSnippets, type FixedCode } from "../propose/snippets.js";
import { MIN_PAIRS, synthesizeCheck, validateCandidate, type CorrectionPair } from "../propose/synthesize.js";
import type { PatternSuggester } from "../llm/suggest-pattern.js";
import type { LearnedCandidate } from "../propose/choose.js";
import { readAddedLines } from "../checks/learned/diff.js";
import { ensureComment, ensureIssue, findMarkedIssue, type EnsureResult } from "../publish/ensure-issue.js";
import { ensurePullRequest } from "../publish/ensure-pull-request.js";
import { listOwnProposals } from "../publish/own-proposals.js";
import type { SelfIdentity } from "../signals/actor.js";
import { classifierForRepo, reclassifySignal } from "../signals/reclassify.js";
import type { ReviewCommentSignal } from "../signals/signal.js";
import type { Clock } from "../shared/clock.js";
import type { Log } from "../shared/logger.js";
import { readState, writeState } from "../store/state.js";
import type { SignalStore } from "../store/store.js";
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
export interface ProposeDeps {
  store: SignalStore;
  clock: Clock;
  log: Log;
  catalog: readonly Check[];
  /** The login the app writes as (`<slug>[bot]`, or the token's user): its own PRs and issues are found by it. */
  author: string;
  self: SelfIdentity;
  /** App-wide agent and bot logins (settings), besides the repo's config. */
  agentLogins?: readonly string[];
  botLogins?: readonly string[];
  /** The optional LLM pass, used where a repository sets `llm.enabled` (absent without an API key). */
  refine?: Refiner;
  /** The optional model suggestion of a learned-check pattern, validated like a synthesized one. */
  suggestPattern?: PatternSuggester;
}

export interface ProposeTarget {
  owner: string;
  repo: string;
  dryRun: boolean;
}

export interface ProposalAction {
  patternId: string;
  kind: PlanEntry["kind"];
  title: string;
  action: "created" | "updated" | "unchanged" | "closed-on-github" | "skipped" | "suppressed" | "failed" | "dry-run-create" | "dry-run-update";
  number: number | null;
  reason: string | null;
  files: string[];
  /** The PR or issue body as written (or as it would be, in a dry run). */
  body: string;
}

export interface EffectReport {
  patternId: string;
  number: number;
  effect: Effect;
  outcome: EnsureResult["outcome"];
}

export type ProposeOutcome =
  | { status: "invalid-config"; issue: EnsureResult; config: Extract<ConfigResult, { ok: false }> }
  | { status: "opted-out"; schedule: string }
  | { status: "disabled"; schedule: string }
  | {
      status: "done";
      schedule: string;
      comments: number;
      patterns: number;
      linters: Linter[];
      actions: ProposalAction[];
      effects: EffectReport[];
      acceptance: Acceptance;
    };

export const CONFIG_MARKER = "<!-- review-reviewer:config -->";
const CONFIG_TITLE = "review-reviewer: the configuration is invalid";

/** A stored review comment as the learning core sees it. */
export const toLearnComment = (s: ReviewCommentSignal): LearnComment => {
  const line = s.line ?? s.originalLine;
  const start = s.startLine ?? s.originalStartLine;
  return {
    id: s.id,
    repo: s.repo,
    pullNumber: s.pullNumber,
    body: s.body,
    path: s.path,
    diffHunk: s.diffHunk,
    span: line !== null && start !== null && line >= start ? line - start + 1 : 1,
    author: s.author.login,
    authorKind: s.author.kind,
    pullAuthor: s.pullAuthor,
    createdAt: new Date(s.createdAt).toISOString(),
    url: s.htmlUrl,
    inReplyTo: s.inReplyToId,
  };
};

const PatternIdsSchema = z.array(z.object({ id: z.string().min(1).max(100), commentIds: z.array(z.number().int()) }));
const StoredRefinementSchema = z.object({
  titles: z.record(z.string(), z.string().max(200)),
  categories: z.record(z.string(), z.enum(CATEGORIES)),
  merges: z.array(z.tuple([z.string(), z.string()])),
});
const IgnoredSchema = z.record(z.string(), z.object({ by: z.string(), at: z.string() }));
/** Pattern id → digest of the title and body the app last wrote: unchanged text is not written again over a maintainer's edit. */
const WrittenSchema = z.record(z.string(), z.string());
const digestOf = (title: string, body: string): string => createHash("sha256").update(`${title}\n${body}`).digest("hex").slice(0, 32);

/** Where a scope's pattern ids are kept: ids are per learning scope, not per run. */
const patternsState = (config: Config, owner: string, full: string): string =>
  `patterns:${config.learn.scope === "repo" ? full.toLowerCase() : `org:${owner.toLowerCase()}`}`;

export const ignoredState = (full: string): string => `ignored:${full.toLowerCase()}`;

/** Record `/review-reviewer ignore` for a pattern (the command handler calls this). */
export const recordIgnore = async (store: SignalStore, full: string, patternId: string, by: string, now: Date): Promise<void> => {
  const ignored = (await readState(store, ignoredState(full), IgnoredSchema)) ?? {};
  if (ignored[patternId] !== undefined) return;
  await writeState(store, ignoredState(full), { ...ignored, [patternId]: { by, at: now.toISOString() } }, now);
};

const configIssueBody = (config: Extract<ConfigResult, { ok: false }>): string =>
  [
    CONFIG_MARKER,
    renderConfigIssues(config),
    "",
    "review-reviewer keeps recording reviews, but opens and updates no proposal until the file is valid. This issue is updated while the problem lasts and closed once it is fixed.",
    "",
    "Check a file locally with `npx review-reviewer validate-config .github/review-reviewer.yml`.",
    "",
  ].join("\n");

const CONFIG_FIXED = [CONFIG_MARKER, "The configuration is valid again; proposals resumed.", ""].join("\n");

/**
 * Stored comments of the learning scope, with actor kinds re-derived from
 * the repo's `authors` config. Repository names match case-insensitively
 * (GitHub's do). `org` pools only the repositories of the same owner under
 * the same installation; `all` is for offline analysis and counts as `org`
 * here, so one installation never learns from another's reviews.
 */
const loadComments = async (deps: ProposeDeps, config: Config, owner: string, full: string): Promise<{ comments: LearnComment[]; associations: Map<number, string> }> => {
  const classifier = classifierForRepo(config.authors, deps.self, deps.agentLogins ?? [], deps.botLogins ?? []);
  const ownerPrefix = `${owner.toLowerCase()}/`;
  const lower = full.toLowerCase();
  const all = await deps.store.list({ kind: "review_comment" });
  const installation = all.find((s) => s.repo.toLowerCase() === lower)?.installationId ?? null;
  const signals =
    config.learn.scope === "repo"
      ? all.filter((s) => s.repo.toLowerCase() === lower)
      : all.filter((s) => s.repo.toLowerCase().startsWith(ownerPrefix) && s.installationId === installation);
  const comments: LearnComment[] = [];
  const associations = new Map<number, string>();
  for (const s of signals) {
    const r = reclassifySignal(s, classifier);
    if (r.kind !== "review_comment") continue;
    comments.push(toLearnComment(r));
    associations.set(r.id, r.authorAssociation);
  }
  return { comments, associations };
};

/** Reviewers whose word counts alone: people with a role in the repository. */
const TRUSTED_ASSOCIATIONS = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);

/**
 * A pattern may become a proposal when someone with a role in the repository
 * is among its reviewers, or at least two people asked for it: one outsider
 * repeating a request on a public repository cannot steer its guidelines or
 * its agents' instructions on their own.
 */
export const trustedPattern = (c: Pick<Cluster, "commentIds" | "reviewers">, associations: ReadonlyMap<number, string>): boolean =>
  c.reviewers.length >= 2 || c.commentIds.some((id) => TRUSTED_ASSOCIATIONS.has(associations.get(id) ?? ""));

export const proposeRepo = async (deps: ProposeDeps, octokit: OctokitLike, target: ProposeTarget): Promise<ProposeOutcome> => {
  const { owner, repo, dryRun } = target;
  const full = `${owner}/${repo}`;
  const o = { owner, repo };
  const log = deps.log;

  const config = await loadRepoConfig(configReaderFor(octokit, owner, repo));
  if (!config.ok) {
    const issue = await ensureIssue(octokit, { ...o, marker: CONFIG_MARKER, title: CONFIG_TITLE, body: configIssueBody(config), author: deps.author, dryRun, state: "open" });
    log.warn({ repo: full, issue: issue.number, outcome: issue.outcome }, "invalid configuration: proposals stopped");
    return { status: "invalid-config", issue, config };
  }
  const configIssue = await findMarkedIssue(octokit, { ...o, author: deps.author, marker: CONFIG_MARKER });
  if (configIssue !== null && configIssue.state === "open") {
    await ensureIssue(octokit, { ...o, marker: CONFIG_MARKER, title: configIssue.title, body: CONFIG_FIXED, author: deps.author, dryRun, state: "closed" });
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
    const action = await publish(deps, octokit, target, d, attempts.get(entry.patternId) ?? 1, cfg, { hasIssues, symlinks: new Set(symlinks), written });
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

/** Unrelated PRs whose added lines are the noise sample, and how many lines at most. */
export const NOISE_SAMPLE = { pulls: 5, listed: 30, lines: 5000 };

/**
 * Learned checks for the recurring patterns whose addressed corrections
 * define one (synthesize.ts). The noise sample, fetched only when some
 * pattern has enough corrections, is the lines added by the repository's
 * most recently merged PRs that are not among the patterns' own PRs.
 */
const synthesizeChecks = async (
  octokit: OctokitLike,
  o: { owner: string; repo: string },
  recurring: readonly Cluster[],
  pairs: ReadonlyMap<number, CorrectionPair>,
  log: Log,
  suggest?: (pairs: readonly CorrectionPair[]) => Promise<string | null>,
): Promise<Map<string, LearnedCandidate>> => {
  const out = new Map<string, LearnedCandidate>();
  const withPairs = recurring.map((c) => ({ c, pairs: c.commentIds.flatMap((id) => pairs.get(id) ?? []) })).filter((x) => x.pairs.length >= MIN_PAIRS);
  if (withPairs.length === 0) return out;
  const own = new Set(recurring.flatMap((c) => c.pullRequests));
  const sample: string[] = [];
  const listed = await octokit.rest.pulls.list({ ...o, state: "closed", sort: "updated", direction: "desc", per_page: NOISE_SAMPLE.listed });
  for (const pr of listed.data.filter((p) => p.merged_at !== null && !own.has(p.number)).slice(0, NOISE_SAMPLE.pulls)) {
    const res = await octokit.rest.pulls.get({ ...o, pull_number: pr.number, mediaType: { format: "diff" } });
    const data: unknown = res.data;
    for (const l of readAddedLines(typeof data === "string" ? data : "").lines) if (sample.length < NOISE_SAMPLE.lines) sample.push(l.text);
  }
  for (const { c, pairs: p } of withPairs) {
    let result = synthesizeCheck(p, sample.length === 0 ? null : sample);
    if (!result.ok && suggest !== undefined) {
      // The model may suggest a pattern; it is held to exactly the same tests.
      const suggested = await suggest(p);
      if (suggested !== null) {
        const checked = validateCandidate(suggested, "suggested pattern", p, sample.length === 0 ? null : sample);
        if (checked.ok) result = checked;
        else log.info({ repo: `${o.owner}/${o.repo}`, patternId: c.id, reason: checked.reason }, "suggested pattern rejected");
      }
    }
    if (result.ok) out.set(c.id, result);
    else log.info({ repo: `${o.owner}/${o.repo}`, patternId: c.id, reason: result.reason }, "no learned check");
  }
  return out;
};

/** The files a guideline PR changes: the guidelines file (created when missing) and the agent files the repository has. */
const guidelineChanges = async (
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

const publish = async (
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

/** Merged proposals with four weeks of data since: comment the change once. */
const reportEffects = async (
  deps: ProposeDeps,
  octokit: OctokitLike,
  target: ProposeTarget,
  latest: ReadonlyMap<string, OwnProposal>,
  timesOf: (patternId: string) => string[],
  now: Date,
  windowDays: number,
): Promise<EffectReport[]> => {
  const reports: EffectReport[] = [];
  // Said once: a PR whose effect was reported is not looked at again (the marker guards if this state is lost).
  const stateName = `effects:${`${target.owner}/${target.repo}`.toLowerCase()}`;
  const reported = new Set((await readState(deps.store, stateName, z.array(z.number().int()))) ?? []);
  for (const p of latest.values()) {
    if (p.kind !== "pull" || !p.merged || p.mergedAt === null || reported.has(p.number)) continue;
    const effect = measureEffect(p.mergedAt, timesOf(p.patternId), now, windowDays);
    // No data yet, or no baseline to compare with (the pattern's comments were purged).
    if (effect?.change === undefined || effect.change === null) continue;
    try {
      const r = await ensureComment(octokit, {
        owner: target.owner,
        repo: target.repo,
        issueNumber: p.number,
        marker: effectMarker(p.patternId),
        body: renderEffect(p.patternId, effect),
        author: deps.author,
        dryRun: target.dryRun,
        once: true,
      });
      reports.push({ patternId: p.patternId, number: p.number, effect, outcome: r.outcome });
    } catch (e) {
      // A locked or deleted PR: the effect is not said, and the rest of the run goes on.
      deps.log.warn({ repo: `${target.owner}/${target.repo}`, number: p.number, error: e instanceof Error ? e.message.split("\n")[0] : String(e) }, "effect comment failed");
      continue;
    }
    if (!target.dryRun) {
      reported.add(p.number);
      await writeState(deps.store, stateName, [...reported].sort((a, b) => a - b), now);
    }
  }
  return reports;
};
