/**
 * The lines a unified diff adds, with their line numbers in the new file:
 * what learned checks read. Written for `git diff` / `git format-patch`
 * output and GitHub's `application/vnd.github.diff` (default `a/` and `b/`
 * prefixes); plain `diff -u` output is read too, its paths taken verbatim.
 *
 * Hunks are read by their line counts, so content lines that look like
 * headers (an added `++ x` shows as `+++ x`, a removed `-- x` as `--- x`)
 * stay content, and text after the last hunk (a format-patch signature,
 * `-- `) is never read as a removal. Combined diffs of merges (`diff --cc`,
 * `@@@`) are not read.
 */

export interface AddedLine {
  /** The file's path in the new tree, repository-relative, with `/`. */
  path: string;
  /** The line's number in the new file (1-based). */
  line: number;
  /** The line without its `+` marker and without a trailing carriage return. */
  text: string;
}

export interface DiffLimits {
  /** File sections read; later ones are skipped whole. */
  maxFiles: number;
  /** Added lines returned; later ones are counted, not returned. */
  maxLines: number;
  /** Longest added line returned, in UTF-16 code units (JavaScript string length). */
  maxLineLength: number;
}

/**
 * Default limits. 300 files and 20,000 lines are GitHub's own limits for a
 * pull request diff (its diff view and the `application/vnd.github.diff`
 * media type refuse or cut larger ones), so a PR diff fetched from GitHub
 * rarely reaches them, and a local diff is read no further than GitHub would
 * show it. 10,000 characters per line is far beyond any hand-written line
 * (style guides stop at 80-120) and stops minified or generated one-line
 * files from costing a pattern pass over megabytes: the worst case stays at
 * 20,000 × 10,000 characters for one RE2 pass per line.
 */
export const DEFAULT_DIFF_LIMITS: Readonly<DiffLimits> = Object.freeze({ maxFiles: 300, maxLines: 20_000, maxLineLength: 10_000 });

export interface DiffSkipped {
  /** File sections after the first `maxFiles`, not read at all. */
  files: number;
  /** Added lines, in files that were read, beyond the first `maxLines`. */
  lines: number;
  /** Added lines longer than `maxLineLength` (not returned, not counted against `maxLines`). */
  longLines: number;
  /** Binary files among those read: they have no lines to check. */
  binary: number;
}

export interface AddedLines {
  lines: AddedLine[];
  /** File sections read (deleted, renamed, binary and mode-only changes included). */
  files: number;
  skipped: DiffSkipped;
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

const ESCAPES: Readonly<Record<string, number>> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };

/**
 * A path as git writes it: C-quoted (`"caf\303\251 \"x\".txt"`, octal bytes
 * of UTF-8) when it holds special characters, else verbatim up to a tab (git
 * ends a name that contains a space with a tab; plain diff puts the
 * timestamp after one).
 */
export const unquoteDiffPath = (raw: string): string => {
  if (!raw.startsWith('"')) {
    const tab = raw.indexOf("\t");
    return tab < 0 ? raw : raw.slice(0, tab);
  }
  const bytes: number[] = [];
  for (let i = 1; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === '"') break;
    if (c !== "\\") {
      // Raw characters (core.quotePath=false) are kept as their UTF-8 bytes.
      const cp = raw.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
      i += ch.length - 1;
      continue;
    }
    const next = raw.charAt(i + 1);
    const octal = /^[0-7]{3}/.exec(raw.slice(i + 1, i + 4));
    if (octal !== null) {
      bytes.push(parseInt(octal[0], 8) & 0xff);
      i += 3;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
};

interface Section {
  /** The new file's path; null until known, or for a deletion (`+++ /dev/null`). */
  path: string | null;
  git: boolean;
  skipped: boolean;
  binary: boolean;
}

interface Hunk {
  oldLeft: number;
  newLeft: number;
  next: number;
}

/** The added lines of a unified diff, within `limits` (see DEFAULT_DIFF_LIMITS). */
export const readAddedLines = (diff: string, limits: Partial<DiffLimits> = {}): AddedLines => {
  const { maxFiles, maxLines, maxLineLength } = { ...DEFAULT_DIFF_LIMITS, ...limits };
  const lines: AddedLine[] = [];
  const skipped: DiffSkipped = { files: 0, lines: 0, longLines: 0, binary: 0 };
  let files = 0;
  let section: Section | null = null;
  /** Between `diff --git` and its first `+++` or hunk: a `---`/`+++` pair belongs to this section. */
  let gitHeaderOpen = false;
  let hunk: Hunk | null = null;

  const open = (git: boolean): Section => {
    const skip = files >= maxFiles;
    if (skip) skipped.files++;
    else files++;
    return { path: null, git, skipped: skip, binary: false };
  };

  const raw = diff.split("\n");
  for (let i = 0; i < raw.length; i++) {
    let text = raw[i] ?? "";
    if (text.endsWith("\r")) text = text.slice(0, -1);

    if (hunk !== null) {
      const marker = text.charAt(0);
      if (marker === "\\") continue; // "\ No newline at end of file"
      if (text === "" || marker === " ") {
        hunk.oldLeft--;
        hunk.newLeft--;
        hunk.next++;
      } else if (marker === "-") {
        hunk.oldLeft--;
      } else if (marker === "+") {
        if (section !== null && !section.skipped && !section.binary && section.path !== null) {
          const content = text.slice(1);
          if (content.length > maxLineLength) skipped.longLines++;
          else if (lines.length >= maxLines) skipped.lines++;
          else lines.push({ path: section.path, line: hunk.next, text: content });
        }
        hunk.newLeft--;
        hunk.next++;
      } else {
        // Not a content line: the hunk was shorter than its header said. Read the line as a header.
        hunk = null;
      }
      if (hunk !== null) {
        if (hunk.oldLeft <= 0 && hunk.newLeft <= 0) hunk = null;
        continue;
      }
    }

    if (text.startsWith("diff --git ")) {
      section = open(true);
      gitHeaderOpen = true;
      continue;
    }
    if (text.startsWith("--- ") && (raw[i + 1] ?? "").startsWith("+++ ")) {
      if (!gitHeaderOpen) section = open(false);
      continue; // The old path does not matter: the `+++` line follows.
    }
    if (text.startsWith("+++ ") && section !== null) {
      const path = unquoteDiffPath(text.slice(4));
      section.path = path === "/dev/null" ? null : section.git && path.startsWith("b/") ? path.slice(2) : path;
      gitHeaderOpen = false;
      continue;
    }
    if (text.startsWith("Binary files ") && text.endsWith(" differ")) {
      // git prints it in the section's header; plain diff prints it alone, for a file of its own.
      if (!gitHeaderOpen || section === null) section = open(false);
      if (!section.binary && !section.skipped) skipped.binary++;
      section.binary = true;
      gitHeaderOpen = false;
      continue;
    }
    if (section === null) continue; // A format-patch mail header or commit message.
    if (text.startsWith("@@ ")) {
      const m = HUNK.exec(text);
      if (m === null) continue;
      gitHeaderOpen = false;
      const oldCount = m[2] === undefined ? 1 : Number(m[2]);
      const newCount = m[4] === undefined ? 1 : Number(m[4]);
      if (oldCount === 0 && newCount === 0) continue;
      hunk = { oldLeft: oldCount, newLeft: newCount, next: Number(m[3]) };
      continue;
    }
    if (gitHeaderOpen && text === "GIT binary patch") {
      if (!section.binary && !section.skipped) skipped.binary++;
      section.binary = true;
      gitHeaderOpen = false;
    }
    // Anything else (index, mode, rename/copy, similarity lines, a diffstat, a signature) carries no added line.
  }
  return { lines, files, skipped };
};
