import { strongestFirst } from "../learn/patterns.js";
import { codeSpan, day, quoteUntrusted, sparkline } from "../shared/markdown.js";
import type { Check } from "../checks/schema.js";
import { excerpt } from "../learn/patterns.js";
import type { Cluster, LearnComment } from "../learn/types.js";
import { stringify as stringifyYaml } from "yaml";
import { chooseFix, DEFAULT_ESCALATION, type LearnedCandidate, type EscalationPolicy, type FixChoice, type Linter, type RepoLinters } from "./choose.js";

const LINTERS: readonly Linter[] = ["eslint", "typescript-eslint", "ruff", "markdownlint"];
import type { ConfigEdit } from "./edit/apply.js";
import { proposalMarker } from "./lifecycle.js";
import { matchChecks, type CheckMatch } from "./match.js";
import { renderWouldFlag, wouldHaveFlagged, type CodeSnippet } from "./would-flag.js";

/**
 * The plan a run would apply (pure): one entry per recurring pattern, with
 * the body of its PR or issue. Bodies carry the evidence and a hidden marker
 * by which the publish layer finds its own earlier PR or issue.
 */
export interface PlanEntry {
  patternId: string;
  kind: "rule" | "check" | "guideline" | "escalation";
  title: string;
  checkId?: string;
  files?: string[];
  body: string;
  /** For guideline proposals: the one sentence the managed section gets. */
  guideline?: string;
  /** The edited config files, when the repository's files were at hand. */
  changes?: { path: string; text: string }[];
}

/** The marker a proposal body starts with (see lifecycle.ts for later attempts). */
export const patternMarker = (id: string): string => proposalMarker(id);

/** The agent instruction files a guideline PR updates where the repository has them. */
export const AGENT_FILES = ["AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md"] as const;

/** The guideline and agent-instruction files a guideline PR updates (the guidelines file is configurable). */
export const guidelineFiles = (guidelinesFile = "CONTRIBUTING.md"): string[] => [guidelinesFile, ...AGENT_FILES.filter((f) => f !== guidelinesFile)];

const MAX_LINKS = 10;


/** The pattern's comments as the evidence lists them. */
export type CommentLookup = ReadonlyMap<number, Pick<LearnComment, "repo" | "pullNumber" | "body" | "url" | "createdAt">>;

/** The evidence section every PR and issue carries: counts, dates, trend, and permalinks to up to 10 comments. */
export const evidence = (c: Cluster, comments?: CommentLookup): string => {
  const lines = [
    `- **${String(c.occurrences)} review comments** on **${String(c.pullRequestRefs.length)} pull requests**` +
      (c.authors.length > 0 ? ` by **${String(c.authors.length)} authors**` : "") +
      `, from ${String(c.reviewers.length)} reviewer${c.reviewers.length === 1 ? "" : "s"}, ${day(c.firstSeen)} to ${day(c.lastSeen)}.`,
    `- Weekly trend (last ${String(Math.min(26, c.weekly.length))} weeks): \`${sparkline(c.weekly)}\``,
    "",
    "Comments:",
    "",
  ];
  // The representative examples first, then the newest other comments, up to 10 links.
  const shown = c.examples.slice(0, MAX_LINKS).map((e) => ({ id: e.commentId, repo: e.repo, pullNumber: e.pullNumber, url: e.url, text: e.excerpt }));
  const seen = new Set(shown.map((e) => e.id));
  const others = c.commentIds
    .filter((id) => !seen.has(id))
    .flatMap((id) => {
      const m = comments?.get(id);
      return m === undefined ? [] : [{ id, repo: m.repo, pullNumber: m.pullNumber, url: m.url, text: excerpt(m.body), at: m.createdAt }];
    })
    .sort((a, b) => (a.at > b.at ? -1 : a.at < b.at ? 1 : a.id - b.id));
  for (const o of others) {
    if (shown.length >= MAX_LINKS) break;
    shown.push(o);
    seen.add(o.id);
  }
  for (const e of shown) {
    const where = `${e.repo}#${String(e.pullNumber)}`;
    lines.push(`- ${e.url === null ? where : `[${where}](${e.url})`}: ${codeSpan(e.text)}`);
  }
  const rest = c.commentIds.filter((id) => !seen.has(id));
  if (rest.length > 0) lines.push(`- …and ${String(rest.length)} more (comment ids ${rest.slice(0, 20).join(", ")}${rest.length > 20 ? ", …" : ""})`);
  return lines.join("\n");
};

const OPT_OUT =
  "Not useful? Close this without merging and the pattern is not proposed again unless it becomes twice as frequent; comment `/review-reviewer ignore` to silence it for good; or set `harvest: false` in `.github/review-reviewer.yml` to opt the repository out.";

/** What a check enables in one linter: a rule name, or ruff codes. */
export const ruleName = (check: Check, linter: Linter): string => {
  if (linter === "ruff") return (check.rules.ruff?.codes ?? []).join(", ");
  if (linter === "markdownlint") return check.rules.markdownlint?.rule ?? "";
  return (linter === "eslint" ? check.rules.eslint?.rule : check.rules["typescript-eslint"]?.rule) ?? "";
};

const ruleSnippet = (check: Check, linter: FixChoice & { kind: "rule" }): string => {
  if (linter.linter === "ruff") return ["```toml", `extend-select = [${(check.rules.ruff?.codes ?? []).map((c) => `"${c}"`).join(", ")}]`, "```"].join("\n");
  if (linter.linter === "markdownlint") {
    const md = check.rules.markdownlint;
    return ["```json", JSON.stringify({ [md?.rule ?? ""]: md?.options ?? true }, null, 2), "```"].join("\n");
  }
  const rule = linter.linter === "typescript-eslint" ? check.rules["typescript-eslint"] : check.rules.eslint;
  return ["```js", `rules: { ${JSON.stringify(rule?.rule ?? "")}: ${JSON.stringify(rule?.options ?? "error")} }`, "```"].join("\n");
};

/** Which phrases and keywords of the check matched, and the score: matching explains itself. */
const matchedLine = (match: CheckMatch): string =>
  `Matched: ${match.phrases.map((p) => `“${p.phrase}” (${String(p.comments)} comment${p.comments === 1 ? "" : "s"})`).join(", ") || "keywords only"}; keywords ${match.keywords.join(", ") || "none"}; score ${String(match.score)}.`;

const ruleBody = (c: Cluster, check: Check, choice: FixChoice & { kind: "rule" }, comments: CommentLookup | undefined, flagged: string): string =>
  [
    patternMarker(c.id),
    `Reviewers keep asking to **${check.title.toLowerCase()}**. This enables \`${ruleName(check, choice.linter)}\` (${choice.linter}) in \`${choice.configFile}\`, so the linter says it before a reviewer has to.`,
    "",
    check.description,
    "",
    "### Change",
    "",
    ruleSnippet(check, choice),
    "",
    "### Evidence",
    "",
    evidence(c, comments),
    "",
    flagged,
    "",
    matchedLine(choice.match),
    "",
    OPT_OUT,
    "",
  ].join("\n");

/** The sentence a guideline proposal adds: the check's, or the pattern's title. */
const guidelineSentence = (c: Cluster, check: Check | undefined): string => check?.guideline ?? `${quoteUntrusted(c.title)}.`;

const guidelineBody = (c: Cluster, check: Check | undefined, choice: FixChoice & { kind: "guideline" }, files: readonly string[], comments: CommentLookup | undefined): string =>
  [
    patternMarker(c.id),
    `Reviewers keep asking for the same thing: **${quoteUntrusted(c.title)}** (${c.category}). This adds it to the review guidelines (${files[0] ?? ""}) and to the instruction files AI coding agents read (${files.slice(1).join(", ")}, where present), so authors and agents get it right before review.`,
    "",
    "### Guideline",
    "",
    `> ${guidelineSentence(c, check)}`,
    "",
    ...(check === undefined
      ? []
      : ["Enforceable with a linter the repository does not run yet:", "", ...LINTERS.filter((l) => check.rules[l] !== undefined).map((l) => `- ${l}: \`${ruleName(check, l)}\``), ""]),
    "### Evidence",
    "",
    evidence(c, comments),
    "",
    `Why a guideline: ${choice.reason}.`,
    ...(choice.match === null ? [] : ["", matchedLine(choice.match)]),
    "",
    OPT_OUT,
    "",
  ].join("\n");

/** The escalation issue, in the evidence template, filled with numbers. */
const escalationBody = (c: Cluster, choice: FixChoice & { kind: "escalation" }, comments: CommentLookup | undefined): string =>
  [
    patternMarker(c.id),
    `## Process Observation: ${quoteUntrusted(c.title)}`,
    "### Pattern Detected",
    `Reviewers asked for the same ${c.category} change ${String(c.occurrences)} times on ${String(c.pullRequestRefs.length)} pull requests between ${day(c.firstSeen)} and ${day(c.lastSeen)}. Key terms: ${c.terms.slice(0, 6).map(quoteUntrusted).join(", ")}.`,
    "### Evidence",
    evidence(c, comments),
    "### Impact",
    `${String(c.occurrences)} review comments (${String(c.reviewers.length)} reviewer${c.reviewers.length === 1 ? "" : "s"}) spent on one recurring request, each a review round for the author.`,
    "### Proposed Fix",
    `Agree on the expected practice and write it down (CONTRIBUTING.md and the agent instruction files), or decide that it is not a rule. Why this is an issue, not a PR: ${choice.reason}.`,
    "### Decision Needed",
    "A maintainer: is this a rule for this repository? Reply with the decision; `/review-reviewer ignore` closes the matter.",
    "",
  ].join("\n");

export interface PlanOptions {
  linters: RepoLinters;
  escalation?: EscalationPolicy;
  /** The review guidelines file (config `proposals.guidelinesFile`). */
  guidelinesFile?: string;
  /** Edits the repository's config for a rule proposal; null when its files are not at hand. */
  editConfig?: (check: Check, linter: Linter, configFile: string) => ConfigEdit | null;
  /** The comments by id, for permalinks beyond the examples. */
  comments?: CommentLookup;
  /** Learned checks the corrections support, by pattern id (synthesized by the caller, who has the noise sample). */
  learned?: ReadonlyMap<string, LearnedCandidate>;
  /** The commented code of a pattern's comments, and the code after the fix where known: for the "would have flagged" figure. */
  snippets?: (cluster: Cluster) => { before: CodeSnippet[]; after: CodeSnippet[] };
}

/** What running the rule on the commented code (and on the fixed code) says, for the rule PR. */
const flaggedLine = (check: Check, linter: Linter, snippets: { before: CodeSnippet[]; after: CodeSnippet[] } | undefined): string => {
  if (linter === "ruff" || linter === "markdownlint") {
    return `Would it have caught them? ${linter} does not run inside review-reviewer, so this is not measured; the rule ${linter === "ruff" ? "codes are checked against ruff's published rule list" : "name is checked against markdownlint's rule list"}.`;
  }
  if (snippets === undefined) return "Would it have caught them? Not measured: the commented code was not at hand.";
  const before = wouldHaveFlagged(check, linter, snippets.before);
  if (!before.ran) return `Would it have caught them? Not measured: ${before.reason}.`;
  const lines = [`Would it have caught them? On the commented code, the rule ${renderWouldFlag(before)}.`];
  const after = snippets.after.length === 0 ? null : wouldHaveFlagged(check, linter, snippets.after);
  if (after?.ran === true) lines.push(`On the code after the fix, it ${renderWouldFlag(after)} (fewer is better: the fix is what reviewers asked for).`);
  return lines.join(" ");
};

/** Texts of a pattern's comments, for phrase matching. */
export type TextsOf = (cluster: Cluster) => string[];

export const buildPlan = (clusters: readonly Cluster[], texts: TextsOf, catalog: readonly Check[], options: PlanOptions): PlanEntry[] => {
  const byId = new Map(catalog.map((c) => [c.id, c]));
  const entries: PlanEntry[] = [];
  // Strongest patterns first; a check is proposed for one pattern only (one PR per rule).
  const proposed = new Set<string>();
  const ordered = clusters.filter((c) => c.recurring).sort(strongestFirst);
  const files = guidelineFiles(options.guidelinesFile);
  for (const c of ordered) {
    const matches = matchChecks(c, texts(c), catalog).filter((m) => !proposed.has(m.checkId));
    const paths = c.examples.flatMap((e) => (e.path === null ? [] : [e.path]));
    const choice = chooseFix(c, matches, byId, options.linters, options.escalation ?? DEFAULT_ESCALATION, paths, options.learned?.get(c.id) ?? null);
    if ((choice.kind === "rule" || choice.kind === "guideline") && choice.checkId !== null) proposed.add(choice.checkId);
    if (choice.kind === "rule") {
      const check = byId.get(choice.checkId);
      if (check === undefined) continue;
      const edit = options.editConfig?.(check, choice.linter, choice.configFile) ?? null;
      if (edit !== null && !edit.ok) {
        // The config cannot be edited safely: the rule travels as a snippet in a guideline PR.
        const fallback: FixChoice & { kind: "guideline" } = { kind: "guideline", checkId: check.id, match: choice.match, reason: `${choice.configFile} cannot be edited safely (${edit.reason}), so the rule comes as a snippet` };
        entries.push({
          patternId: c.id,
          kind: "guideline",
          title: `Guideline: ${check.title}`,
          checkId: check.id,
          files,
          guideline: guidelineSentence(c, check),
          body: guidelineBody(c, check, fallback, files, options.comments),
        });
        continue;
      }
      entries.push({
        patternId: c.id,
        kind: "rule",
        title: `Lint: ${check.title}`,
        checkId: check.id,
        files: [choice.configFile],
        body: ruleBody(c, check, choice, options.comments, flaggedLine(check, choice.linter, options.snippets?.(c))),
        ...(edit?.ok === true && edit.changed ? { changes: [{ path: choice.configFile, text: edit.text }] } : {}),
      });
    } else if (choice.kind === "guideline") {
      const check = choice.checkId === null ? undefined : byId.get(choice.checkId);
      entries.push({
        patternId: c.id,
        kind: "guideline",
        title: `Guideline: ${check?.title ?? c.title}`,
        ...(check === undefined ? {} : { checkId: check.id }),
        files,
        guideline: guidelineSentence(c, check),
        body: guidelineBody(c, check, choice, files, options.comments),
      });
    } else if (choice.kind === "check") {
      const file = learnedCheckFile(c, choice.learned, options.comments);
      entries.push({
        patternId: c.id,
        kind: "check",
        title: `Check: ${c.title}`,
        files: [file.path],
        body: learnedCheckBody(c, choice, file, options.comments),
        changes: [{ path: file.path, text: file.text }],
      });
    } else {
      entries.push({ patternId: c.id, kind: "escalation", title: `Process Observation: ${c.title}`, body: escalationBody(c, choice, options.comments) });
    }
  }
  return entries;
};

/** Where learned checks live in a repository (the enforcement reads them from the default branch). */
export const LEARNED_CHECKS_PATH = ".github/review-reviewer/checks";

/** The learned check's file: id from the pattern (stable), globs from the file types commented on, permalinks as evidence. */
export const learnedCheckFile = (c: Cluster, learned: LearnedCandidate, comments?: CommentLookup): { id: string; path: string; text: string } => {
  const id = `learned-${c.id.replace(/^p-/, "")}`;
  const extensions = [...new Set(c.examples.flatMap((e) => (e.path === null ? [] : [/\.([A-Za-z0-9]{1,10})$/.exec(e.path)?.[1] ?? ""])).filter((x) => x !== ""))].sort();
  const urls = c.commentIds.flatMap((cid) => comments?.get(cid)?.url ?? c.examples.find((e) => e.commentId === cid)?.url ?? []).slice(0, 10);
  const check = {
    id,
    title: c.title.replace(/[\r\n]+/g, " ").slice(0, 200),
    message: `${c.title.replace(/[\r\n]+/g, " ").slice(0, 200)}: reviewers asked for this ${String(c.occurrences)} times (see the evidence in the check's file).`,
    severity: "warning",
    paths: { include: extensions.length === 0 ? ["**"] : extensions.map((x) => `**/*.${x}`), exclude: [] },
    pattern: learned.pattern,
    evidence: urls,
  };
  const header = [
    "# A learned check, written by review-reviewer from review history. The pattern runs with RE2 on",
    "# the lines a pull request adds, as the `review-reviewer` Check Run. Edit it freely or delete it.",
    `# ${patternMarker(c.id).replace(/^<!-- | -->$/g, "")}`,
  ].join("\n");
  return { id, path: `${LEARNED_CHECKS_PATH}/${id}.yml`, text: `${header}\n${stringifyYaml(check, { lineWidth: 0 })}` };
};

const learnedCheckBody = (c: Cluster, choice: FixChoice & { kind: "check" }, file: { id: string; path: string; text: string }, comments: CommentLookup | undefined): string => {
  const f = choice.learned.figures;
  const noise = f.noise === null ? "not measured" : `${String(f.noise.flagged)} of ${String(f.noise.total)} lines added by recent unrelated pull requests (${(f.noise.total === 0 ? 0 : (100 * f.noise.flagged) / f.noise.total).toFixed(2)}%; at most 1% is allowed)`;
  return [
    patternMarker(c.id),
    `Reviewers keep asking for the same thing: **${quoteUntrusted(c.title)}**, and no linter rule says it. Their own corrections define a check: this adds \`${file.path}\`, which review-reviewer runs on every pull request as the \`review-reviewer\` Check Run, with an annotation on each added line it flags.`,
    "",
    "### The check",
    "",
    "```yaml",
    file.text.trimEnd(),
    "```",
    "",
    "### Tested against the evidence",
    "",
    `- Flags **${String(f.before.flagged)} of ${String(f.before.total)}** commented snippets (at least 80% needed).`,
    `- Flags **${String(f.after.flagged)} of ${String(f.after.total)}** snippets after the reviewers' fixes (none allowed).`,
    `- Noise: flags ${noise}.`,
    "",
    `Why a learned check: ${choice.reason}.`,
    "",
    "### Evidence",
    "",
    evidence(c, comments),
    "",
    OPT_OUT,
    "",
  ].join("\n");
};
