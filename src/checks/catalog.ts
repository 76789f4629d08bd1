import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseDocument } from "yaml";
import type { z } from "zod";
import { CheckSchema, type Check } from "./schema.js";

/**
 * The checks catalog: `checks/<id>.yml`, one check per file. `parseCheck` is
 * pure; `loadCatalog` is the only I/O.
 */

/** The package's `checks/` folder (two levels up from both `src/checks/` and `dist/checks/`). */
export const CHECKS_DIR = fileURLToPath(new URL("../../checks/", import.meta.url));

export const CHECK_FILE_EXTENSION = ".yml";

export interface CatalogIssue {
  /** Dotted path into the file, such as `rules.ruff.codes.0`; empty for the whole file. */
  path: string;
  message: string;
}

/** A catalog file that does not hold a valid check. The message names the file and every problem. */
export class CatalogError extends Error {
  override readonly name = "CatalogError";
  readonly file: string;
  readonly issues: readonly CatalogIssue[];

  constructor(file: string, issues: readonly CatalogIssue[]) {
    super(`Invalid check ${file}: ${issues.map((i) => (i.path === "" ? i.message : `${i.path}: ${i.message}`)).join("; ")}`);
    this.file = file;
    this.issues = issues;
  }
}

const issuesOf = (error: z.ZodError): CatalogIssue[] =>
  error.issues.map((i) => ({ path: i.path.map(String).join("."), message: i.message }));

/**
 * Parse and validate one catalog file. `fileName` names the file in errors;
 * when it ends in `.yml`, the check's id must equal its base name.
 */
export const parseCheck = (text: string, fileName: string): Check => {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const yamlProblems = [...doc.errors, ...doc.warnings];
  if (yamlProblems.length > 0) {
    throw new CatalogError(fileName, yamlProblems.map((e) => ({ path: "", message: `YAML: ${e.message.split("\n")[0] ?? e.code}` })));
  }
  const parsed = CheckSchema.safeParse(doc.toJS());
  if (!parsed.success) throw new CatalogError(fileName, issuesOf(parsed.error));
  const check = parsed.data;
  const base = basename(fileName);
  if (base.endsWith(CHECK_FILE_EXTENSION)) {
    const expected = base.slice(0, -CHECK_FILE_EXTENSION.length);
    if (check.id !== expected) throw new CatalogError(fileName, [{ path: "id", message: `is ${check.id}, but the file is named ${base}: they must match` }]);
  }
  return check;
};

/**
 * Every `*.yml` in `dir`, in file-name order, validated. Throws a
 * `CatalogError` on the first invalid file, and on a duplicate id.
 */
export const loadCatalog = async (dir: string = CHECKS_DIR): Promise<Check[]> => {
  const files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  // A check saved as .yaml would be silently skipped: refuse it instead.
  const misnamed = files.find((name) => name.endsWith(".yaml"));
  if (misnamed !== undefined) throw new CatalogError(misnamed, [{ path: "", message: `catalog files end in ${CHECK_FILE_EXTENSION}, not .yaml` }]);
  const names = files.filter((name) => name.endsWith(CHECK_FILE_EXTENSION)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const checks: Check[] = [];
  const seen = new Map<string, string>();
  for (const name of names) {
    const check = parseCheck(await readFile(join(dir, name), "utf8"), name);
    const earlier = seen.get(check.id);
    if (earlier !== undefined) throw new CatalogError(name, [{ path: "id", message: `${check.id} is also the id of ${earlier}` }]);
    seen.set(check.id, name);
    checks.push(check);
  }
  return checks;
};
