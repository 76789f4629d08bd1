import type { PlanEntry } from "./plan.js";

/**
 * The write budget per repository (pure): the app never floods a repo.
 * Proposals already open are always kept up to date (that is not a new
 * write); new ones are opened strongest first while fewer than
 * `maxOpenProposals` are open and fewer than `maxNewPerRun` were opened in
 * this run. Escalation issues count against the same budget.
 */
export interface ProposalBudget {
  maxOpenProposals: number;
  maxNewPerRun: number;
}

export type BudgetDecision = { entry: PlanEntry; action: "update" | "create" } | { entry: PlanEntry; action: "skip"; reason: string };

export const applyBudget = (plan: readonly PlanEntry[], openPatternIds: ReadonlySet<string>, budget: ProposalBudget): BudgetDecision[] => {
  let open = openPatternIds.size;
  let created = 0;
  return plan.map((entry): BudgetDecision => {
    if (openPatternIds.has(entry.patternId)) return { entry, action: "update" };
    if (open >= budget.maxOpenProposals) return { entry, action: "skip", reason: `${String(open)} proposals are open (maxOpenProposals ${String(budget.maxOpenProposals)})` };
    if (created >= budget.maxNewPerRun) return { entry, action: "skip", reason: `${String(created)} opened this run already (maxNewPerRun ${String(budget.maxNewPerRun)})` };
    open++;
    created++;
    return { entry, action: "create" };
  });
};
