import { DAY_MS } from "../shared/clock.js";

/**
 * What happened to the app's own proposals, and what that means for the
 * next run (pure: every date is an argument). GitHub is the record: a
 * proposal is the app's PR or issue whose body starts with the pattern's
 * marker, so a lost store loses nothing but `/review-reviewer ignore`
 * decisions, which the store keeps.
 *
 *  - open: kept up to date;
 *  - merged: the pattern is addressed and never proposed again; once four
 *    weeks have passed, the change in its weekly rate is reported once;
 *  - closed without merge: suppressed until its rate at least doubles
 *    against the rate when it was closed; then a new attempt (new branch,
 *    new marker) is opened;
 *  - ignored: suppressed for good.
 */
export interface OwnProposal {
  patternId: string;
  /** 1 for the first proposal of a pattern, 2 after a closed one came back, … */
  attempt: number;
  number: number;
  kind: "pull" | "issue";
  title: string;
  state: "open" | "closed";
  merged: boolean;
  createdAt: string;
  closedAt: string | null;
  mergedAt: string | null;
  url: string;
}

const MARKER = /^<!-- review-reviewer:pattern:([A-Za-z0-9][A-Za-z0-9-]{0,80})(?::([2-9]|[1-9][0-9]))? -->/;

/** The marker a proposal's body starts with; later attempts carry their number. */
export const proposalMarker = (patternId: string, attempt = 1): string =>
  `<!-- review-reviewer:pattern:${patternId}${attempt > 1 ? `:${String(attempt)}` : ""} -->`;

/** The pattern and attempt a body's leading marker names, or null (only a leading marker counts: quoted text cannot forge one). */
export const parseProposalMarker = (body: string): { patternId: string; attempt: number } | null => {
  const m = MARKER.exec(body);
  if (m?.[1] === undefined) return null;
  return { patternId: m[1], attempt: m[2] === undefined ? 1 : Number(m[2]) };
};

/** Whether an open proposal is the same kind of fix as a plan entry (by the title prefix the plan gives each kind). */
export const sameKind = (p: Pick<OwnProposal, "kind" | "title">, entryKind: "rule" | "check" | "guideline" | "escalation"): boolean => {
  if (entryKind === "escalation") return p.kind === "issue";
  if (p.kind !== "pull") return false;
  const prefix = { rule: "Lint:", check: "Check:", guideline: "Guideline:" }[entryKind];
  return p.title.startsWith(prefix);
};

/** The latest attempt per pattern. */
export const latestByPattern = (own: readonly OwnProposal[]): Map<string, OwnProposal> => {
  const latest = new Map<string, OwnProposal>();
  for (const p of own) {
    const seen = latest.get(p.patternId);
    if (seen === undefined || p.attempt > seen.attempt || (p.attempt === seen.attempt && p.number > seen.number)) latest.set(p.patternId, p);
  }
  return latest;
};

/** Comments per week on a pattern between two instants (creation times of its comments, ISO). */
export const weeklyRate = (createdAt: readonly string[], from: Date, to: Date): number => {
  const weeks = (to.getTime() - from.getTime()) / (7 * DAY_MS);
  if (weeks <= 0) return 0;
  const a = from.toISOString();
  const b = to.toISOString();
  let n = 0;
  for (const t of createdAt) if (t >= a && t < b) n++;
  return n / weeks;
};

/** How long before `at` the pattern existed (from its first comment, at least a week), capped at `window`. */
const lifeBefore = (createdAt: readonly string[], at: Date, window: number): number => {
  const first = createdAt.reduce((min, t) => (t < min ? t : min), at.toISOString());
  return Math.min(window, Math.max(7 * DAY_MS, at.getTime() - Date.parse(first)));
};

export interface Suppressions {
  /** Pattern id → who said `/review-reviewer ignore`, and when. */
  ignored: ReadonlyMap<string, { by: string; at: string }>;
}

export type ProposalDecision =
  | { action: "propose"; attempt: number; existing: OwnProposal | null }
  | { action: "suppress"; reason: string };

const round = (x: number): string => (Math.round(x * 100) / 100).toString();

/**
 * Whether a recurring pattern may be proposed in this run. `createdAt` are
 * the pattern's comment times; `windowDays` is the recurrence window the
 * rates are measured over.
 */
export const decideProposal = (
  patternId: string,
  latest: OwnProposal | undefined,
  suppressions: Suppressions,
  createdAt: readonly string[],
  now: Date,
  windowDays: number,
  /** Comments needed since the close, too: a doubling from nearly nothing is not a comeback. */
  minOccurrences = 3,
): ProposalDecision => {
  const ignored = suppressions.ignored.get(patternId);
  if (ignored !== undefined) return { action: "suppress", reason: `ignored by @${ignored.by} on ${ignored.at.slice(0, 10)}` };
  if (latest === undefined) return { action: "propose", attempt: 1, existing: null };
  if (latest.state === "open") return { action: "propose", attempt: latest.attempt, existing: latest };
  if (latest.merged) return { action: "suppress", reason: `addressed: #${String(latest.number)} was merged` };
  const closed = new Date(latest.closedAt ?? latest.createdAt);
  const window = windowDays * DAY_MS;
  // The rate at the close, over the pattern's own life up to then (at most the window): a young pattern is not diluted.
  const atClose = weeklyRate(createdAt, new Date(closed.getTime() - lifeBefore(createdAt, closed, window)), closed);
  const since = Math.max(closed.getTime(), now.getTime() - window);
  const current = weeklyRate(createdAt, new Date(since), now);
  // Measured over at least a week after the close, so one comment the day after does not count as a doubling.
  const enoughTime = now.getTime() - closed.getTime() >= 7 * DAY_MS;
  const sinceClose = createdAt.filter((t) => t >= new Date(since).toISOString() && t < now.toISOString()).length;
  if (enoughTime && sinceClose >= minOccurrences && current > 0 && current >= 2 * atClose) return { action: "propose", attempt: latest.attempt + 1, existing: null };
  const what = latest.kind === "pull" ? "was closed without merge" : "was closed";
  return {
    action: "suppress",
    reason: `#${String(latest.number)} ${what}; proposed again only when the rate at least doubles (${round(current)}/week now, ${round(atClose)}/week when closed)`,
  };
};

export interface Effect {
  weeksAfter: number;
  /** Comments per week in the window before the merge, and since. */
  before: number;
  after: number;
  /** Relative change, -1 … +∞; null when there was nothing before. */
  change: number | null;
}

/** Data needed after a merge before its effect is reported. */
export const EFFECT_AFTER_DAYS = 28;

/** The change in a merged proposal's pattern rate, once four weeks of data exist after the merge; else null. */
export const measureEffect = (mergedAt: string, createdAt: readonly string[], now: Date, windowDays: number): Effect | null => {
  const merged = new Date(mergedAt);
  const elapsed = now.getTime() - merged.getTime();
  if (elapsed < EFFECT_AFTER_DAYS * DAY_MS) return null;
  const before = weeklyRate(createdAt, new Date(merged.getTime() - lifeBefore(createdAt, merged, windowDays * DAY_MS)), merged);
  const after = weeklyRate(createdAt, merged, now);
  return { weeksAfter: Math.floor(elapsed / (7 * DAY_MS)), before, after, change: before === 0 ? null : (after - before) / before };
};

export const effectMarker = (patternId: string): string => `<!-- review-reviewer:effect:${patternId} -->`;

/** The one comment on a merged proposal that says what it changed. */
export const renderEffect = (patternId: string, e: Effect): string => {
  const pct = e.change === null ? "" : `${e.change <= 0 ? "" : "+"}${String(Math.round(e.change * 100))}% `;
  return [
    effectMarker(patternId),
    `**${pct}since merged.** In the ${String(e.weeksAfter)} weeks since this was merged, reviewers asked for this ${round(e.after)} times a week, against ${round(e.before)} a week before.`,
    "",
    e.change !== null && e.change <= -0.5
      ? "The feedback is largely gone: the fix did its job."
      : "The feedback has not gone away: the rule or guideline may need tightening, or reviewers are asking for something it does not cover.",
    "",
  ].join("\n");
};

export interface Acceptance {
  proposed: number;
  open: number;
  merged: number;
  closed: number;
  /** merged / (merged + closed); null before any was decided. */
  rate: number | null;
}

/** The acceptance rate of the app's own proposals (PRs only: issues are decisions, not fixes). */
export const acceptance = (own: readonly OwnProposal[]): Acceptance => {
  const pulls = own.filter((p) => p.kind === "pull");
  const merged = pulls.filter((p) => p.merged).length;
  const closed = pulls.filter((p) => p.state === "closed" && !p.merged).length;
  return { proposed: pulls.length, open: pulls.filter((p) => p.state === "open").length, merged, closed, rate: merged + closed === 0 ? null : merged / (merged + closed) };
};
