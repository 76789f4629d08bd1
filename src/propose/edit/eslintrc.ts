import { isMap, parseDocument } from "yaml";

/**
 * Enabling an ESLint rule in a legacy config (pure): `.eslintrc.json` /
 * `.eslintrc` (JSON), `package.json#eslintConfig`, `.eslintrc.yml`/`.yaml`.
 * JSON is edited as text (one line inserted, nothing else touched); YAML
 * through the yaml Document API, which keeps comments. A rule the config
 * already sets is left as the maintainers set it. Anything unexpected is a
 * refusal, so the proposal falls back to a guideline.
 */
export type EslintrcFile = ".eslintrc.json" | ".eslintrc" | "package.json" | ".eslintrc.yml" | ".eslintrc.yaml";

export type EslintrcEdit = { ok: true; changed: boolean; text: string } | { ok: false; reason: string };

/** The offsets of an object's `{` and of the value of `key` inside it, scanning JSON text (strings respected). */
const scan = (text: string, from: number): { open: number; close: number; keys: Map<string, { keyAt: number; valueAt: number }> } | null => {
  let i = from;
  while (i < text.length && /\s/.test(text[i] ?? "")) i++;
  if (text[i] !== "{") return null;
  const open = i;
  const keys = new Map<string, { keyAt: number; valueAt: number }>();
  let depth = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      if (depth === 1) {
        let j = i + 1;
        while (/\s/.test(text[j] ?? "")) j++;
        if (text[j] === ":") {
          j++;
          while (/\s/.test(text[j] ?? "")) j++;
          keys.set(JSON.parse(text.slice(start, i + 1)) as string, { keyAt: start, valueAt: j });
        }
      }
    } else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") {
      depth--;
      if (depth === 0) return { open, close: i, keys };
    } else if (ch === "/" && (text[i + 1] === "/" || text[i + 1] === "*")) return null;
  }
  return null;
};

const lineIndent = (text: string, at: number): string => {
  const start = text.lastIndexOf("\n", at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? "";
};

/** Inserts `"rule": entry` as the first member of the object opening at `open`. */
const insertMember = (text: string, object: { open: number; close: number; keys: Map<string, unknown> }, member: string): string => {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const outer = lineIndent(text, object.open);
  const firstKey = [...object.keys.values()][0] as { keyAt: number } | undefined;
  const unit = /^( +|\t)/.exec(text.slice(text.indexOf("\n") + 1))?.[0] ?? "  ";
  if (firstKey === undefined) return `${text.slice(0, object.open + 1)}${eol}${outer}${unit}${member}${eol}${outer}${text.slice(object.close)}`;
  const sameLine = !text.slice(object.open, firstKey.keyAt).includes("\n");
  if (sameLine) return `${text.slice(0, firstKey.keyAt)}${member}, ${text.slice(firstKey.keyAt)}`;
  const indent = lineIndent(text, firstKey.keyAt);
  return `${text.slice(0, firstKey.keyAt)}${member},${eol}${indent}${text.slice(firstKey.keyAt)}`;
};

const editJson = (text: string, configAt: number, rule: string, entry: unknown): EslintrcEdit => {
  const config = scan(text, configAt);
  if (config === null) return { ok: false, reason: "the ESLint config is not a plain JSON object (comments or an unexpected shape)" };
  const rules = config.keys.get("rules");
  const member = (name: string, value: unknown): string => `${JSON.stringify(name)}: ${JSON.stringify(value)}`;
  if (rules === undefined) return { ok: true, changed: true, text: insertMember(text, config, member("rules", { [rule]: entry })) };
  const rulesObject = scan(text, rules.valueAt);
  if (rulesObject === null) return { ok: false, reason: "`rules` is not a plain JSON object" };
  if (rulesObject.keys.has(rule)) return { ok: true, changed: false, text };
  return { ok: true, changed: true, text: insertMember(text, rulesObject, member(rule, entry)) };
};

export const enableEslintRule = (file: EslintrcFile, text: string, rule: string, entry: unknown): EslintrcEdit => {
  if (file === ".eslintrc.yml" || file === ".eslintrc.yaml") {
    const doc = parseDocument(text);
    if (doc.errors.length > 0 || !isMap(doc.contents)) return { ok: false, reason: `${file} is not a YAML mapping` };
    const rules = doc.get("rules");
    if (rules !== undefined && !isMap(rules)) return { ok: false, reason: "`rules` is not a mapping" };
    if (isMap(rules) && rules.has(rule)) return { ok: true, changed: false, text };
    doc.setIn(["rules", rule], doc.createNode(entry, { flow: true }));
    return { ok: true, changed: true, text: doc.toString() };
  }
  try {
    JSON.parse(text);
  } catch {
    return { ok: false, reason: `${file} is not plain JSON (comments?): not edited` };
  }
  if (file === "package.json") {
    const pkg = scan(text, 0);
    const at = pkg?.keys.get("eslintConfig");
    if (at === undefined) return { ok: false, reason: "package.json has no eslintConfig" };
    return editJson(text, at.valueAt, rule, entry);
  }
  return editJson(text, 0, rule, entry);
};
