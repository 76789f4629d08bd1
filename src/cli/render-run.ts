import type { ProposeOutcome } from "../jobs/propose/types.js";

/** What `review-reviewer run` prints: one line per proposal, and with --dry-run every body it would write. */
export const renderRun = (outcome: ProposeOutcome, dryRun: boolean): string => {
  if (outcome.status === "invalid-config") {
    const issues = outcome.config.issues.map((i) => `  ${i.path === "" ? "(file)" : i.path}: ${i.message}`).join("\n");
    const issue = outcome.issue.number === null ? "would open an issue about it" : `issue #${String(outcome.issue.number)} (${outcome.issue.outcome})`;
    return `invalid configuration, no proposals: ${issue}\n${issues}\n`;
  }
  if (outcome.status === "opted-out") return "harvest: false — the repository opted out; nothing to propose\n";
  if (outcome.status === "disabled") return "proposals.enabled: false — nothing proposed\n";
  const lines = [
    `${String(outcome.comments)} review comments, ${String(outcome.patterns)} recurring patterns with a fix; linters: ${outcome.linters.join(", ") || "none found"}`,
    "",
  ];
  for (const a of outcome.actions) {
    const where = a.number === null ? "" : ` #${String(a.number)}`;
    lines.push(`${a.action.padEnd(15)} ${a.kind.padEnd(10)} ${a.patternId}${where}  ${a.title}${a.reason === null ? "" : ` — ${a.reason}`}`);
  }
  for (const e of outcome.effects) {
    lines.push(`effect          #${String(e.number)} ${e.patternId}: ${e.effect.before.toFixed(2)}/week before, ${e.effect.after.toFixed(2)}/week after (${e.outcome})`);
  }
  const a = outcome.acceptance;
  lines.push("", `proposals so far: ${String(a.proposed)} PRs, ${String(a.merged)} merged, ${String(a.closed)} closed unmerged, ${String(a.open)} open; acceptance ${a.rate === null ? "n/a" : `${String(Math.round(a.rate * 100))}%`}`);
  if (dryRun) {
    lines.push("", "Dry run: nothing was written. The proposals this run would open or update:");
    for (const p of outcome.actions.filter((x) => x.action === "dry-run-create" || x.action === "dry-run-update")) {
      lines.push("", `=== ${p.title} (${p.kind}${p.files.length > 0 ? `: ${p.files.join(", ")}` : ""}) ===`, "", p.body);
    }
  }
  return `${lines.join("\n")}\n`;
};
