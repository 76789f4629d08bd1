import { commentedRegion } from "../signals/hunk.js";
import type { CorrectionSignal, ReviewCommentSignal, Signal } from "../signals/signal.js";
import { redactSecrets } from "./redact.js";

/**
 * Training data from review history (pure).
 *  - dpo: {prompt, chosen, rejected, meta}. The prompt is the file path, the
 *    hunk and the reviewer's comment; `rejected` is the commented code and
 *    `chosen` the code after the author addressed it. Only corrections that
 *    were really addressed (the code changed) are exported.
 *  - sft: {messages}. The code under review as the user turn, the reviewer's
 *    comment as the assistant turn.
 * Comments by bots, AI agents, this app, or the PR's own author are never
 * exported. Token-like secrets are redacted everywhere.
 */

export const EXPORT_FORMATS = ["dpo", "sft"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface DpoRecord {
  prompt: string;
  chosen: string;
  rejected: string;
  meta: ExportMeta;
}

export interface SftRecord {
  messages: { role: "system" | "user" | "assistant"; content: string }[];
}

export interface ExportMeta {
  repo: string;
  pull: number;
  commentId: number;
  url: string;
  path: string;
  reviewer: string;
  suggestionApplied: boolean | null;
  threadResolved: boolean | null;
}

const SFT_SYSTEM = "You are a senior engineer reviewing a pull request. Comment on the code shown, as a reviewer would.";

const isExportable = (c: ReviewCommentSignal): boolean =>
  c.author.kind === "human" && (c.pullAuthor === null || c.author.login !== c.pullAuthor);

const codeBlock = (text: string): string => {
  const fence = text.includes("```") ? "````" : "```";
  return `${fence}\n${text}\n${fence}`;
};

const userTurn = (c: ReviewCommentSignal): string => {
  const region = commentedRegion(c.diffHunk, c.side, 1);
  return [`File: ${c.path}`, "", "Diff under review:", codeBlock(c.diffHunk), "", `The comment is on: ${region.lines.join("\n")}`].join("\n");
};

export const toDpo = (correction: CorrectionSignal, comment: ReviewCommentSignal): DpoRecord | null => {
  if (correction.status !== "addressed" || correction.after === null) return null;
  if (!isExportable(comment)) return null;
  if (correction.after.trim() === correction.before.trim()) return null;
  const prompt = [
    `File: ${comment.path}`,
    "",
    "Code under review:",
    codeBlock(comment.diffHunk),
    "",
    "Reviewer comment:",
    comment.body,
    "",
    "Rewrite the commented lines so that the comment is addressed.",
  ].join("\n");
  return {
    prompt: redactSecrets(prompt),
    chosen: redactSecrets(correction.after),
    rejected: redactSecrets(correction.before),
    meta: meta(comment, correction),
  };
};

export const toSft = (comment: ReviewCommentSignal): SftRecord | null => {
  if (!isExportable(comment) || comment.body.trim() === "") return null;
  return {
    messages: [
      { role: "system", content: SFT_SYSTEM },
      { role: "user", content: redactSecrets(userTurn(comment)) },
      { role: "assistant", content: redactSecrets(comment.body) },
    ],
  };
};

const meta = (c: ReviewCommentSignal, k: CorrectionSignal | null): ExportMeta => ({
  repo: c.repo,
  pull: c.pullNumber,
  commentId: c.id,
  url: c.htmlUrl,
  path: c.path,
  reviewer: c.author.login,
  suggestionApplied: k?.suggestionApplied ?? null,
  threadResolved: k?.threadResolved ?? null,
});

/** Records in a stable order (repo, PR, comment id). */
export const buildExport = (signals: readonly Signal[], format: ExportFormat, repo?: string): (DpoRecord | SftRecord)[] => {
  const comments = new Map<number, ReviewCommentSignal>();
  const corrections: CorrectionSignal[] = [];
  for (const s of signals) {
    if (repo !== undefined && s.repo.toLowerCase() !== repo.toLowerCase()) continue;
    if (s.kind === "review_comment") comments.set(s.id, s);
    else if (s.kind === "correction") corrections.push(s);
  }
  const order = (a: ReviewCommentSignal, b: ReviewCommentSignal): number =>
    a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : a.pullNumber - b.pullNumber || a.id - b.id;
  if (format === "sft") {
    return [...comments.values()].sort(order).flatMap((c) => toSft(c) ?? []);
  }
  const pairs = corrections.flatMap((k) => {
    const c = comments.get(k.commentId);
    return c === undefined ? [] : [{ c, k }];
  });
  return pairs.sort((x, y) => order(x.c, y.c)).flatMap(({ c, k }) => toDpo(k, c) ?? []);
};
