import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Linter } from "eslint";
import { builtinRules } from "eslint/use-at-your-own-risk";
import tseslint from "typescript-eslint";
import { CatalogError, CHECKS_DIR, loadCatalog, parseCheck } from "../../../src/checks/catalog.js";
import { MARKDOWNLINT_RULES } from "../../../src/checks/markdownlint-rules.js";
import { RUFF_CODES, RUFF_RULES } from "../../../src/checks/ruff-codes.js";
import { LINTER_KEYS, type Check, type RuleEntry } from "../../../src/checks/schema.js";
import { stem } from "../../../src/learn/represent.js";
import { matcherStems } from "../../../src/propose/match.js";
import { CATEGORIES } from "../../../src/learn/types.js";

const TS_PREFIX = "@typescript-eslint/";

/** ESLint core rules the catalog may still name while deprecated: the formatting rules ESLint keeps until v11. */
const DEPRECATED_CORE_RULES_ALLOWED = new Set(["max-len", "no-trailing-spaces"]);

/** The words of a phrase the matcher compares. */
const stemsOf = matcherStems;

const catalog = await loadCatalog(CHECKS_DIR);
/** What the test reads of a typescript-eslint rule. */
interface TsRule {
  meta: { deprecated?: unknown; docs?: { requiresTypeChecking?: boolean } };
}

// typescript-eslint types its plugin without `rules`; the object has them.
const tsRules = (tseslint.plugin as { rules?: Record<string, TsRule> }).rules ?? {};
// ESLint publishes no other list of its core rules.
// eslint-disable-next-line @typescript-eslint/no-deprecated
const coreRules = builtinRules;

const eslintEntries = catalog.flatMap((c) => (c.rules.eslint === undefined ? [] : [{ id: c.id, ...c.rules.eslint }]));
const tsEntries = catalog.flatMap((c) => (c.rules["typescript-eslint"] === undefined ? [] : [{ id: c.id, ...c.rules["typescript-eslint"] }]));

const tsRule = (name: string): TsRule | undefined => tsRules[name.slice(TS_PREFIX.length)];
const requiresTypes = (name: string): boolean => tsRule(name)?.meta.docs?.requiresTypeChecking === true;

describe("the checks catalog", () => {
  it("marks exactly the typescript-eslint rules that need type information", () => {
    for (const e of tsEntries) expect({ id: e.id, typeChecked: e.typeChecked === true }).toEqual({ id: e.id, typeChecked: requiresTypes(e.rule) });
  });

  it("has at least 40 checks, each in checks/<id>.yml", async () => {
    const files = (await readdir(CHECKS_DIR)).filter((f) => f.endsWith(".yml")).sort();

    expect(catalog.length).toBeGreaterThanOrEqual(40);
    expect(catalog.map((c) => `${c.id}.yml`)).toEqual(files);
    expect(new Set(catalog.map((c) => c.id)).size).toBe(catalog.length);
  });

  it("files every check under a known category, with lower-case phrases", () => {
    for (const c of catalog) {
      expect(CATEGORIES).toContain(c.category);
      for (const p of c.phrases) expect(p).toBe(p.toLowerCase());
    }
  });

  it("names at least one enforcing rule per check", () => {
    for (const c of catalog) expect([c.id, LINTER_KEYS.some((k) => c.rules[k] !== undefined)]).toEqual([c.id, true]);
  });
});

describe("rule names", () => {
  it.each(eslintEntries.map((e) => [e.rule, e.id]))("ESLint core rule %s (%s) exists and is not deprecated", (rule) => {
    const found = coreRules.get(rule);

    expect(found).toBeDefined();
    const deprecated = found?.meta?.deprecated;
    if (deprecated !== undefined && deprecated !== false) {
      // Allowed only while ESLint still ships it: this fails when a major release drops it.
      expect(DEPRECATED_CORE_RULES_ALLOWED.has(rule)).toBe(true);
    }
  });

  it.each(tsEntries.map((e) => [e.rule, e.id]))("typescript-eslint rule %s (%s) exists and is not deprecated", (rule) => {
    expect(rule.startsWith(TS_PREFIX)).toBe(true);
    const found = tsRule(rule);

    expect(found).toBeDefined();
    expect(found?.meta.deprecated ?? false).toBe(false);
  });

  it("uses only pinned ruff codes and markdownlint ids", () => {
    for (const c of catalog) {
      for (const code of c.rules.ruff?.codes ?? []) expect(RUFF_CODES.has(code)).toBe(true);
      if (c.rules.markdownlint !== undefined) expect(MARKDOWNLINT_RULES.has(c.rules.markdownlint.rule)).toBe(true);
    }
  });

  it("keeps the pinned ruff codes sorted and well-formed", () => {
    const codes = [...RUFF_RULES.keys()];

    expect(codes).toEqual([...codes].sort());
    for (const [code, name] of RUFF_RULES) {
      expect(code).toMatch(/^[A-Z]+[0-9]{3,4}$/);
      expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    }
    expect(new Set(RUFF_RULES.values()).size).toBe(RUFF_RULES.size);
  });

  it("gives a rule the same options in every check that names it, and each ruff code and markdownlint rule to one check", () => {
    const options = new Map<string, { id: string; options: RuleEntry }>();
    for (const e of [...eslintEntries, ...tsEntries]) {
      const earlier = options.get(e.rule);
      if (earlier !== undefined) expect([e.rule, e.options]).toEqual([e.rule, earlier.options]);
      else options.set(e.rule, e);
    }
    const owner = new Map<string, string>();
    for (const c of catalog) {
      for (const name of [...(c.rules.ruff?.codes ?? []), ...(c.rules.markdownlint === undefined ? [] : [c.rules.markdownlint.rule])]) {
        expect([name, owner.get(name) ?? c.id]).toEqual([name, c.id]);
        owner.set(name, c.id);
      }
    }
  });
});

describe("rule options", () => {
  const SAMPLE_JS = "export const answer = 42;\n";
  const SAMPLE_TS = "export const answer: number = 42;\nexport async function later(): Promise<number> {\n  return Promise.resolve(answer);\n}\n";
  // Its own file on disk: with CI set, typescript-eslint builds the program once from the files on disk
  // (single-run mode), so the linted text must be what the file holds.
  const FLOATING_TS = "async function f(): Promise<number> {\n  return Promise.resolve(1);\n}\nvoid 0;\nf();\n";
  let projectDir = "";

  beforeAll(async () => {
    // A real (tiny) TypeScript project, so type-aware rules run as they would in a repository.
    projectDir = await mkdtemp(join(tmpdir(), "checks-catalog-"));
    await writeFile(
      join(projectDir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", noEmit: true }, include: ["*.ts"] }),
    );
    await writeFile(join(projectDir, "sample.ts"), SAMPLE_TS);
    await writeFile(join(projectDir, "floating.ts"), FLOATING_TS);
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
  });

  const runCore = (rule: string, options: unknown): Linter.LintMessage[] =>
    new Linter({ configType: "flat" }).verify(SAMPLE_JS, [{ files: ["**/*.js"], rules: { [rule]: options as Linter.RuleEntry } }], "sample.js");

  const runTs = (rule: string, options: unknown): Linter.LintMessage[] =>
    new Linter({ configType: "flat", cwd: projectDir }).verify(
      SAMPLE_TS,
      [
        {
          files: ["**/*.ts"],
          plugins: { "@typescript-eslint": tseslint.plugin },
          languageOptions: {
            parser: tseslint.parser,
            parserOptions: requiresTypes(rule) ? { project: "./tsconfig.json", tsconfigRootDir: projectDir } : {},
          },
          rules: { [rule]: options as Linter.RuleEntry },
        },
      ],
      join(projectDir, "sample.ts"),
    );

  const fatal = (messages: Linter.LintMessage[]): string[] => messages.filter((m) => m.fatal === true).map((m) => m.message);

  it("rejects invalid options in this harness (so a pass below means something)", () => {
    expect(() => runCore("no-console", ["error", { allow: 5 }])).toThrow(/no-console/);
    expect(() => runTs("@typescript-eslint/no-floating-promises", ["error", { bogus: true }])).toThrow(/bogus/);
    expect(() => runTs("@typescript-eslint/naming-convention", ["error", { selector: "nothing", format: null }])).toThrow(/naming-convention/);
  });

  it.each(eslintEntries.map((e) => [e.rule, e.id, e.options] as const))("ESLint %s (%s) accepts its options", (rule, _id, options) => {
    expect(fatal(runCore(rule, options))).toEqual([]);
  });

  it.each(tsEntries.map((e) => [e.rule, e.id, e.options] as const))("typescript-eslint %s (%s) accepts its options", (rule, _id, options) => {
    expect(fatal(runTs(rule, options))).toEqual([]);
  });

  it("runs type-aware rules with type information", () => {
    // Sanity check of the project set-up: a type-aware rule reports on a floating promise.
    const messages = new Linter({ configType: "flat", cwd: projectDir }).verify(
      FLOATING_TS,
      [
        {
          files: ["**/*.ts"],
          plugins: { "@typescript-eslint": tseslint.plugin },
          languageOptions: {
            parser: tseslint.parser,
            parserOptions: { project: "./tsconfig.json", tsconfigRootDir: projectDir },
          },
          rules: { "@typescript-eslint/no-floating-promises": "error" },
        },
      ],
      join(projectDir, "floating.ts"),
    );

    expect(messages.map((m) => m.ruleId)).toEqual(["@typescript-eslint/no-floating-promises"]);
  });
});

describe("phrases and keywords, as the matcher reads them", () => {
  const keywordStems = (c: Check): Set<string> => new Set(c.keywords.map((k) => stem(k)));

  it("gives every phrase at least two content words, one of them a keyword of its check", () => {
    const tooShort = catalog.flatMap((c) => c.phrases.filter((p) => stemsOf(p).length < 2).map((p) => `${c.id}: ${p}`));
    const offTopic = catalog.flatMap((c) => c.phrases.filter((p) => !stemsOf(p).some((s) => keywordStems(c).has(s))).map((p) => `${c.id}: ${p}`));

    expect(tooShort).toEqual([]);
    expect(offTopic).toEqual([]);
  });

  it("uses keywords the matcher can see (no stop words, no two with one stem)", () => {
    const unseen = catalog.flatMap((c) => c.keywords.filter((k) => stemsOf(k).join() !== stem(k)).map((k) => `${c.id}: ${k}`));
    const sameStem = catalog.filter((c) => keywordStems(c).size !== c.keywords.length).map((c) => `${c.id}: ${c.keywords.join(", ")}`);

    expect(unseen).toEqual([]);
    expect(sameStem).toEqual([]);
  });

  it("never gives two checks the same phrase", () => {
    const owner = new Map<string, string>();
    const clashes: string[] = [];
    for (const c of catalog) {
      for (const p of c.phrases) {
        const key = stemsOf(p).join(" ");
        const earlier = owner.get(key);
        if (earlier !== undefined && earlier !== c.id) clashes.push(`${c.id} and ${earlier}: ${p}`);
        owner.set(key, c.id);
      }
    }

    expect(clashes).toEqual([]);
  });
});

describe("parseCheck", () => {
  const VALID = [
    "id: no-unused-imports",
    "title: Remove unused imports",
    "description: >-",
    "  Imports that nothing uses add noise.",
    "category: dead-code",
    "phrases:",
    "  - remove unused import",
    "  - this import is not used",
    "  - import is never used",
    "keywords: [unused, import]",
    "rules:",
    "  ruff:",
    "    codes: [F401]",
    "guideline: Remove imports that nothing in the file uses.",
    "",
  ].join("\n");

  const errorOf = (text: string, file = "no-unused-imports.yml"): CatalogError => {
    try {
      parseCheck(text, file);
    } catch (e) {
      if (e instanceof CatalogError) return e;
      throw e;
    }
    throw new Error("expected a CatalogError");
  };

  it("reads a valid check", () => {
    expect(parseCheck(VALID, "no-unused-imports.yml")).toEqual({
      id: "no-unused-imports",
      title: "Remove unused imports",
      description: "Imports that nothing uses add noise.",
      category: "dead-code",
      phrases: ["remove unused import", "this import is not used", "import is never used"],
      keywords: ["unused", "import"],
      rules: { ruff: { codes: ["F401"] } },
      guideline: "Remove imports that nothing in the file uses.",
    });
  });

  it("rejects an unknown key, naming the file and the key", () => {
    const e = errorOf(`${VALID}severity: high\n`);

    expect(e.file).toBe("no-unused-imports.yml");
    expect(e.message).toMatch(/^Invalid check no-unused-imports\.yml: .*severity/);
  });

  it("rejects an unknown key inside rules", () => {
    expect(errorOf(VALID.replace("  ruff:", "  pylint:\n    codes: [W0611]\n  ruff:")).message).toMatch(/rules: .*pylint/);
  });

  it("rejects a category outside the taxonomy, by path", () => {
    const e = errorOf(VALID.replace("category: dead-code", "category: cleanliness"));

    expect(e.issues.map((i) => i.path)).toEqual(["category"]);
    expect(e.message).toMatch(/category: .*dead-code/);
  });

  it("rejects an id that is not kebab-case", () => {
    for (const id of ["No_Unused_Imports", "noUnusedImports", "no--unused", "-no-unused", "no unused"]) {
      const e = errorOf(VALID.replace("id: no-unused-imports", `id: "${id}"`), `${id}.yml`);

      expect(e.issues.map((i) => i.path)).toEqual(["id"]);
      expect(e.message).toContain("id: must be kebab-case");
    }
  });

  it("rejects a title that says what not to do", () => {
    expect(errorOf(VALID.replace("title: Remove unused imports", "title: Don't keep unused imports")).message).toMatch(/title: must say what to do/);
  });

  it("rejects an id that differs from the file name", () => {
    expect(errorOf(VALID, "checks/unused-imports.yml").message).toBe(
      "Invalid check checks/unused-imports.yml: id: is no-unused-imports, but the file is named unused-imports.yml: they must match",
    );
  });

  it("rejects phrases with capitals or code, and too few of them", () => {
    expect(errorOf(VALID.replace("  - remove unused import", "  - Remove unused import")).message).toMatch(/phrases\.0: must be lower case/);
    expect(errorOf(VALID.replace("  - remove unused import", "  - remove `os`")).message).toMatch(/phrases\.0: must be plain words/);
    expect(errorOf(VALID.replace("  - import is never used\n", "")).message).toMatch(/phrases: needs at least 3 phrases/);
  });

  it("rejects ruff codes outside the pinned list, and a rules block with no rule", () => {
    expect(errorOf(VALID.replace("codes: [F401]", "codes: [F401, XYZ999]")).message).toMatch(/rules\.ruff\.codes\.1: XYZ999 is not in the pinned ruff codes/);
    expect(errorOf(VALID.replace("  ruff:\n    codes: [F401]", "  {}")).message).toMatch(/rules: needs at least one enforcing rule/);
  });

  it("rejects unknown markdownlint rules and options", () => {
    const md = (rule: string, options: string): string => VALID.replace("  ruff:\n    codes: [F401]", `  markdownlint:\n    rule: ${rule}\n    options: ${options}`);

    expect(errorOf(md("MD002", "{}")).message).toMatch(/rules\.markdownlint\.rule: MD002 is not a markdownlint rule id/);
    expect(errorOf(md("MD013", "{ line_lenght: 100 }")).message).toMatch(/rules\.markdownlint\.options\.line_lenght: MD013 has no option line_lenght/);
    expect(parseCheck(md("MD013", "{ line_length: 100, severity: warning }"), "x.yaml").rules.markdownlint).toEqual({ rule: "MD013", options: { line_length: 100, severity: "warning" } });
  });

  it("rejects ESLint entries without a leading severity, and plugin names under eslint", () => {
    const eslint = (rule: string, options: string): string => VALID.replace("  ruff:\n    codes: [F401]", `  eslint:\n    rule: ${rule}\n    options: ${options}`);

    expect(errorOf(eslint("no-unused-vars", '[{ "args": "none" }]')).message).toMatch(/rules\.eslint\.options\.0: the first entry must be the severity/);
    expect(errorOf(eslint('"@typescript-eslint/no-unused-vars"', '["error"]')).message).toMatch(/rules\.eslint\.rule: must be an ESLint core rule name/);
  });

  it("reports YAML syntax errors with the file name", () => {
    expect(errorOf("id: [unclosed\n").message).toMatch(/^Invalid check no-unused-imports\.yml: YAML: /);
    expect(errorOf(`${VALID}id: again\n`).message).toMatch(/YAML: .*[Mm]ap keys must be unique/);
  });
});

describe("loadCatalog", () => {
  let dir = "";

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "checks-load-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const check = (id: string): string =>
    [
      `id: ${id}`,
      "title: Do the thing",
      "description: It matters.",
      "category: style",
      "phrases: [do the thing, thing is done, doing things]",
      "keywords: [thing, done]",
      "rules: { ruff: { codes: [E501] } }",
      "guideline: Do the thing.",
      "",
    ].join("\n");

  it("reads every .yml file in name order and ignores other files", async () => {
    await writeFile(join(dir, "b-check.yml"), check("b-check"));
    await writeFile(join(dir, "a-check.yml"), check("a-check"));
    await writeFile(join(dir, "README.md"), "# checks\n");

    expect((await loadCatalog(dir)).map((c) => c.id)).toEqual(["a-check", "b-check"]);
  });

  it("rejects a file whose id is not its name", async () => {
    await writeFile(join(dir, "a-check.yml"), check("b-check"));

    await expect(loadCatalog(dir)).rejects.toThrow("Invalid check a-check.yml: id: is b-check, but the file is named a-check.yml: they must match");
  });

  it("rejects a .yaml file rather than skipping it", async () => {
    await writeFile(join(dir, "a-check.yaml"), check("a-check"));

    await expect(loadCatalog(dir)).rejects.toThrow(/a-check\.yaml: catalog files end in \.yml/);
  });
});
