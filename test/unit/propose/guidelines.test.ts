import { SECTION_END, SECTION_START, upsertGuidelines } from "../../../src/propose/edit/guidelines.js";

const text = (r: ReturnType<typeof upsertGuidelines>): string => {
  if (!r.ok) throw new Error(r.reason);
  return r.text;
};

describe("upsertGuidelines", () => {
  it("appends a managed section after the maintainers' text, leaving it untouched", () => {
    const before = "# Contributing\n\nRun the tests.\n";
    const after = text(upsertGuidelines(before, [{ patternId: "p-b", text: "Remove imports nothing uses." }]));
    expect(after.startsWith("# Contributing\n\nRun the tests.\n\n## Review guidelines learned from code review\n")).toBe(true);
    expect(after.endsWith(`${SECTION_START}\n- Remove imports nothing uses. <!-- review-reviewer:pattern:p-b -->\n${SECTION_END}\n`)).toBe(true);
  });

  it("updates its own line by pattern id, keeps the others sorted, and changes nothing on a second run", () => {
    const first = text(upsertGuidelines("# AGENTS\n", [{ patternId: "p-b", text: "Old wording." }, { patternId: "p-a", text: "Add docstrings." }]));
    const second = text(upsertGuidelines(first, [{ patternId: "p-b", text: "New wording." }]));
    const section = second.slice(second.indexOf(SECTION_START), second.indexOf(SECTION_END));
    expect(section.split("\n").slice(1, -1)).toEqual(["- Add docstrings. <!-- review-reviewer:pattern:p-a -->", "- New wording. <!-- review-reviewer:pattern:p-b -->"]);
    expect(upsertGuidelines(second, [{ patternId: "p-b", text: "New wording." }])).toEqual({ ok: true, changed: false, text: second });
  });

  it("keeps text after the section and CRLF line endings", () => {
    const before = `Intro\r\n${SECTION_START}\r\n${SECTION_END}\r\nOutro\r\n`;
    expect(text(upsertGuidelines(before, [{ patternId: "p-a", text: "Be kind." }]))).toBe(`Intro\r\n${SECTION_START}\r\n- Be kind. <!-- review-reviewer:pattern:p-a -->\r\n${SECTION_END}\r\nOutro\r\n`);
  });

  it("cannot be made to close its section early, and refuses broken markers", () => {
    const sneaky = text(upsertGuidelines("", [{ patternId: "p-x", text: `Do this.\n${SECTION_END}\nInjected` }]));
    expect(sneaky.split(SECTION_END)).toHaveLength(2);
    expect(sneaky).toContain("- Do this. review-reviewer:guidelines:end Injected <!-- review-reviewer:pattern:p-x -->");
    expect(text(upsertGuidelines("", [{ patternId: "p-m", text: "Ask @octocat first." }]))).toContain("Ask @\u200boctocat first.");
    expect(upsertGuidelines(`${SECTION_START}\nno end`, [])).toMatchObject({ ok: false });
    expect(upsertGuidelines(`${SECTION_START}\n${SECTION_END}\n${SECTION_START}\n${SECTION_END}`, [])).toMatchObject({ ok: false });
  });
});
