import { enableEslintRule } from "../../../src/propose/edit/eslintrc.js";

const ENTRY = ["error", { allow: ["warn"] }];

const edited = (r: ReturnType<typeof enableEslintRule>): string => {
  if (!r.ok) throw new Error(r.reason);
  return r.text;
};

describe("enableEslintRule", () => {
  it("inserts one line into .eslintrc.json rules and touches nothing else", () => {
    const before = '{\n  "root": true,\n  "rules": {\n    "eqeqeq": ["error", "always"],\n    "curly": "warn"\n  }\n}\n';
    const after = edited(enableEslintRule(".eslintrc.json", before, "no-console", ENTRY));
    expect(after).toBe('{\n  "root": true,\n  "rules": {\n    "no-console": ["error",{"allow":["warn"]}],\n    "eqeqeq": ["error", "always"],\n    "curly": "warn"\n  }\n}\n');
    expect(JSON.parse(after)).toEqual({ root: true, rules: { "no-console": ENTRY, eqeqeq: ["error", "always"], curly: "warn" } });
  });

  it("adds a rules object when there is none, in the file's indentation, and handles an empty rules object", () => {
    expect(edited(enableEslintRule(".eslintrc", '{\n\t"root": true\n}\n', "no-var", ["error"]))).toBe('{\n\t"rules": {"no-var":["error"]},\n\t"root": true\n}\n');
    expect(JSON.parse(edited(enableEslintRule(".eslintrc.json", '{ "rules": {} }', "no-var", ["error"])))).toEqual({ rules: { "no-var": ["error"] } });
  });

  it("edits package.json#eslintConfig only", () => {
    const before = '{\n  "name": "x",\n  "scripts": { "rules": "not these" },\n  "eslintConfig": {\n    "extends": "eslint:recommended",\n    "rules": {\n      "semi": "error"\n    }\n  }\n}\n';
    const after = JSON.parse(edited(enableEslintRule("package.json", before, "no-var", ["error"]))) as Record<string, unknown>;
    expect(after).toEqual({ name: "x", scripts: { rules: "not these" }, eslintConfig: { extends: "eslint:recommended", rules: { "no-var": ["error"], semi: "error" } } });
    expect(enableEslintRule("package.json", '{"name": "x"}', "no-var", ["error"])).toMatchObject({ ok: false });
  });

  it("keeps comments in YAML configs", () => {
    const before = "# shared config\nextends: eslint:recommended\nrules:\n  semi: error # always\n";
    const after = edited(enableEslintRule(".eslintrc.yml", before, "no-var", ["error"]));
    expect(after).toContain("# shared config");
    expect(after).toContain("semi: error # always");
    expect(after).toContain("no-var: [ error ]");
  });

  it("leaves a rule the maintainers already set, so a second run changes nothing", () => {
    const once = edited(enableEslintRule(".eslintrc.json", '{"rules": {}}', "no-var", ["error"]));
    expect(enableEslintRule(".eslintrc.json", once, "no-var", ["warn"])).toEqual({ ok: true, changed: false, text: once });
    expect(enableEslintRule(".eslintrc.yml", "rules:\n  no-var: off\n", "no-var", ["error"])).toMatchObject({ ok: true, changed: false });
  });

  it("refuses JSON with comments, odd shapes and broken YAML, so the proposal falls back to a guideline", () => {
    expect(enableEslintRule(".eslintrc.json", '{\n  // team rules\n  "rules": {}\n}', "no-var", ["error"])).toMatchObject({ ok: false });
    expect(enableEslintRule(".eslintrc.json", '{"rules": "none"}', "no-var", ["error"])).toMatchObject({ ok: false });
    expect(enableEslintRule(".eslintrc.yml", "rules: [a, b]\n", "no-var", ["error"])).toMatchObject({ ok: false });
    expect(enableEslintRule(".eslintrc.yml", "rules: {\n", "no-var", ["error"])).toMatchObject({ ok: false });
  });
});
