import { suggestionBlocks } from "../signals/hunk.js";

/**
 * Review-comment text made comparable (pure). Quoted replies, markdown noise,
 * badges and HTML go; ```suggestion blocks are kept apart as evidence; code
 * identifiers and literals become placeholders, so "rename `fooBar`" and
 * "rename `bazQux`" look alike; review shorthands are read.
 */
export interface NormalizedComment {
  /** Lower-case words and placeholders, for similarity. */
  text: string;
  tokens: string[];
  /** The suggested code, one entry per block (evidence, not text). */
  suggestions: string[][];
  /** "nit:" and friends: a minor, optional request. */
  nit: boolean;
  /** A bare "+1" / 👍 agreement with an earlier comment. */
  agreement: boolean;
  /** `s/old/new/`: a replacement request. */
  substitution: { from: string; to: string } | null;
  /** Whether the (prose) text ends in a question mark in every sentence. */
  onlyQuestions: boolean;
  /** The prose sentences, lower-case, placeholders in. */
  sentences: string[];
  /** The AI review bot whose template the text carries, when the account itself does not say so (mirrored or anonymised exports). */
  botSignature: string | null;
}

/** Markers that AI review bots put in every comment they write. */
const BOT_SIGNATURES: readonly (readonly [string, RegExp])[] = [
  ["gemini-code-assist", /https:\/\/www\.gstatic\.com\/codereviewagent\//],
  ["korbit-ai", /<sub>!\[category [^\]]*\]\(https:\/\/img\.shields\.io\/badge\//],
  ["coderabbitai", /<!-- This is an auto-generated (comment|reply) by CodeRabbit/i],
  ["an AI review bot", /<!-- (This is an )?auto-generated (review )?comment/i],
];

const SUGGESTION_FENCE = /(^|\n)[ \t]*(`{3,}|~{3,})[ \t]*suggestion[^\n]*\n[\s\S]*?\n?[ \t]*\2[ \t]*(?=\n|$)/g;
const CODE_FENCE = /(^|\n)[ \t]*(`{3,}|~{3,})[^\n]*\n[\s\S]*?\n?[ \t]*\2[ \t]*(?=\n|$)/g;

export const normalizeComment = (body: string): NormalizedComment => {
  // Each pass runs only when its trigger character is there: most comments are plain prose.
  const fenced = body.includes("```") || body.includes("~~~");
  const suggestions = fenced ? suggestionBlocks(body) : [];
  let t = body.includes("\r") ? body.replace(/\r\n?/g, "\n") : body;
  if (fenced) t = t.replace(SUGGESTION_FENCE, "$1 ").replace(CODE_FENCE, "$1 xcodex ");
  // Quoted replies ("> what you said").
  if (t.includes(">")) {
    t = t
      .split("\n")
      .filter((line) => !/^\s*>/.test(line))
      .join("\n");
  }
  if (t.includes("<")) t = t.replace(/<!--[\s\S]*?-->/g, " ").replace(/<[^>\n]+>/g, " ");
  // Badges and images (![medium](…priority.svg)), then links keep their text.
  if (t.includes("](")) t = t.replace(/!\[[^\]]*\]\([^)]*\)/g, " ").replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
  const substitution = t.includes("s/") ? /(?:^|\s)s\/([^/\n]+)\/([^/\n]*)\/?(?=\s|$)/.exec(t) : null;
  if (t.includes("://")) t = t.replace(/https?:\/\/\S+/g, " xurlx ");
  if (t.includes("@")) t = t.replace(/(^|\s)@[A-Za-z0-9-]+(\[bot\])?/g, "$1 xuserx ");
  if (t.includes("`")) t = t.replace(/`[^`\n]+`/g, " xidentx ");
  if (t.includes('"') || t.includes("'")) t = t.replace(/"[^"\n]{1,80}"|'[^'\n]{1,80}'/g, " xstrx ");
  if (t.includes(":")) t = t.replace(/:[a-z0-9_+-]+:/g, " ");
  // eslint-disable-next-line no-control-regex -- "anything outside ASCII" is the point
  if (/[^\x00-\x7f]/.test(t)) t = t.replace(/\p{Extended_Pictographic}/gu, " ");
  const bare = t.replace(/\s+/g, " ").trim();
  t = t.replace(/\b\d+(\.\d+)?\b/g, " xnumx ");
  const prose = t.replace(/\s+/g, " ").trim();
  const nit = /^\s*(nit|nitpick|minor|optional)\s*[:!-]/i.test(prose) || /\bnit\b/i.test(prose.slice(0, 12));
  const agreement = /^(\+1|same( here)?|agreed?|ditto)\s*[.!]*$/i.test(bare) || (bare === "" && /👍|\+1/u.test(body));
  const sentences = prose.split(/(?<=[.!?])\s+/).filter((s) => /[a-z]/i.test(s));
  const onlyQuestions = sentences.length > 0 && sentences.every((s) => /\?\s*\)?$/.test(s));
  const lower = prose.replace(/^\s*(nit|nitpick|minor|optional)\s*[:!-]\s*/i, "").toLowerCase();
  const tokens = lower.match(/[a-z][a-z_']*/g) ?? [];
  return {
    text: tokens.join(" "),
    tokens,
    suggestions,
    nit,
    agreement,
    substitution: substitution === null ? null : { from: substitution[1] ?? "", to: substitution[2] ?? "" },
    onlyQuestions,
    sentences: sentences.map((x) => x.toLowerCase()),
    botSignature: body.includes("gstatic.com") || body.includes("<") ? (BOT_SIGNATURES.find(([, re]) => re.test(body))?.[0] ?? null) : null,
  };
};
