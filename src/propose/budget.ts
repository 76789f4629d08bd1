import type { PlanEntry } from "./plan.js";

/**
 * The write budget per repository (pure): the app never floods a repo.
 * Proposals already open are always kept up to date (that is not a new
 * write); new ones are opened strongest first while fewer than
 * `maxOpenProposals` are open and fewer than `maxNewPerRun` were opened in
 * this run. Escalation issues count against the same budget. Only a
 * creation that succeeded counts: one that fails (a 422, issues turned off)
 * leaves its place to the next pattern.
 */
export interface ProposalBudget {
  maxOpenProposals: number;
  maxNewPerRun: number;
}

export type BudgetDecision = { entry: PlanEntry; action: "update" | "create" } | { entry: PlanEntry; action: "skip"; reason: string };

export interface BudgetTracker {
  decide(entry: PlanEntry): BudgetDecision;
  /** A creation succeeded: it takes a place. */
  opened(): void;
}

export const createBudget = (openPatternIds: ReadonlySet<string>, budget: ProposalBudget): BudgetTracker => {
  let open = openPatternIds.size;
  let created = 0;
  return {
    decide: (entry) => {
      if (openPatternIds.has(entry.patternId)) return { entry, action: "update" };
      if (open >= budget.maxOpenProposals) return { entry, action: "skip", reason: `${String(open)} proposals are open (maxOpenProposals ${String(budget.maxOpenProposals)})` };
      if (created >= budget.maxNewPerRun) return { entry, action: "skip", reason: `${String(created)} opened this run already (maxNewPerRun ${String(budget.maxNewPerRun)})` };
      return { entry, action: "create" };
    },
    opened: () => {
      open++;
      created++;
    },
  };
};

/** The decisions for a whole plan when every creation succeeds (dry runs, tests). */
export const applyBudget = (plan: readonly PlanEntry[], openPatternIds: ReadonlySet<string>, budget: ProposalBudget): BudgetDecision[] => {
  const tracker = createBudget(openPatternIds, budget);
  return plan.map((entry) => {
    const d = tracker.decide(entry);
    if (d.action === "create") tracker.opened();
    return d;
  });
};
