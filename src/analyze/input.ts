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

const where = (position: { line?: number; index: number }): string =>
  position.line === undefined ? `item ${String(position.index)}` : `line ${String(position.line)}`;

const toComment = (raw: unknown, position: { line?: number; index: number }, actors: ActorClassifier): LearnComment => {
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

/** Splits `[...][...]` (gh --paginate) or JSON lines into values, with the line each starts on. */
const parseValues = (text: string): { value: unknown; line?: number }[] => {
  const trimmed = text.trim();
  if (trimmed === "") throw new InputError("the input is empty: expected a JSON array or JSON lines of review comments");
  try {
    return [{ value: JSON.parse(trimmed) as unknown }];
  } catch {
    // Not one JSON value: JSON lines, or concatenated pages.
  }
  if (trimmed.startsWith("[")) {
    const pages = trimmed.split(/\]\s*\[/);
    if (pages.length > 1) {
      try {
        return pages.map((p, i) => ({ value: JSON.parse(`${i === 0 ? "" : "["}${p}${i === pages.length - 1 ? "" : "]"}`) as unknown }));
      } catch {
        // Fall through to the line-by-line error below.
      }
    }
  }
  const out: { value: unknown; line?: number }[] = [];
  text.split("\n").forEach((raw, i) => {
    const l = raw.trim();
    if (l === "") return;
    try {
      out.push({ value: JSON.parse(l) as unknown, line: i + 1 });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new InputError(`line ${String(i + 1)}: not JSON (${why}). Expected a JSON array or one review comment per line.`);
    }
  });
  return out;
};

/** Parses an export; throws InputError with the line or index of the first bad record. */
export const parseReviewComments = (text: string, actors: ActorClassifier): LearnComment[] => {
  const comments: LearnComment[] = [];
  const seen = new Set<number>();
  let index = 0;
  for (const { value, line } of parseValues(text)) {
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      const c = toComment(item, line === undefined ? { index } : { line, index }, actors);
      index++;
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      comments.push(c);
    }
  }
  if (comments.length === 0) throw new InputError("the input holds no review comments");
  return comments;
};
