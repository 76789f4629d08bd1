/**
 * Reading GitHub review-comment diff hunks. A comment's `diff_hunk` ends at
 * the commented line, so the commented region is the hunk's last lines on the
 * comment's side. Pure: text in, text out.
 */

export interface HunkLine {
  /** " " context, "+" added, "-" removed. */
  op: " " | "+" | "-";
  text: string;
}

export const parseHunk = (hunk: string): HunkLine[] => {
  const out: HunkLine[] = [];
  for (const raw of hunk.split("\n")) {
    if (raw.startsWith("@@")) continue;
    if (raw.startsWith("\\")) continue; // "\ No newline at end of file"
    const op = raw[0];
    if (op === "+" || op === "-" || op === " ") out.push({ op, text: raw.slice(1) });
    else if (raw.length === 0) out.push({ op: " ", text: "" });
  }
  return out;
};

export interface CommentedRegion {
  /** The commented lines, without diff prefixes. */
  lines: string[];
  /** Up to `contextSize` lines on the same side just above the region. */
  contextAbove: string[];
}

/**
 * The commented lines: `span` lines (1 for a single-line comment, or
 * line - start_line + 1) at the end of the hunk, on the comment's side
 * (RIGHT: context and added lines; LEFT: context and removed lines).
 */
export const commentedRegion = (
  hunk: string,
  side: "LEFT" | "RIGHT" | null,
  span: number,
  contextSize = 3,
): CommentedRegion => {
  const removed = side === "LEFT" ? "+" : "-";
  const sideLines = parseHunk(hunk)
    .filter((l) => l.op !== removed)
    .map((l) => l.text);
  const n = Math.max(1, Math.min(span, sideLines.length));
  const lines = sideLines.slice(sideLines.length - n);
  const contextAbove = sideLines.slice(Math.max(0, sideLines.length - n - contextSize), sideLines.length - n);
  return { lines, contextAbove };
};

const norm = (s: string): string => s.replace(/\s+/g, " ").trim();

export const sameCode = (a: readonly string[], b: readonly string[]): boolean =>
  norm(a.join("\n")) === norm(b.join("\n"));

export interface Located {
  /** 0-based index in the file of the region's first line. */
  start: number;
  lines: string[];
}

/**
 * Find "the same region" in a later version of the file: anchor on the
 * context lines above the comment (the nearest match to the original line
 * wins), then take as many lines as were commented. Without context, look
 * for the commented lines themselves. Null when nothing anchors.
 */
export const locateRegion = (fileText: string, region: CommentedRegion, originalLine: number | null): Located | null => {
  const file = fileText.split("\n");
  const target = originalLine === null ? 0 : originalLine - 1;
  const pick = (candidates: number[]): number | null =>
    candidates.length === 0 ? null : candidates.reduce((best, c) => (Math.abs(c - target) < Math.abs(best - target) ? c : best));
  const matchesAt = (needle: readonly string[], at: number): boolean =>
    needle.every((line, k) => file[at + k] !== undefined && norm(file[at + k] ?? "") === norm(line));
  const fullCtx = region.contextAbove.filter((l) => norm(l) !== "");
  // The lines just above may have changed too: try the whole context, then shorter tails of it.
  for (let take = fullCtx.length; take > 0; take--) {
    const ctx = fullCtx.slice(fullCtx.length - take);
    const starts: number[] = [];
    for (let i = 0; i + ctx.length <= file.length; i++) {
      // Compare non-blank lines only, skipping blank lines in the file.
      let j = i;
      let k = 0;
      while (k < ctx.length && j < file.length) {
        if (norm(file[j] ?? "") === "") {
          j++;
          continue;
        }
        if (norm(file[j] ?? "") !== norm(ctx[k] ?? "")) break;
        j++;
        k++;
      }
      if (k === ctx.length) starts.push(j);
    }
    const start = pick(starts);
    if (start !== null) return { start, lines: file.slice(start, start + region.lines.length) };
  }
  const direct: number[] = [];
  for (let i = 0; i + region.lines.length <= file.length; i++) if (matchesAt(region.lines, i)) direct.push(i);
  const start = pick(direct);
  return start === null ? null : { start, lines: file.slice(start, start + region.lines.length) };
};

/** The ```suggestion blocks of a comment body, each as lines. */
export const suggestionBlocks = (body: string): string[][] => {
  const out: string[][] = [];
  const re = /(^|\n)[ \t]*(`{3,}|~{3,})[ \t]*suggestion[^\n]*\n([\s\S]*?)\n?[ \t]*\2[ \t]*(?=\n|$)/g;
  for (const m of body.matchAll(re)) {
    const content = m[3] ?? "";
    out.push(content === "" ? [] : content.split("\n"));
  }
  return out;
};
