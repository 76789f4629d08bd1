/**
 * Just enough of the Dockerfile format to run this repository's Dockerfile
 * without Docker (see dockerfile-stages.ts): instructions with their line
 * numbers, flags, shell and exec (JSON) forms, `${VAR}` substitution, and
 * `.dockerignore` matching. Anything else is an error, not a guess.
 */

export interface Instruction {
  /** Upper-cased: FROM, RUN, COPY, … */
  keyword: string;
  /** The text after the keyword, continuation lines joined. */
  text: string;
  /** 1-based line of the keyword. */
  line: number;
}

export interface Stage {
  name: string;
  /** The base image, global ARGs substituted. */
  image: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  /** Global ARGs (before the first FROM) with their defaults. */
  args: Record<string, string>;
  stages: Stage[];
}

/** Logical instructions: comments and blank lines dropped, `\` continuations joined (comment lines inside them too, as Docker does). */
export const instructionsOf = (text: string): Instruction[] => {
  const out: Instruction[] = [];
  let current: { text: string; line: number } | null = null;
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const trimmed = raw.trim();
    if (trimmed.startsWith("#") || (trimmed === "" && current === null)) continue;
    const continued = trimmed.endsWith("\\");
    const body = continued ? trimmed.slice(0, -1) : trimmed;
    if (current === null) current = { text: body, line: i + 1 };
    else current.text = `${current.text} ${body}`;
    if (continued) continue;
    const m = /^(\S+)\s*(.*)$/s.exec(current.text.trim());
    if (m?.[1] !== undefined) out.push({ keyword: m[1].toUpperCase(), text: (m[2] ?? "").trim(), line: current.line });
    current = null;
  }
  if (current !== null) throw new Error("the Dockerfile ends inside a continued line");
  return out;
};

/** `${NAME}`, `${NAME:-default}` and `$NAME` from vars; an unknown name is an error (Docker would substitute ""). */
export const substitute = (text: string, vars: Record<string, string>): string =>
  text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, braced: string | undefined, fallback: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? "";
    const value = vars[name] ?? fallback;
    if (value === undefined) throw new Error(`\${${name}} is not set`);
    return value;
  });

/** Whitespace-separated words, as a shell splits them: quotes group (`A="two words"`) and are removed. */
export const words = (text: string): string[] => {
  const out: string[] = [];
  const word = /(?:[^\s"']+|"(?:[^"\\]|\\.)*"|'[^']*')+/g;
  const part = /"((?:[^"\\]|\\.)*)"|'([^']*)'|([^"']+)/g;
  for (const m of text.matchAll(word)) {
    out.push(Array.from(m[0].matchAll(part), (p) => p[1]?.replace(/\\(.)/g, "$1") ?? p[2] ?? p[3] ?? "").join(""));
  }
  return out;
};

/** Leading `--name=value` flags (RUN --mount, COPY --from, HEALTHCHECK --interval) and the rest. */
export const splitFlags = (text: string): { flags: Record<string, string>; rest: string } => {
  const flags: Record<string, string> = {};
  let rest = text.trimStart();
  for (let m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest); m !== null; m = /^--([a-z-]+)(?:=(\S*))?\s*/.exec(rest)) {
    if (m[1] !== undefined) flags[m[1]] = m[2] ?? "true";
    rest = rest.slice(m[0].length);
  }
  return { flags, rest };
};

/** The exec form (`["node", "x.js"]`) as its array, or null for the shell form. */
export const execForm = (text: string): string[] | null => {
  if (!text.trimStart().startsWith("[")) return null;
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((p): p is string => typeof p === "string")) throw new Error(`not a JSON array of strings: ${text}`);
  return parsed;
};

/** A CMD, RUN or HEALTHCHECK CMD as argv: the exec form as written, the shell form through `/bin/sh -c`. */
export const argvOf = (text: string): string[] => execForm(text) ?? ["/bin/sh", "-c", text];

/** Stages in order. Global ARGs are substituted into FROM lines, as Docker does. */
export const parseDockerfile = (text: string): Dockerfile => {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const ins of instructionsOf(text)) {
    if (ins.keyword === "FROM") {
      const [image, as, name, ...extra] = words(splitFlags(ins.text).rest);
      if (image === undefined || extra.length > 0 || (as !== undefined && (as.toUpperCase() !== "AS" || name === undefined))) {
        throw new Error(`line ${String(ins.line)}: cannot read FROM ${ins.text}`);
      }
      stages.push({ name: name ?? String(stages.length), image: substitute(image, args), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage !== undefined) {
      stage.instructions.push(ins);
      continue;
    }
    if (ins.keyword !== "ARG") throw new Error(`line ${String(ins.line)}: only ARG may come before the first FROM`);
    const [name, value] = ins.text.split("=", 2);
    if (name === undefined || value === undefined) throw new Error(`line ${String(ins.line)}: a global ARG needs a default here: ${ins.text}`);
    args[name.trim()] = value.trim();
  }
  return { args, stages };
};

/** `ENV A=1 B="two words"` (and the legacy `ENV A 1`). */
export const envPairs = (text: string): Record<string, string> => {
  const parts = words(text);
  const first = parts[0];
  if (first !== undefined && !first.includes("=")) return { [first]: parts.slice(1).join(" ") };
  const out: Record<string, string> = {};
  for (const p of parts) {
    const at = p.indexOf("=");
    if (at <= 0) throw new Error(`cannot read ENV ${text}`);
    out[p.slice(0, at)] = p.slice(at + 1);
  }
  return out;
};

const patternRegex = (pattern: string): RegExp => {
  let re = "";
  const p = pattern.replace(/^\/+/, "").replace(/\/+$/, "");
  for (let i = 0; i < p.length; i++) {
    const c = p.charAt(i);
    if (c === "*" && p.charAt(i + 1) === "*") {
      // `**/` matches any number of folders, including none.
      re += p.charAt(i + 2) === "/" ? "(?:.*/)?" : ".*";
      i += p.charAt(i + 2) === "/" ? 2 : 1;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
};

/**
 * `.dockerignore`: patterns relative to the context root, `*`, `?` and `**`,
 * `!` exceptions (the last matching line wins); a pattern matching a folder
 * excludes everything under it. Returns whether a context-relative path
 * (with `/` separators) is left out of the build context.
 */
export const dockerignoreMatcher = (text: string): ((path: string) => boolean) => {
  const rules = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"))
    .map((l) => (l.startsWith("!") ? { exclude: false, re: patternRegex(l.slice(1).trim()) } : { exclude: true, re: patternRegex(l) }));
  return (path: string): boolean => {
    const segments = path.split("/");
    let excluded = false;
    for (const rule of rules) {
      for (let n = 1; n <= segments.length; n++) {
        if (rule.re.test(segments.slice(0, n).join("/"))) {
          excluded = rule.exclude;
          break;
        }
      }
    }
    return excluded;
  };
};
