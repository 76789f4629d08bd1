/**
 * Enabling ruff rules in a repository's own config, text-preserving (pure).
 * Only the `extend-select` list changes; comments, order and formatting of
 * everything else stay byte for byte. Codes a `select`/`extend-select` entry
 * already covers (a prefix such as "F" covers F401, "ALL" covers everything)
 * are not added again, so a second run changes nothing.
 */
export type RuffConfigFile = "ruff.toml" | ".ruff.toml" | "pyproject.toml";

export type RuffEdit =
  | { ok: true; changed: boolean; text: string; added: string[] }
  | { ok: false; reason: string };

interface Table {
  /** Header line index (-1: the top level of the file). */
  header: number;
  /** First line after the table (next header or end). */
  end: number;
}

const HEADER = /^\s*\[\s*([A-Za-z0-9_.\-" ]+?)\s*\]\s*(#.*)?$/;

const tables = (lines: readonly string[]): Map<string, Table> => {
  const out = new Map<string, Table>();
  let name = "";
  let start = -1;
  lines.forEach((line, i) => {
    if (/^\s*\[\[/.test(line)) {
      out.set(name, { header: start, end: i });
      name = `\u0000array@${String(i)}`;
      start = i;
      return;
    }
    const m = HEADER.exec(line);
    if (m === null) return;
    if (!out.has(name)) out.set(name, { header: start, end: i });
    name = (m[1] ?? "").replace(/\s+/g, "").replace(/"/g, "");
    start = i;
  });
  if (!out.has(name)) out.set(name, { header: start, end: lines.length });
  return out;
};

/** A key's array value inside a table: its line span and the codes in it. */
interface ArrayValue {
  first: number;
  last: number;
  codes: string[];
}

const findArray = (lines: readonly string[], table: Table, key: string): ArrayValue | null | "unsafe" => {
  const keyRe = new RegExp(`^\\s*${key.replace(/-/g, "\\-")}\\s*=\\s*(.*)$`);
  for (let i = table.header + 1; i < table.end; i++) {
    const m = keyRe.exec(lines[i] ?? "");
    if (m === null) continue;
    const rest = m[1] ?? "";
    if (!rest.startsWith("[")) return "unsafe";
    let text = "";
    for (let j = i; j < table.end; j++) {
      // Comments end at the line's end; strings hold no "#" in rule codes.
      text += `${(j === i ? rest : (lines[j] ?? "")).replace(/#.*$/, "")}\n`;
      if (text.includes("]")) {
        const body = text.slice(text.indexOf("[") + 1, text.indexOf("]"));
        const codes = [...body.matchAll(/["']([A-Z]+[0-9]*)["']/g)].map((c) => c[1] ?? "");
        const leftover = body.replace(/["'][A-Z]+[0-9]*["']/g, "").replace(/[\s,]/g, "");
        if (leftover !== "") return "unsafe";
        return { first: i, last: j, codes };
      }
    }
    return "unsafe";
  }
  return null;
};

const letters = (code: string): string => /^[A-Z]+/.exec(code)?.[0] ?? "";

/** Whether a selector covers a code: "ALL", the code's own linter prefix ("ANN", not "A"), or a prefix of it within that linter ("ANN0"). */
const covers = (selected: readonly string[], code: string): boolean =>
  selected.some((s) => s === "ALL" || (letters(s) === letters(code) && code.startsWith(s)));

/** Where the lint settings live in this file, newest layout first. */
const LINT_TABLES: Record<RuffConfigFile, readonly string[]> = {
  "ruff.toml": ["lint", ""],
  ".ruff.toml": ["lint", ""],
  "pyproject.toml": ["tool.ruff.lint", "tool.ruff"],
};

export const enableRuffCodes = (file: RuffConfigFile, text: string, codes: readonly string[]): RuffEdit => {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(/\r?\n/);
  const all = tables(lines);
  const candidates = LINT_TABLES[file].filter((t) => all.has(t) && (t !== "" || file !== "pyproject.toml"));
  if (file === "pyproject.toml" && !all.has("tool.ruff") && !all.has("tool.ruff.lint")) {
    return { ok: false, reason: "pyproject.toml has no [tool.ruff] table: the repository does not configure ruff there" };
  }
  // Everything already selected, in any of the places ruff reads.
  const selected: string[] = [];
  let target: { table: Table; value: ArrayValue } | null = null;
  for (const name of candidates) {
    const table = all.get(name);
    if (table === undefined) continue;
    for (const key of ["select", "extend-select"]) {
      const value = findArray(lines, table, key);
      if (value === "unsafe") return { ok: false, reason: `cannot read ${key} in [${name === "" ? "top level" : name}] safely (not a plain list of rule codes)` };
      if (value === null) continue;
      selected.push(...value.codes);
      if (key === "extend-select" && target === null) target = { table, value };
    }
  }
  const missing = codes.filter((c, i) => codes.indexOf(c) === i && !covers(selected, c));
  if (missing.length === 0) return { ok: true, changed: false, text, added: [] };
  const quoted = missing.map((c) => `"${c}"`);

  if (target !== null) {
    const { first, last, codes: present } = target.value;
    if (first === last) {
      // extend-select = ["E", "F"]  →  extend-select = ["E", "F", "ANN001"]
      const line = lines[first] ?? "";
      const close = line.lastIndexOf("]", line.includes("#") ? line.indexOf("#") : line.length);
      const before = line.slice(0, close).replace(/\s*,?\s*$/, "");
      const sep = present.length === 0 ? "" : ", ";
      lines[first] = `${before}${sep}${quoted.join(", ")}${line.slice(close)}`;
    } else {
      // One entry per line: new entries take the last entry's indentation.
      const entry = lines.slice(first + 1, last + 1).find((l) => /["'][A-Z]/.test(l)) ?? `    "X",`;
      const indent = /^\s*/.exec(entry)?.[0] ?? "    ";
      let tail = last;
      while (tail > first && !/["'][A-Z]/.test(lines[tail] ?? "")) tail--;
      if (tail > first && !/,\s*(#.*)?$/.test(lines[tail] ?? "")) lines[tail] = (lines[tail] ?? "").replace(/(["'])(\s*(#.*)?)$/, "$1,$2");
      const closingLine = lines[last] ?? "";
      const closeAt = closingLine.indexOf("]");
      if (closingLine.slice(0, closeAt).trim() !== "") return { ok: false, reason: "extend-select closes on a line with entries: not edited" };
      lines.splice(last, 0, ...quoted.map((q) => `${indent}${q},`));
    }
    return { ok: true, changed: true, text: lines.join(eol), added: missing };
  }

  // No extend-select yet: add one to the newest lint table, creating the table if needed.
  const tableName = LINT_TABLES[file][0] ?? "lint";
  const table = all.get(tableName);
  const newLine = `extend-select = [${quoted.join(", ")}]`;
  if (table !== undefined) {
    lines.splice(table.header + 1, 0, newLine);
  } else {
    while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
    lines.push("", `[${tableName}]`, newLine, "");
  }
  return { ok: true, changed: true, text: lines.join(eol), added: missing };
};
