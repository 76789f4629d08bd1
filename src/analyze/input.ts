import { z } from "zod";
import { classifyActor, type ActorClassifier } from "../signals/actor.js";
import type { LearnComment } from "../learn/types.js";

/**
 * Offline input for `analyze`: GitHub REST review-comment objects exactly as
 * `gh api --paginate repos/O/R/pulls/comments` prints them, as one JSON array,
 * several concatenated arrays (what --paginate writes), or JSON lines.
 * Unknown fields are ignored and optional ones may be missing; anything else
 * is an error that names the line or index.
 */
export class InputError extends Error {}

const RestReviewComment = z.object({
  id: z.number().int(),
  body: z.string().nullable().optional(),
  path: z.string().nullable().optional(),
  diff_hunk: z.string().nullable().optional(),
  line: z.number().int().nullable().optional(),
  start_line: z.number().int().nullable().optional(),
  original_line: z.number().int().nullable().optional(),
  original_start_line: z.number().int().nullable().optional(),
  user: z
    .object({ login: z.string(), type: z.string().optional(), id: z.number().optional() })
    .nullable()
    .optional(),
  created_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date"),
  html_url: z.string().nullable().optional(),
  pull_request_url: z.string().optional(),
  in_reply_to_id: z.number().int().nullable().optional(),
});

const PULL_URL = /\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)/;
const HTML_URL = /github\.com\/([^/]+\/[^/]+)\/pull\/(\d+)/;

/** Where a record is: its line for JSON lines, its 1-based position (and line of its array) otherwise. */
export const where = (position: JsonRecord["position"]): string =>
  position.index === null ? `line ${String(position.line)}` : `item ${String(position.index)} (the array starting on line ${String(position.line)})`;

const toComment = (raw: unknown, position: JsonRecord["position"], actors: ActorClassifier): LearnComment => {
  const parsed = RestReviewComment.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined ? "" : issue.path.join(".");
    throw new InputError(
      `${where(position)}: not a GitHub review comment (${field === "" ? "" : `${field}: `}${issue?.message ?? "invalid"}). ` +
        "Expected objects from `gh api repos/OWNER/REPO/pulls/comments`.",
    );
  }
  const c = parsed.data;
  const ref = PULL_URL.exec(c.pull_request_url ?? "") ?? HTML_URL.exec(c.html_url ?? "");
  if (ref === null) throw new InputError(`${where(position)}: comment ${String(c.id)} has neither pull_request_url nor html_url, so its PR is unknown`);
  const login = c.user?.login ?? "ghost";
  const line = c.line ?? c.original_line ?? null;
  const start = c.start_line ?? c.original_start_line ?? null;
  return {
    id: c.id,
    repo: ref[1] ?? "",
    pullNumber: Number(ref[2]),
    body: c.body ?? "",
    path: c.path ?? null,
    diffHunk: c.diff_hunk ?? null,
    span: line !== null && start !== null && line >= start ? line - start + 1 : 1,
    author: login,
    authorKind: classifyActor({ login, type: c.user?.type ?? null, id: c.user?.id ?? null }, actors),
    pullAuthor: null,
    createdAt: new Date(c.created_at).toISOString(),
    url: c.html_url ?? null,
    inReplyTo: c.in_reply_to_id ?? null,
  };
};

/** The line (1-based) of a character offset. */
const lineAt = (text: string, offset: number): number => {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
};

/**
 * Splits the text into its top-level JSON values: one array, the
 * back-to-back arrays `gh api --paginate` prints, or one object per line.
 * Brackets inside strings (`grid[i][j]`) are not boundaries.
 */
const splitValues = (text: string): { text: string; start: number; line: number }[] => {
  const values: { text: string; start: number; line: number }[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\n") line++;
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') {
      inString = true;
      if (depth === 0 && start < 0) [start, startLine] = [i, line];
    } else if (ch === "[" || ch === "{") {
      if (depth === 0) [start, startLine] = [i, line];
      depth++;
    } else if (ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) {
        values.push({ text: text.slice(start, i + 1), start, line: startLine });
        start = -1;
      }
      if (depth < 0) throw new InputError(`line ${String(line)}: not JSON (unexpected '${ch}')`);
    } else if (depth === 0 && ch !== undefined && !/\s/.test(ch)) {
      // A bare scalar at the top level: read up to the end of its line.
      const end = text.indexOf("\n", i);
      values.push({ text: text.slice(i, end < 0 ? text.length : end), start: i, line });
      i = end < 0 ? text.length : end - 1;
    }
  }
  if (depth > 0 || inString) values.push({ text: text.slice(start < 0 ? 0 : start), start: start < 0 ? 0 : start, line: startLine });
  return values;
};

/** One record of a gh export and where it is: its line, and its 1-based position when it sits in an array. */
export interface JsonRecord {
  item: unknown;
  position: { line: number; index: number | null };
}

/**
 * The records of a `gh api` export: one array, the back-to-back arrays
 * `--paginate` prints, or JSON lines. `what` names the records in errors.
 */
export const jsonRecords = (text: string, what: string): JsonRecord[] => {
  if (text.trim() === "") throw new InputError(`the input is empty: expected a JSON array or JSON lines of ${what}s`);
  return splitValues(text).flatMap((v): JsonRecord[] => {
    let value: unknown;
    try {
      value = JSON.parse(v.text) as unknown;
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      // V8 names the character position inside this value; report the line of the whole file.
      const at = /position (\d+)/.exec(why);
      const line = at === null ? v.line : v.line + lineAt(v.text, Number(at[1])) - 1;
      throw new InputError(`line ${String(line)}: not JSON (${why.replace(/ in JSON at position \d+.*$/, "")}). Expected a JSON array or one ${what} per line.`);
    }
    return Array.isArray(value) ? value.map((item: unknown, i) => ({ item, position: { line: v.line, index: i + 1 } })) : [{ item: value, position: { line: v.line, index: null } }];
  });
};

/** Parses an export; throws InputError with the line or index of the first bad record. */
export const parseReviewComments = (text: string, actors: ActorClassifier): LearnComment[] => {
  const comments: LearnComment[] = [];
  const seen = new Set<number>();
  for (const { item, position } of jsonRecords(text, "review comment")) {
    const c = toComment(item, position, actors);
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    comments.push(c);
  }
  if (comments.length === 0) throw new InputError("the input holds no review comments");
  return comments;
};
