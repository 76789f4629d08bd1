import {
  acceptance,
  decideProposal,
  latestByPattern,
  measureEffect,
  parseProposalMarker,
  proposalMarker,
  renderEffect,
  weeklyRate,
  type OwnProposal,
} from "../../../src/propose/lifecycle.js";

const DAY = 86_400_000;
const NOW = new Date("2026-11-23T06:00:00Z");
const daysAgo = (d: number): string => new Date(NOW.getTime() - d * DAY).toISOString();
const noIgnores = { ignored: new Map<string, { by: string; at: string }>() };

const own = (over: Partial<OwnProposal>): OwnProposal => ({
  patternId: "p-1",
  attempt: 1,
  number: 10,
  kind: "pull",
  title: "Lint: Remove unused imports",
  state: "open",
  merged: false,
  createdAt: daysAgo(60),
  closedAt: null,
  mergedAt: null,
  url: "https://github.com/o/r/pull/10",
  ...over,
});

describe("proposal markers", () => {
  it("names the pattern and the attempt, and only a leading marker counts", () => {
    expect(proposalMarker("p-abc")).toBe("<!-- review-reviewer:pattern:p-abc -->");
    expect(proposalMarker("p-abc", 3)).toBe("<!-- review-reviewer:pattern:p-abc:3 -->");
    expect(parseProposalMarker(`${proposalMarker("p-abc", 3)}\nbody`)).toEqual({ patternId: "p-abc", attempt: 3 });
    expect(parseProposalMarker(`${proposalMarker("p-abc")}\nbody`)).toEqual({ patternId: "p-abc", attempt: 1 });
    expect(parseProposalMarker(`Quoted: ${proposalMarker("p-abc")}`)).toBeNull();
    expect(parseProposalMarker("<!-- review-reviewer:pattern:../../x -->")).toBeNull();
    expect(parseProposalMarker("<!-- review-reviewer:pattern:p-abc:1 -->")).toBeNull();
  });

  it("keeps the latest attempt per pattern", () => {
    const latest = latestByPattern([own({ number: 10 }), own({ number: 30, attempt: 2 }), own({ number: 20 }), own({ patternId: "p-2", number: 5 })]);
    expect([...latest.entries()].map(([id, p]) => [id, p.number])).toEqual([
      ["p-1", 30],
      ["p-2", 5],
    ]);
  });
});

describe("weeklyRate", () => {
  it("counts comments in [from, to) per week", () => {
    const times = [daysAgo(1), daysAgo(8), daysAgo(13), daysAgo(15), daysAgo(40)];
    expect(weeklyRate(times, new Date(NOW.getTime() - 14 * DAY), NOW)).toBe(1.5);
    expect(weeklyRate(times, NOW, NOW)).toBe(0);
  });
});

describe("decideProposal", () => {
  const times = Array.from({ length: 12 }, (_, i) => daysAgo(5 + i * 7)); // one a week for 12 weeks

  it("proposes a new pattern as attempt 1 and keeps an open one up to date", () => {
    expect(decideProposal("p-1", undefined, noIgnores, times, NOW, 90)).toEqual({ action: "propose", attempt: 1, existing: null });
    const open = own({ attempt: 2 });
    expect(decideProposal("p-1", open, noIgnores, times, NOW, 90)).toEqual({ action: "propose", attempt: 2, existing: open });
  });

  it("never proposes a merged or ignored pattern again", () => {
    expect(decideProposal("p-1", own({ state: "closed", merged: true, mergedAt: daysAgo(3), closedAt: daysAgo(3) }), noIgnores, times, NOW, 90)).toEqual({
      action: "suppress",
      reason: "addressed: #10 was merged",
    });
    const ignored = { ignored: new Map([["p-1", { by: "maintainer", at: daysAgo(2) }]]) };
    expect(decideProposal("p-1", undefined, ignored, times, NOW, 90)).toEqual({ action: "suppress", reason: "ignored by @maintainer on 2026-11-21" });
  });

  it("keeps a closed pattern suppressed at the same rate, and proposes attempt 2 once the rate doubles", () => {
    const closed = own({ state: "closed", closedAt: daysAgo(28) });
    // One a week before and after the close: suppressed.
    const same = decideProposal("p-1", closed, noIgnores, times, NOW, 90);
    expect(same.action).toBe("suppress");
    expect(same.action === "suppress" ? same.reason : "").toBe("#10 was closed without merge; proposed again only when the rate at least doubles (1/week now, 1.04/week when closed)");
    // Three a week since the close: proposed again, as attempt 2.
    const busier = [...times, ...Array.from({ length: 8 }, (_, i) => daysAgo(1 + i * 3))];
    expect(decideProposal("p-1", closed, noIgnores, busier, NOW, 90)).toEqual({ action: "propose", attempt: 2, existing: null });
  });

  it("does not count a doubling within a week of the close", () => {
    const closed = own({ state: "closed", closedAt: daysAgo(2) });
    const burst = [...times, daysAgo(1), daysAgo(1), daysAgo(0.5)];
    expect(decideProposal("p-1", closed, noIgnores, burst, NOW, 90).action).toBe("suppress");
  });
});

describe("measureEffect", () => {
  it("waits for four weeks after the merge, then compares the rates", () => {
    const before = Array.from({ length: 10 }, (_, i) => daysAgo(40 + i * 7)); // weekly, before the merge
    const after = [daysAgo(10)];
    expect(measureEffect(daysAgo(27), [...before, ...after], NOW, 90)).toBeNull();
    const effect = measureEffect(daysAgo(35), [...before, ...after], NOW, 90);
    // Before: the pattern's life up to the merge (its first comment 68 days before), not the whole 90-day window.
    const rateBefore = 10 / (68 / 7);
    expect(effect).toEqual({ weeksAfter: 5, before: rateBefore, after: 1 / 5, change: (1 / 5 - rateBefore) / rateBefore });
    expect(renderEffect("p-1", effect ?? { weeksAfter: 0, before: 0, after: 0, change: null })).toContain("**-81% since merged.**");
  });

  it("has no relative change without a baseline", () => {
    expect(measureEffect(daysAgo(35), [daysAgo(3)], NOW, 90)?.change).toBeNull();
  });
});

describe("acceptance", () => {
  it("is merged / decided, over PRs only", () => {
    const all = [
      own({ number: 1, state: "closed", merged: true }),
      own({ number: 2, state: "closed", merged: true }),
      own({ number: 3, state: "closed" }),
      own({ number: 4 }),
      own({ number: 5, kind: "issue", state: "closed" }),
    ];
    expect(acceptance(all)).toEqual({ proposed: 4, open: 1, merged: 2, closed: 1, rate: 2 / 3 });
    expect(acceptance([]).rate).toBeNull();
  });
});

describe("decideProposal for a young pattern", () => {
  it("compares like with like: the same rate before and after the close is no comeback", () => {
    const close = new Date(NOW.getTime() - 14 * DAY);
    const at = (d: number): string => new Date(close.getTime() + d * DAY).toISOString();
    const times = [at(-14), at(-10), at(-5), at(3), at(7), at(11)];
    expect(decideProposal("p-1", own({ state: "closed", closedAt: close.toISOString() }), noIgnores, times, NOW, 90)).toMatchObject({ action: "suppress" });
  });
});

describe("decideProposal after a quiet close", () => {
  it("needs the recurrence threshold since the close, not one comment against a zero rate", () => {
    // Closed long after the pattern's last comment: its rate at the close was 0.
    const closed = own({ state: "closed", closedAt: daysAgo(60) });
    const old = [daysAgo(300), daysAgo(290), daysAgo(280)];
    expect(decideProposal("p-1", closed, noIgnores, [...old, daysAgo(10)], NOW, 90).action).toBe("suppress");
    expect(decideProposal("p-1", closed, noIgnores, [...old, daysAgo(10), daysAgo(20), daysAgo(30)], NOW, 90)).toEqual({ action: "propose", attempt: 2, existing: null });
    expect(decideProposal("p-1", own({ kind: "issue", state: "closed", closedAt: daysAgo(60) }), noIgnores, old, NOW, 90)).toEqual({
      action: "suppress",
      reason: "#10 was closed; proposed again only when the rate at least doubles (0/week now, 0/week when closed)",
    });
  });
});
