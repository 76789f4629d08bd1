/**
 * The managed section the app keeps in a repository's review guidelines and
 * agent instruction files (CONTRIBUTING.md, AGENTS.md, CLAUDE.md,
 * .github/copilot-instructions.md), pure. Everything outside the markers is
 * the maintainers' and stays byte for byte; inside, one line per pattern,
 * keyed by its id, sorted, so an update replaces its own line and a second
 * run changes nothing.
 */
export const SECTION_START = "<!-- review-reviewer:guidelines:start -->";
export const SECTION_END = "<!-- review-reviewer:guidelines:end -->";

export interface GuidelineLine {
  patternId: string;
  /** One sentence; line breaks and markers are removed. */
  text: string;
}

export type GuidelineEdit = { ok: true; changed: boolean; text: string } | { ok: false; reason: string };

const lineFor = (g: GuidelineLine): string => {
  // Titles can come from review comments: no markers, no line breaks, no mentions that would ping anyone.
  const sentence = g.text
    .replace(/<!--|-->/g, "")
    .replace(/@(?=[A-Za-z0-9])/g, "@\u200b")
    .replace(/\s+/g, " ")
    .trim();
  return `- ${sentence} <!-- review-reviewer:pattern:${g.patternId} -->`;
};

const LINE_ID = /<!-- review-reviewer:pattern:([A-Za-z0-9-]+) -->\s*$/;

const HEADING = "## Review guidelines learned from code review";
const INTRO = "Reviewers asked for these again and again; following them saves a review round. Maintained by review-reviewer from review history: edit outside this section freely, and change these lines through its pull requests.";

export const upsertGuidelines = (text: string, add: readonly GuidelineLine[]): GuidelineEdit => {
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const start = text.indexOf(SECTION_START);
  const end = text.indexOf(SECTION_END);
  if ((start < 0) !== (end < 0) || (start >= 0 && end < start) || text.indexOf(SECTION_START, start + 1) >= 0) {
    return { ok: false, reason: "the managed section's markers are broken or repeated: not edited" };
  }
  const byId = new Map<string, string>();
  let before = text;
  let after = "";
  if (start >= 0) {
    before = text.slice(0, start);
    after = text.slice(end + SECTION_END.length);
    for (const line of text.slice(start + SECTION_START.length, end).split(/\r?\n/)) {
      const m = LINE_ID.exec(line);
      if (m?.[1] !== undefined) byId.set(m[1], line.trim());
    }
  }
  for (const g of add) byId.set(g.patternId, lineFor(g));
  const lines = [...byId.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, l]) => l);
  const block = [SECTION_START, ...lines, SECTION_END].join(eol);
  let next: string;
  if (start >= 0) next = `${before}${block}${after}`;
  else {
    const trimmed = text.replace(/\s+$/, "");
    next = `${trimmed}${trimmed === "" ? "" : `${eol}${eol}`}${HEADING}${eol}${eol}${INTRO}${eol}${eol}${block}${eol}`;
  }
  return { ok: true, changed: next !== text, text: next };
};
