import type { NormalizedComment } from "./normalize.js";

/**
 * The actionable filter (pure): comments that ask for no change do not form
 * patterns. Every dropped comment says why.
 */
export const DROP_REASONS = ["bot", "author-reply", "empty", "agreement", "praise", "question"] as const;
export type DropReason = (typeof DROP_REASONS)[number];

export interface FilterInput {
  normalized: NormalizedComment;
  authorKind: "human" | "bot" | "agent" | "self";
  /** The PR author's login, when known, and the comment's. */
  pullAuthor: string | null;
  author: string;
}

export interface FilterOptions {
  /** Reasons to keep rather than drop (e.g. keep questions). */
  keep?: readonly DropReason[];
}

export type FilterResult = { keep: true } | { keep: false; reason: DropReason; detail: string };

/** Words that ask for a change: a comment carrying one is not mere praise or a pure question. */
const REQUEST =
  /\b(please|should(n't)?|must|need(s)? to|have to|let'?s|instead|rather|rename|remove|delete|drop|add|use|avoid|don'?t|do not|prefer|consider|move|replace|fix|change|update|split|extract|simplify|revert|missing|typo|wrong|incorrect|unused|unnecessary|redundant|can be|could be|would be better|better to|suggest)\b/i;

const PRAISE =
  /\b(lgtm|looks good|good (catch|change|approach|idea|point|call|work|job|find)|makes sense|sgtm|nice( catch| work| one| find)?|great|thanks?|thank you|well done|awesome|love (it|this)|perfect|neat|cool|clean(er)?)\b/i;

/** Placeholders that carry no request by themselves (a code block does: it proposes code). */
const PLACEHOLDERS = new Set(["xidentx", "xurlx", "xuserx", "xstrx", "xnumx"]);

export const classifyActionable = (input: FilterInput, options: FilterOptions = {}): FilterResult => {
  const keep = new Set(options.keep ?? []);
  const drop = (reason: DropReason, detail: string): FilterResult => (keep.has(reason) ? { keep: true } : { keep: false, reason, detail });
  const n = input.normalized;
  if (input.authorKind !== "human") return drop("bot", input.authorKind === "agent" ? "written by an AI agent" : input.authorKind === "self" ? "written by this app" : "written by a bot");
  if (n.botSignature !== null) return drop("bot", `carries the comment template of ${n.botSignature}`);
  if (input.pullAuthor !== null && input.author.toLowerCase() === input.pullAuthor.toLowerCase()) {
    return drop("author-reply", "the PR author's own comment");
  }
  const asks = REQUEST.test(n.text) || n.suggestions.length > 0 || n.substitution !== null || n.nit;
  if (n.agreement) return drop("agreement", "a bare +1 or agreement");
  const words = n.tokens.filter((t) => !PLACEHOLDERS.has(t));
  if (words.length === 0 && n.suggestions.length === 0 && n.substitution === null) return drop("empty", "no words left after normalization");
  if (!asks && PRAISE.test(n.text) && n.tokens.length <= 25) return drop("praise", "praise or thanks, no request");
  // In a question, request words are weak ("why did you replace this?"): only concrete asks count.
  const concrete = n.suggestions.length > 0 || n.substitution !== null || n.nit || /\b(please|let'?s)\b/i.test(n.text);
  if (n.onlyQuestions && !concrete) return drop("question", "only questions, no concrete request");
  return { keep: true };
};
