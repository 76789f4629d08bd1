import type { Check } from "../checks/schema.js";
import type { Category, Cluster } from "../learn/types.js";
import type { CheckMatch } from "./match.js";
import type { Synthesis } from "./synthesize.js";

/**
 * Choosing the fix for a recurring pattern (pure). In order: a catalog
 * check whose linter the repository really uses (a rule PR); an escalation
 * when the pattern needs a decision; otherwise a guideline update.
 */
export type Linter = "eslint" | "typescript-eslint" | "ruff" | "markdownlint";

export interface RepoLinters {
  /** Linters the repository's own files configure, with the file that does. */
  found: ReadonlyMap<Linter, string>;
  /** How they were found: the repository's files, or only guessed from the file types commented on. */
  source: "files" | "file-types";
  /** Whether the ESLint config gives rules type information (parserOptions.projectService or project). */
  typeAware: boolean;
}

const has = (paths: ReadonlySet<string>, names: readonly string[]): string | undefined => names.find((n) => paths.has(n));

/** Of a repository's root names, the files detectLinters reads. */
export const linterProbeFiles = (rootNames: readonly string[]): string[] =>
  ["package.json", "pyproject.toml", ...rootNames.filter((n) => /^eslint\.config\.[cm]?[jt]s$|^\.eslintrc/.test(n))].filter((n) => rootNames.includes(n));

/** The linters a repository configures, from its root file list and the text of a few files. */
export const detectLinters = (paths: readonly string[], read: (path: string) => string | undefined): RepoLinters => {
  const set = new Set(paths);
  const found = new Map<Linter, string>();
  const pkgText = read("package.json");
  let pkg: { eslintConfig?: unknown; dependencies?: Record<string, string>; devDependencies?: Record<string, string> } = {};
  try {
    pkg = pkgText === undefined ? {} : (JSON.parse(pkgText) as typeof pkg);
  } catch {
    pkg = {};
  }
  const deps = { ...pkg.dependencies, ...pkg.devDependencies };
  const eslintFile =
    has(set, ["eslint.config.js", "eslint.config.mjs", "eslint.config.cjs", "eslint.config.ts", ".eslintrc.json", ".eslintrc.yml", ".eslintrc.yaml", ".eslintrc.js", ".eslintrc.cjs", ".eslintrc"]) ??
    (pkg.eslintConfig !== undefined ? "package.json" : undefined);
  if (eslintFile !== undefined) found.set("eslint", eslintFile);
  if (eslintFile !== undefined && ("typescript-eslint" in deps || "@typescript-eslint/eslint-plugin" in deps)) found.set("typescript-eslint", eslintFile);
  const ruffFile = has(set, ["ruff.toml", ".ruff.toml"]) ?? (/^\[tool\.ruff/m.test(read("pyproject.toml") ?? "") ? "pyproject.toml" : undefined);
  if (ruffFile !== undefined) found.set("ruff", ruffFile);
  const mdFile = has(set, [".markdownlint.json", ".markdownlint.jsonc", ".markdownlint.yaml", ".markdownlint.yml", ".markdownlint-cli2.jsonc", ".markdownlint-cli2.yaml"]);
  if (mdFile !== undefined) found.set("markdownlint", mdFile);
  const typeAware = eslintFile !== undefined && /\bprojectService\s*:|\bproject\s*:/.test(read(eslintFile) ?? "");
  return { found, source: "files", typeAware };
};

/**
 * Without the repository at hand (offline analysis of an export), the
 * linters its commented files would use: ruff for Python, ESLint (and
 * typescript-eslint for TypeScript) for JavaScript, markdownlint for Markdown.
 */
export const guessLinters = (commentedPaths: readonly string[]): RepoLinters => {
  const found = new Map<Linter, string>();
  for (const p of commentedPaths) {
    if (/\.pyi?$/.test(p)) found.set("ruff", "pyproject.toml");
    if (/\.(m|c)?[jt]sx?$/.test(p)) found.set("eslint", "eslint.config.js");
    if (/\.(m|c)?tsx?$/.test(p)) found.set("typescript-eslint", "eslint.config.js");
    if (/\.md$/.test(p)) found.set("markdownlint", ".markdownlint.json");
  }
  // Unknown config: assume no type information, so no type-aware rule is proposed blind.
  return { found, source: "file-types", typeAware: false };
};

/** When a pattern becomes an escalation issue instead of a PR. */
export interface EscalationPolicy {
  /** Comments in the window for the impact to count as significant. */
  minOccurrences: number;
  /** Distinct PRs (or authors, when known) for the cause to count as systemic. */
  minSpread: number;
  /** Categories whose fix needs someone's authority or is risky to automate. */
  categories: readonly Category[];
}

export const DEFAULT_ESCALATION: EscalationPolicy = { minOccurrences: 5, minSpread: 3, categories: ["design", "process", "security"] };

export type FixChoice =
  | { kind: "rule"; checkId: string; linter: Linter; configFile: string; match: CheckMatch; reason: string }
  | { kind: "guideline"; checkId: string | null; match: CheckMatch | null; reason: string }
  | { kind: "check"; learned: LearnedCandidate; reason: string }
  | { kind: "escalation"; reason: string };

/** A learned check synthesized from the pattern's corrections (see synthesize.ts). */
export type LearnedCandidate = Extract<Synthesis, { ok: true }>;

const LINTER_ORDER: readonly Linter[] = ["typescript-eslint", "eslint", "ruff", "markdownlint"];

/** The files each linter checks: a rule is only proposed for the kind of file the pattern's comments are on. */
const LINTER_FILES: Record<Linter, RegExp> = {
  eslint: /\.(m|c)?[jt]sx?$/,
  "typescript-eslint": /\.(m|c)?tsx?$/,
  ruff: /\.pyi?$/,
  markdownlint: /\.(md|markdown)$/,
};

/** Whether a linter checks any of the files the pattern's comments are on (no paths known: yes). */
export const lintsAny = (linter: Linter, paths: readonly string[]): boolean => paths.length === 0 || paths.some((p) => LINTER_FILES[linter].test(p));

export const chooseFix = (
  cluster: Cluster,
  matches: readonly CheckMatch[],
  catalog: ReadonlyMap<string, Check>,
  linters: RepoLinters,
  policy: EscalationPolicy = DEFAULT_ESCALATION,
  /** The files the pattern's comments are on. */
  paths: readonly string[] = [],
  /** A learned check the corrections support: after a catalog rule, before an escalation or a guideline. */
  learned: LearnedCandidate | null = null,
): FixChoice => {
  for (const match of matches) {
    const check = catalog.get(match.checkId);
    if (check === undefined) continue;
    for (const linter of LINTER_ORDER) {
      const configFile = linters.found.get(linter);
      // A type-aware rule in a config without type information would break the repository's lint.
      const needsTypes = linter === "typescript-eslint" && check.rules["typescript-eslint"]?.typeChecked === true && !linters.typeAware;
      if (check.rules[linter] !== undefined && configFile !== undefined && lintsAny(linter, paths) && !needsTypes) {
        return { kind: "rule", checkId: check.id, linter, configFile, match, reason: `matches the catalog check ${check.id} (score ${String(match.score)}), enforced by ${linter}, which the repository uses (${configFile})` };
      }
    }
  }
  // Systemic: several authors received it (PRs stand in when authors are unknown, as in an export without --pulls).
  if (learned !== null) {
    const f = learned.figures;
    return {
      kind: "check",
      learned,
      reason: `no catalog rule fits, but the corrections define one: \`${learned.shape}\` flags ${String(f.before.flagged)} of ${String(f.before.total)} commented snippets and none of the fixed code`,
    };
  }
  const spread = cluster.authors.length > 0 ? cluster.authors.length : cluster.pullRequestRefs.length;
  if (policy.categories.includes(cluster.category) && cluster.occurrences >= policy.minOccurrences && spread >= policy.minSpread) {
    return {
      kind: "escalation",
      reason: `a ${cluster.category} pattern with ${String(cluster.occurrences)} comments on ${String(cluster.pullRequestRefs.length)} PRs${cluster.authors.length > 0 ? ` by ${String(cluster.authors.length)} authors` : ""}: no linter rule settles it, and the fix needs a decision`,
    };
  }
  const best = matches[0] ?? null;
  return {
    kind: "guideline",
    checkId: best?.checkId ?? null,
    match: best,
    reason:
      best === null
        ? "no catalog check answers it: the lesson goes to the review guidelines and agent instructions"
        : `matches the catalog check ${best.checkId}, but the repository runs none of its linters: the guideline carries the rule as a snippet`,
  };
};
