import type { Check } from "../../checks/schema.js";
import type { Linter } from "../choose.js";
import { enableEslintRule, type EslintrcFile } from "./eslintrc.js";
import { enableFlatConfigRule } from "./flat-config.js";
import { enableRuffCodes, type RuffConfigFile } from "./ruff-config.js";

/**
 * One entry point for the config editors (pure): enable a check's rule for
 * one linter in the repository's own config file. `ok: false` means the file
 * could not be edited safely and the proposal becomes a guideline.
 */
export type ConfigEdit = { ok: true; changed: boolean; text: string } | { ok: false; reason: string };

const ESLINTRC = new Set<string>([".eslintrc.json", ".eslintrc", "package.json", ".eslintrc.yml", ".eslintrc.yaml"]);
const RUFF = new Set<string>(["ruff.toml", ".ruff.toml", "pyproject.toml"]);

export const applyRuleEdit = (check: Check, linter: Linter, configFile: string, text: string): ConfigEdit => {
  const base = configFile.split("/").pop() ?? configFile;
  if (linter === "ruff") {
    const codes = check.rules.ruff?.codes ?? [];
    if (!RUFF.has(base) || codes.length === 0) return { ok: false, reason: `${configFile} is not a ruff config this edit knows` };
    const r = enableRuffCodes(base as RuffConfigFile, text, codes);
    return r.ok ? { ok: true, changed: r.changed, text: r.text } : r;
  }
  if (linter === "markdownlint") return { ok: false, reason: "markdownlint configs are not edited yet" };
  const rule = linter === "eslint" ? check.rules.eslint : check.rules["typescript-eslint"];
  if (rule === undefined) return { ok: false, reason: `${check.id} has no ${linter} rule` };
  if (/^eslint\.config\.[cm]?[jt]s$/.test(base)) return enableFlatConfigRule(base, text, rule.rule, rule.options);
  if (ESLINTRC.has(base)) return enableEslintRule(base as EslintrcFile, text, rule.rule, rule.options);
  return { ok: false, reason: `${configFile} is not an ESLint config this edit knows (.eslintrc.js configs run code and are not edited)` };
};
