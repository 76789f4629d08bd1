import { parseArgs } from "node:util";
import { SIGNAL_KINDS } from "../signals/signal.js";
import type { SignalStats } from "../store/store.js";
import { cliSettings, openExistingStore } from "./settings.js";
import type { CliIo } from "./main.js";

/** Plain-text table of signal counts, one row per repo plus totals. */
export const renderStats = (stats: SignalStats): string => {
  const repos = Object.keys(stats.repos).sort();
  const header = ["repo", ...SIGNAL_KINDS];
  const row = (name: string, counts: Partial<Record<string, number>>): string[] => [
    name,
    ...SIGNAL_KINDS.map((k) => String(counts[k] ?? 0)),
  ];
  const rows = [header, ...repos.map((r) => row(r, stats.repos[r] ?? {})), row("total", stats.totals)];
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const lines = rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  "));
  if (repos.length === 0) lines.push("(no signals stored yet)");
  return `${lines.join("\n")}\n`;
};

/** `review-reviewer stats [--json] [--data-dir DIR]`: read-only, so it works while the app is running. */
export const statsCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { json: { type: "boolean", default: false }, "data-dir": { type: "string" } },
    strict: true,
  });
  const store = await openExistingStore(cliSettings(io, values["data-dir"], "store"));
  try {
    const s = await store.stats();
    io.out(values.json ? `${JSON.stringify(s, null, 2)}\n` : renderStats(s));
    return 0;
  } finally {
    await store.close();
  }
};
