import { applyBudget } from "../../../src/propose/budget.js";
import type { PlanEntry } from "../../../src/propose/plan.js";

const entry = (patternId: string): PlanEntry => ({ patternId, kind: "guideline", title: patternId, body: `<!-- review-reviewer:pattern:${patternId} -->` });
const plan = ["p-a", "p-b", "p-c", "p-d"].map(entry);

describe("applyBudget", () => {
  it("keeps open proposals up to date and opens new ones strongest first, within both limits", () => {
    const decisions = applyBudget(plan, new Set(["p-c"]), { maxOpenProposals: 3, maxNewPerRun: 1 });
    expect(decisions.map((d) => [d.entry.patternId, d.action])).toEqual([
      ["p-a", "create"],
      ["p-b", "skip"],
      ["p-c", "update"],
      ["p-d", "skip"],
    ]);
    expect(decisions[1]).toMatchObject({ reason: "1 opened this run already (maxNewPerRun 1)" });
  });

  it("opens nothing new when the repository already has its fill, but still updates", () => {
    const decisions = applyBudget(plan, new Set(["p-x", "p-y", "p-d"]), { maxOpenProposals: 3, maxNewPerRun: 5 });
    expect(decisions.map((d) => d.action)).toEqual(["skip", "skip", "skip", "update"]);
    expect(decisions[0]).toMatchObject({ reason: "3 proposals are open (maxOpenProposals 3)" });
  });
});
