import type { Check } from "../../checks/schema.js";
import type { ConfigResult } from "../../config/load.js";
import type { Refiner } from "../../llm/run-refine.js";
import type { PatternSuggester } from "../../llm/suggest-pattern.js";
import type { Linter } from "../../propose/choose.js";
import type { Acceptance, Effect } from "../../propose/lifecycle.js";
import type { PlanEntry } from "../../propose/plan.js";
import type { EnsureResult } from "../../publish/ensure-issue.js";
import type { Clock } from "../../shared/clock.js";
import type { Log } from "../../shared/logger.js";
import type { SelfIdentity } from "../../signals/actor.js";
import type { SignalStore } from "../../store/store.js";

/**
 * The weekly proposal run: its dependencies, target and outcome (see propose-repo.ts).
 */
export interface ProposeDeps {
  store: SignalStore;
  clock: Clock;
  log: Log;
  catalog: readonly Check[];
  /** The login the app writes as (`<slug>[bot]`, or the token's user): its own PRs and issues are found by it. */
  author: string;
  self: SelfIdentity;
  /** App-wide agent and bot logins (settings), besides the repo's config. */
  agentLogins?: readonly string[];
  botLogins?: readonly string[];
  /** The optional LLM pass, used where a repository sets `llm.enabled` (absent without an API key). */
  refine?: Refiner;
  /** The optional model suggestion of a learned-check pattern, validated like a synthesized one. */
  suggestPattern?: PatternSuggester;
}

export interface ProposeTarget {
  owner: string;
  repo: string;
  dryRun: boolean;
}

export interface ProposalAction {
  patternId: string;
  kind: PlanEntry["kind"];
  title: string;
  action: "created" | "updated" | "unchanged" | "closed-on-github" | "skipped" | "suppressed" | "failed" | "dry-run-create" | "dry-run-update";
  number: number | null;
  reason: string | null;
  files: string[];
  /** The PR or issue body as written (or as it would be, in a dry run). */
  body: string;
}

export interface EffectReport {
  patternId: string;
  number: number;
  effect: Effect;
  outcome: EnsureResult["outcome"];
}

export type ProposeOutcome =
  | { status: "invalid-config"; issue: EnsureResult; config: Extract<ConfigResult, { ok: false }> }
  | { status: "opted-out"; schedule: string }
  | { status: "disabled"; schedule: string }
  | {
      status: "done";
      schedule: string;
      comments: number;
      patterns: number;
      linters: Linter[];
      actions: ProposalAction[];
      effects: EffectReport[];
      acceptance: Acceptance;
    };
