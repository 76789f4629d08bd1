import { z } from "zod";
import type { OctokitLike } from "../../github/api.js";
import { effectMarker, measureEffect, renderEffect, type OwnProposal } from "../../propose/lifecycle.js";
import { ensureComment } from "../../publish/ensure-issue.js";
import { readState, writeState } from "../../store/state.js";
import type { EffectReport, ProposeDeps, ProposeTarget } from "./types.js";

/** Merged proposals with four weeks of data since: comment the change once. */
export const reportEffects = async (
  deps: ProposeDeps,
  octokit: OctokitLike,
  target: ProposeTarget,
  latest: ReadonlyMap<string, OwnProposal>,
  timesOf: (patternId: string) => string[],
  now: Date,
  windowDays: number,
): Promise<EffectReport[]> => {
  const reports: EffectReport[] = [];
  // Said once: a PR whose effect was reported is not looked at again (the marker guards if this state is lost).
  const stateName = `effects:${`${target.owner}/${target.repo}`.toLowerCase()}`;
  const reported = new Set((await readState(deps.store, stateName, z.array(z.number().int()))) ?? []);
  for (const p of latest.values()) {
    if (p.kind !== "pull" || !p.merged || p.mergedAt === null || reported.has(p.number)) continue;
    const effect = measureEffect(p.mergedAt, timesOf(p.patternId), now, windowDays);
    // No data yet, or no baseline to compare with (the pattern's comments were purged).
    if (effect?.change === undefined || effect.change === null) continue;
    try {
      const r = await ensureComment(octokit, {
        owner: target.owner,
        repo: target.repo,
        issueNumber: p.number,
        marker: effectMarker(p.patternId),
        body: renderEffect(p.patternId, effect),
        author: deps.author,
        dryRun: target.dryRun,
        once: true,
      });
      reports.push({ patternId: p.patternId, number: p.number, effect, outcome: r.outcome });
    } catch (e) {
      // A locked or deleted PR: the effect is not said, and the rest of the run goes on.
      deps.log.warn({ repo: `${target.owner}/${target.repo}`, number: p.number, error: e instanceof Error ? e.message.split("\n")[0] : String(e) }, "effect comment failed");
      continue;
    }
    if (!target.dryRun) {
      reported.add(p.number);
      await writeState(deps.store, stateName, [...reported].sort((a, b) => a - b), now);
    }
  }
  return reports;
};

