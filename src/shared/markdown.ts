/**
 * Markdown for text the app did not write (review comments, titles an LLM
 * proposed), shared by the offline report and the proposal bodies.
 */

/** Text from a comment, safe inside markdown: no HTML, no mentions, no links or cross-references, no control characters, one line. */
export const quoteUntrusted = (text: string): string =>
  text
    .replace(/[\r\n]+/g, " ")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b")
    .replace(/\[/g, "\\[")
    .replace(/\]/g, "\\]")
    .replace(/`/g, "'")
    .replace(/\|/g, "\\|")
    // GitHub autolinks URLs and #12 / owner/repo#12 references: a zero-width space defuses both.
    .replace(/:\/\//g, ":\u200b//")
    .replace(/#(?=\d)/g, "#\u200b");

/**
 * Text from a comment as an inline code span: GitHub renders nothing inside
 * one (no HTML, mentions, links, references or formatting), so only the
 * backticks that would close it, line breaks and control characters go.
 */
export const codeSpan = (text: string): string => {
  const flat = text.replace(/[\r\n]+/g, " ").replace(/[\p{Cc}\p{Cf}]/gu, "").replace(/`/g, "'").trim();
  return flat === "" ? "` `" : `\`${flat}\``;
};

const BARS = "▁▂▃▄▅▆▇█";

/** The last `weeks` weekly counts as a sparkline. */
export const sparkline = (weekly: readonly { count: number }[], weeks = 26): string => {
  const tail = weekly.slice(-weeks);
  const max = Math.max(1, ...tail.map((w) => w.count));
  return tail.map((w) => (w.count === 0 ? "·" : (BARS[Math.min(BARS.length - 1, Math.ceil((w.count / max) * BARS.length) - 1)] ?? "█"))).join("");
};

/** The date part of an ISO timestamp. */
export const day = (iso: string): string => iso.slice(0, 10);
