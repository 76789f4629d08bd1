import { Node, Project, SyntaxKind, type Expression, type ObjectLiteralExpression, type SourceFile } from "ts-morph";

/**
 * Enabling a rule in an ESLint flat config (`eslint.config.{js,mjs,cjs,ts}`)
 * by an AST edit with ts-morph (pure: an in-memory file system). The exported
 * config is an array, or a call such as `tseslint.config(...)` /
 * `defineConfig(...)`; the rule joins the `rules` object of the last config
 * object that has one, or a new `{ rules: { … } }` entry at the end.
 * Comments and the formatting of everything else are kept. A rule the config
 * already sets anywhere is left alone, so a second run changes nothing.
 * Shapes it does not understand are refused: the proposal then falls back
 * to a guideline carrying the snippet.
 */
export type FlatConfigEdit = { ok: true; changed: boolean; text: string } | { ok: false; reason: string };

/** The exported config expression: `export default …` or `module.exports = …`. */
const exported = (file: SourceFile): Expression | undefined => {
  const assignment = file.getExportAssignment((e) => !e.isExportEquals());
  if (assignment !== undefined) return assignment.getExpression();
  for (const statement of file.getStatements()) {
    const e = statement.asKind(SyntaxKind.ExpressionStatement)?.getExpression().asKind(SyntaxKind.BinaryExpression);
    if (e !== undefined && e.getLeft().getText().replace(/\s/g, "") === "module.exports") return e.getRight();
  }
  return undefined;
};

/** The list of config entries: array elements, or the arguments of a config helper call. */
const entriesOf = (expression: Expression): { items: Node[]; add: (text: string) => void } | undefined => {
  let e: Node = expression;
  while (Node.isAsExpression(e) || Node.isSatisfiesExpression(e) || Node.isParenthesizedExpression(e)) e = e.getExpression();
  if (Node.isArrayLiteralExpression(e)) {
    const array = e;
    return { items: array.getElements(), add: (text) => array.addElement(text, { useNewLines: array.getText().includes("\n") }) };
  }
  if (Node.isCallExpression(e)) {
    const call = e;
    const args = call.getArguments();
    // defineConfig([...]) takes one array.
    const only = args[0];
    if (args.length === 1 && only !== undefined && Node.isArrayLiteralExpression(only)) return entriesOf(only);
    return { items: args, add: (text) => call.addArgument(text) };
  }
  return undefined;
};

const rulesOf = (o: ObjectLiteralExpression): ObjectLiteralExpression | undefined => {
  return o.getProperty("rules")?.asKind(SyntaxKind.PropertyAssignment)?.getInitializer()?.asKind(SyntaxKind.ObjectLiteralExpression);
};

const names = (rules: ObjectLiteralExpression): string[] =>
  rules.getProperties().flatMap((p) => {
    const assignment = p.asKind(SyntaxKind.PropertyAssignment);
    return assignment === undefined ? [] : [assignment.getName().replace(/^["'`]|["'`]$/g, "")];
  });

export const enableFlatConfigRule = (fileName: string, text: string, rule: string, entry: unknown): FlatConfigEdit => {
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
  const file = project.createSourceFile(fileName.endsWith(".ts") ? "eslint.config.ts" : "eslint.config.js", text);
  if (project.getProgram().getSyntacticDiagnostics(file).length > 0) {
    return { ok: false, reason: `${fileName} does not parse` };
  }
  if (rule.startsWith("@typescript-eslint/") && !/typescript-eslint/.test(text)) {
    return { ok: false, reason: `${fileName} does not load typescript-eslint, so ${rule} would not resolve` };
  }
  const expression = exported(file);
  if (expression === undefined) return { ok: false, reason: `${fileName} has no \`export default\` or \`module.exports\` config` };
  const entries = entriesOf(expression);
  if (entries === undefined) return { ok: false, reason: `${fileName} exports a config shape this edit does not understand (not an array or a config helper call)` };
  const objects = entries.items.filter((n): n is ObjectLiteralExpression => Node.isObjectLiteralExpression(n));
  if (
    objects.some((o) => {
      const r = rulesOf(o);
      return r !== undefined && names(r).includes(rule);
    })
  ) {
    return { ok: true, changed: false, text };
  }
  const value = JSON.stringify(entry);
  const target = [...objects].reverse().map(rulesOf).find((r) => r !== undefined);
  if (target !== undefined) {
    target.addPropertyAssignment({ name: JSON.stringify(rule), initializer: value });
  } else {
    entries.add(`{ rules: { ${JSON.stringify(rule)}: ${value} } }`);
  }
  return { ok: true, changed: true, text: file.getFullText() };
};
