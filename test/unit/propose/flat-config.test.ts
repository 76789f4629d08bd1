import { enableFlatConfigRule } from "../../../src/propose/edit/flat-config.js";

const edited = (r: ReturnType<typeof enableFlatConfigRule>): string => {
  if (!r.ok) throw new Error(r.reason);
  return r.text;
};

describe("enableFlatConfigRule", () => {
  it("adds the rule to the last config object's rules, keeping comments and everything else", () => {
    const before = [
      'import js from "@eslint/js";',
      "",
      "// Our lint setup.",
      "export default [",
      "  js.configs.recommended,",
      "  {",
      "    files: [\"**/*.js\"],",
      "    rules: {",
      "      eqeqeq: \"error\", // always",
      "    },",
      "  },",
      "];",
      "",
    ].join("\n");
    const after = edited(enableFlatConfigRule("eslint.config.js", before, "no-var", ["error"]));
    expect(after).toContain("// Our lint setup.");
    expect(after).toContain('eqeqeq: "error", // always');
    expect(after).toMatch(/"no-var": \["error"\]/);
    expect(after.split("\n").slice(0, 8)).toEqual(before.split("\n").slice(0, 8));
  });

  it("appends a rules entry to a typescript-eslint config call that has none", () => {
    const before = 'import tseslint from "typescript-eslint";\n\nexport default tseslint.config(tseslint.configs.strictTypeChecked);\n';
    const after = edited(enableFlatConfigRule("eslint.config.mjs", before, "@typescript-eslint/no-floating-promises", ["error"]));
    expect(after).toContain('tseslint.configs.strictTypeChecked, { rules: { "@typescript-eslint/no-floating-promises": ["error"] } })');
  });

  it("reads defineConfig([...]) and module.exports", () => {
    expect(edited(enableFlatConfigRule("eslint.config.mjs", 'export default defineConfig([{ rules: {} }]);\n', "curly", ["error", "all"]))).toMatch(/defineConfig\(\[\{ rules: \{\s*"curly": \["error","all"\]\s*\} \}\]\)/);
    expect(edited(enableFlatConfigRule("eslint.config.cjs", "module.exports = [{ files: ['a.js'] }];\n", "curly", ["error"]))).toContain('{ rules: { "curly": ["error"] } }');
  });

  it("leaves a rule the config already sets, so a second run changes nothing", () => {
    const once = edited(enableFlatConfigRule("eslint.config.js", "export default [{ rules: { semi: 'error' } }];\n", "no-var", ["error"]));
    expect(enableFlatConfigRule("eslint.config.js", once, "no-var", ["warn"])).toEqual({ ok: true, changed: false, text: once });
    expect(enableFlatConfigRule("eslint.config.js", "export default [{ rules: { 'no-var': 'off' } }];\n", "no-var", ["error"])).toMatchObject({ ok: true, changed: false });
  });

  it("refuses what it cannot edit safely, so the proposal falls back to a guideline", () => {
    expect(enableFlatConfigRule("eslint.config.js", "export default [{ rules: {", "no-var", ["error"])).toMatchObject({ ok: false });
    expect(enableFlatConfigRule("eslint.config.js", "const c = [];\nexport { c };\n", "no-var", ["error"])).toMatchObject({ ok: false });
    expect(enableFlatConfigRule("eslint.config.js", "export default makeConfig;\n", "no-var", ["error"])).toMatchObject({ ok: false });
    expect(enableFlatConfigRule("eslint.config.js", "export default [{}];\n", "@typescript-eslint/no-explicit-any", ["error"])).toMatchObject({ ok: false });
  });
});
