import { readAddedLines } from "../../checks/learned/diff.js";
import type { OctokitLike } from "../../github/api.js";
import type { Cluster } from "../../learn/types.js";
import type { LearnedCandidate } from "../../propose/choose.js";
import { MIN_PAIRS, synthesizeCheck, validateCandidate, type CorrectionPair } from "../../propose/synthesize.js";
import type { Log } from "../../shared/logger.js";

/** Unrelated PRs whose added lines are the noise sample, and how many lines at most. */
export const NOISE_SAMPLE = { pulls: 5, listed: 30, lines: 5000 };

/**
 * Learned checks for the recurring patterns whose addressed corrections
 * define one (synthesize.ts). The noise sample, fetched only when some
 * pattern has enough corrections, is the lines added by the repository's
 * most recently merged PRs that are not among the patterns' own PRs.
 */
export const synthesizeChecks = async (
  octokit: OctokitLike,
  o: { owner: string; repo: string },
  recurring: readonly Cluster[],
  pairs: ReadonlyMap<number, CorrectionPair>,
  log: Log,
  suggest?: (pairs: readonly CorrectionPair[]) => Promise<string | null>,
): Promise<Map<string, LearnedCandidate>> => {
  const out = new Map<string, LearnedCandidate>();
  const withPairs = recurring.map((c) => ({ c, pairs: c.commentIds.flatMap((id) => pairs.get(id) ?? []) })).filter((x) => x.pairs.length >= MIN_PAIRS);
  if (withPairs.length === 0) return out;
  const own = new Set(recurring.flatMap((c) => c.pullRequests));
  const sample: string[] = [];
  const listed = await octokit.rest.pulls.list({ ...o, state: "closed", sort: "updated", direction: "desc", per_page: NOISE_SAMPLE.listed });
  for (const pr of listed.data.filter((p) => p.merged_at !== null && !own.has(p.number)).slice(0, NOISE_SAMPLE.pulls)) {
    const res = await octokit.rest.pulls.get({ ...o, pull_number: pr.number, mediaType: { format: "diff" } });
    const data: unknown = res.data;
    for (const l of readAddedLines(typeof data === "string" ? data : "").lines) if (sample.length < NOISE_SAMPLE.lines) sample.push(l.text);
  }
  for (const { c, pairs: p } of withPairs) {
    let result = synthesizeCheck(p, sample.length === 0 ? null : sample);
    if (!result.ok && suggest !== undefined) {
      // The model may suggest a pattern; it is held to exactly the same tests.
      const suggested = await suggest(p);
      if (suggested !== null) {
        const checked = validateCandidate(suggested, "suggested pattern", p, sample.length === 0 ? null : sample);
        if (checked.ok) result = checked;
        else log.info({ repo: `${o.owner}/${o.repo}`, patternId: c.id, reason: checked.reason }, "suggested pattern rejected");
      }
    }
    if (result.ok) out.set(c.id, result);
    else log.info({ repo: `${o.owner}/${o.repo}`, patternId: c.id, reason: result.reason }, "no learned check");
  }
  return out;
};

