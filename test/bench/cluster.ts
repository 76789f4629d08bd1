/**
 * Clustering benchmark (`npm run bench:cluster`, figures in docs/benchmarks.md).
 *
 * 1. Quality: `learnPatterns` (scope "all") on the crc-py export
 *    (examples/crc-py/review-comments.json: 1,030 real review comments with
 *    human labels in `_labels.subcategory`), measured by `measureQuality`
 *    (purity of clusters of ≥ 3, coverage over all parsed comments, leakage
 *    of praise/questions/false positives into recurring patterns). Three modes:
 *    the shipped pipeline (actionable filter on), the clusterer alone (every
 *    filter reason kept, so every comment is clustered), and the clusterer
 *    alone on the comments left after removing bots and those labelled
 *    praise/question (like the naive baseline's second figure), each over a
 *    sweep of `cluster.mergeThreshold`, plus the baseline for comparison.
 * 2. Scale: 100,000 comments varied deterministically from the real ones
 *    (test/bench/vary.ts), learned with scope "repo" and with scope "all"
 *    (one block of 100k), each in its own child process
 *    (`node cluster.js --child <scope>`), which generates the comments, then
 *    resets its peak-RSS counter (/proc/self/clear_refs) and times only the
 *    `learnPatterns` call. It prints one JSON line.
 *
 * The last line printed is machine-readable:
 *   cluster: n=<n> seconds=<s> rss_mb=<m> purity=<p> coverage=<c>
 * seconds and rss_mb are the worst of the two scale runs; purity and
 * coverage are the shipped pipeline's at the default threshold. Missed
 * targets print "TARGET MISSED: …" lines; the exit code is non-zero only if
 * something crashed.
 *
 * Env: BENCH_CRC_PATH=<review-comments.json> BENCH_CLUSTER_N=100000
 * BENCH_CPU_PROF=<dir> (V8 CPU profile of each scale child)
 * BENCH_CLUSTER_SCOPES=repo,all
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseReviewComments } from "../../src/analyze/input.js";
import { DEFAULT_CLUSTER_OPTIONS } from "../../src/learn/cluster.js";
import { DROP_REASONS } from "../../src/learn/filter.js";
import { DEFAULT_LEARN_OPTIONS, learnPatterns, type LearnOptions, type Scope } from "../../src/learn/learn.js";
import type { Cluster, LearnComment } from "../../src/learn/types.js";
import { createActorClassifier } from "../../src/signals/actor.js";
import { machineBusyMs } from "./child.js";
import { measureQuality, type Quality } from "./quality.js";
import { DEFAULT_SYNTH, synthesize } from "./vary.js";

const THRESHOLDS = { minOccurrences: 3, minPullRequests: 3, windowDays: 90 };
const SWEEP = [0.12, 0.15, 0.18, 0.22, 0.26, 0.3];
/** A finer sweep, only to find the best coverage at purity ≥ 0.80 (how the baseline was summarised). */
const FINE_SWEEP = Array.from({ length: 50 }, (_, i) => Math.round((0.1 + i * 0.01) * 100) / 100);
const TARGETS = { purity: 0.8, coverage: 0.35, leakage: 0.1, seconds: 10, rssMb: 1024 };
/** The naive TF-IDF + average-link baseline, measured by a colleague on the same file. */
const BASELINE = {
  all: { purity: 0.665, coverage: 0.358, bestCoverageAt80: 0.203 },
  filtered: { purity: 0.597, coverage: 0.354, bestCoverageAt80: 0.04 },
};

/** A scale run during which other processes used more CPU than this (% of one core) is repeated once. */
const NOISY_OTHER_CPU_PCT = 25;

const N = Number(process.env.BENCH_CLUSTER_N ?? DEFAULT_SYNTH.n);
const SCOPES = (process.env.BENCH_CLUSTER_SCOPES ?? "repo,all").split(",").map((s) => s.trim()) as Scope[];

const log = (line = ""): void => {
  process.stdout.write(`${line}\n`);
};

const repoRoot = (): string => {
  // build/test/bench/cluster.js → repo root; fall back to the working directory.
  const fromBuild = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../..");
  return existsSync(join(fromBuild, "package.json")) ? fromBuild : process.cwd();
};

interface Labelled {
  comments: LearnComment[];
  labels: Map<number, string>;
  source: string;
  records: number;
}

const loadCrc = (): Labelled => {
  const source = process.env.BENCH_CRC_PATH ?? join(repoRoot(), "examples/crc-py/review-comments.json");
  const text = readFileSync(source, "utf8");
  const raw = JSON.parse(text) as { id: number; _labels?: { subcategory?: string } }[];
  const labels = new Map<number, string>();
  for (const r of raw) if (r._labels?.subcategory !== undefined) labels.set(r.id, r._labels.subcategory);
  const comments = parseReviewComments(text, createActorClassifier({ self: { appId: null, appSlug: null } }));
  return { comments, labels, source, records: raw.length };
};

const learnOptions = (mergeThreshold: number, keepAll: boolean): LearnOptions => ({
  ...DEFAULT_LEARN_OPTIONS,
  scope: "all",
  thresholds: THRESHOLDS,
  keep: keepAll ? [...DROP_REASONS] : [],
  cluster: { ...DEFAULT_CLUSTER_OPTIONS, mergeThreshold },
});

interface Row extends Quality {
  mergeThreshold: number;
  /** Share of members of clusters of ≥ 3 labelled praise, question or false positive (recurring or not). */
  leakageAll: number;
  /** Members of recurring patterns, and how many of them are labelled praise, question or false positive. */
  recurringMembers: number;
  leaked: number;
  actionable: number;
  ms: number;
}

const NOT_ACTIONABLE = new Set(["praise", "question", "false positive"]);

const measure = (comments: readonly LearnComment[], labels: ReadonlyMap<number, string>, mergeThreshold: number, keepAll: boolean): Row => {
  const t = performance.now();
  const r = learnPatterns(comments, learnOptions(mergeThreshold, keepAll));
  const ms = performance.now() - t;
  const q = measureQuality(r.clusters, labels, comments.length);
  const big = r.clusters.filter((c: Cluster) => c.commentIds.length >= 3).flatMap((c) => c.commentIds);
  const leakedAll = big.filter((id) => NOT_ACTIONABLE.has(labels.get(id) ?? "")).length;
  const recurring = r.clusters.filter((c) => c.recurring).flatMap((c) => c.commentIds);
  const leaked = recurring.filter((id) => NOT_ACTIONABLE.has(labels.get(id) ?? "")).length;
  return {
    ...q,
    mergeThreshold,
    leakageAll: big.length === 0 ? 0 : leakedAll / big.length,
    recurringMembers: recurring.length,
    leaked,
    actionable: r.counts.actionable,
    ms,
  };
};

const f2 = (x: number): string => x.toFixed(2);
const f3 = (x: number): string => x.toFixed(3);
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

const printCurve = (title: string, rows: readonly Row[]): void => {
  log(title);
  log("  merge   purity  coverage  leakage(recurring)  leakage(all ≥3)  clusters≥3  clustered  recurring  actionable");
  for (const r of rows) {
    const mark = r.mergeThreshold === DEFAULT_CLUSTER_OPTIONS.mergeThreshold ? "*" : " ";
    log(
      `  ${f2(r.mergeThreshold)}${mark}   ${f3(r.purity)}    ${f3(r.coverage)}   ${pct(r.leakage).padStart(8)} of ${String(r.recurring).padStart(2)} patterns  ${pct(r.leakageAll).padStart(8)}  ${String(r.clusters).padStart(10)}  ${String(r.clustered).padStart(9)}  ${String(r.recurring).padStart(9)}  ${String(r.actionable).padStart(10)}`,
    );
  }
};

/** The highest coverage among thresholds whose purity is ≥ `floor`, with that threshold. */
const bestCoverageAt = (rows: readonly Row[], floor: number): { coverage: number; mergeThreshold: number | null; purity: number | null } => {
  let best: Row | undefined;
  for (const r of rows) if (r.purity >= floor && r.clusters > 0 && (best === undefined || r.coverage > best.coverage)) best = r;
  return best === undefined ? { coverage: 0, mergeThreshold: null, purity: null } : { coverage: best.coverage, mergeThreshold: best.mergeThreshold, purity: best.purity };
};

interface QualitySummary {
  pipeline: Row;
}

const quality = (): QualitySummary => {
  const crc = loadCrc();
  const { comments, labels } = crc;
  log(`quality: ${crc.source}`);
  log(`  ${String(crc.records)} records, ${String(comments.length)} after the parser's id dedup; ${String(comments.filter((c) => c.authorKind !== "human").length)} by bots`);
  log(`  learnPatterns scope "all", thresholds ${JSON.stringify(THRESHOLDS)} (window ends at the newest comment), cluster ${JSON.stringify(DEFAULT_CLUSTER_OPTIONS)}`);
  log("  purity: clusters of ≥ 3, member-weighted share of the dominant human label; coverage: their members / all parsed comments;");
  log("  leakage: share of recurring-pattern members labelled praise/question/false positive (and the same over all clusters ≥ 3)");
  const def = DEFAULT_CLUSTER_OPTIONS.mergeThreshold;
  const pipeline = measure(comments, labels, def, false);
  const clustererOnly = measure(comments, labels, def, true);
  log();
  log(
    `shipped pipeline (filter on):  purity=${f3(pipeline.purity)} coverage=${f3(pipeline.coverage)} leakage=${pct(pipeline.leakage)} (${String(pipeline.leaked)} of ${String(pipeline.recurringMembers)} members of ${String(pipeline.recurring)} recurring patterns; ${pct(pipeline.leakageAll)} over all clusters ≥3) — ${String(pipeline.actionable)} of ${String(comments.length)} comments pass the filter, coverage of those ${f3(pipeline.clustered / Math.max(1, pipeline.actionable))}; ${pipeline.ms.toFixed(0)} ms`,
  );
  log(
    `clusterer only (all kept):     purity=${f3(clustererOnly.purity)} coverage=${f3(clustererOnly.coverage)} leakage=${pct(clustererOnly.leakage)} (${String(clustererOnly.leaked)} of ${String(clustererOnly.recurringMembers)} members of ${String(clustererOnly.recurring)} recurring patterns; ${pct(clustererOnly.leakageAll)} over all clusters ≥3); ${clustererOnly.ms.toFixed(0)} ms`,
  );

  // Comparable to the baseline's second figure: bots and comments labelled praise/question removed by label, the rest all clustered.
  const subset = comments.filter((c) => c.authorKind === "human" && !["praise", "question"].includes(labels.get(c.id) ?? ""));
  const pipelineRows = SWEEP.map((m) => measure(comments, labels, m, false));
  const onlyRows = SWEEP.map((m) => measure(comments, labels, m, true));
  const subsetRows = SWEEP.map((m) => measure(subset, labels, m, true));
  log();
  log(`curves over cluster.mergeThreshold (* = default ${f2(def)}):`);
  printCurve("shipped pipeline (filter on), coverage over all 1,024:", pipelineRows);
  printCurve("clusterer only (every filter reason kept), coverage over all 1,024:", onlyRows);
  printCurve(`clusterer only on the label-filtered subset (no bots, no praise/question labels: ${String(subset.length)} comments), coverage over that subset:`, subsetRows);

  const fine = {
    pipeline: FINE_SWEEP.map((m) => measure(comments, labels, m, false)),
    only: FINE_SWEEP.map((m) => measure(comments, labels, m, true)),
    subset: FINE_SWEEP.map((m) => measure(subset, labels, m, true)),
  };
  const describe = (b: ReturnType<typeof bestCoverageAt>): string =>
    b.mergeThreshold === null ? "none reaches 0.80" : `${f3(b.coverage)} (merge ${f2(b.mergeThreshold)}, purity ${f3(b.purity ?? 0)})`;
  log();
  log(`best coverage at purity ≥ 0.80 over mergeThreshold ${f2(FINE_SWEEP[0] ?? 0)}–${f2(FINE_SWEEP.at(-1) ?? 0)} step 0.01:`);
  log(`  shipped pipeline:              ${describe(bestCoverageAt(fine.pipeline, 0.8))}`);
  log(`  clusterer only, all 1,024:     ${describe(bestCoverageAt(fine.only, 0.8))}   baseline ${f3(BASELINE.all.bestCoverageAt80)}`);
  log(`  clusterer only, label-filtered: ${describe(bestCoverageAt(fine.subset, 0.8))}   baseline ${f3(BASELINE.filtered.bestCoverageAt80)}`);
  const atCoverage = (rows: readonly Row[], c: number): string => {
    let best: Row | undefined;
    for (const r of rows) if (r.coverage >= c && (best === undefined || r.purity > best.purity)) best = r;
    return best === undefined ? `none reaches coverage ${f2(c)}` : `${f3(best.purity)} (merge ${f2(best.mergeThreshold)}, coverage ${f3(best.coverage)})`;
  };
  log(`best purity at coverage ≥ 0.35 (same sweep):`);
  log(`  shipped pipeline:              ${atCoverage(fine.pipeline, 0.35)}`);
  log(`  clusterer only, all 1,024:     ${atCoverage(fine.only, 0.35)}   baseline ${f3(BASELINE.all.purity)} at ${f3(BASELINE.all.coverage)}`);
  log(`  clusterer only, label-filtered: ${atCoverage(fine.subset, 0.35)}   baseline ${f3(BASELINE.filtered.purity)} at ${f3(BASELINE.filtered.coverage)}`);
  return { pipeline };
};

// ---------------------------------------------------------------------------
// Scale: one child process per scope.

interface ChildReport {
  scope: Scope;
  n: number;
  pulls: number;
  largestRepo: number;
  generateSeconds: number;
  seconds: number;
  /** CPU time of the whole child process during the call (main thread plus GC threads), seconds. */
  cpuSeconds: number;
  /** CPU used by other processes on the machine during the call, % of one core (null off Linux). */
  otherCpuPct: number | null;
  rssBeforeMb: number;
  peakRssMb: number;
  /** How the peak was measured: reset before the call, or the whole process (generation included). */
  peakSource: "learn call (clear_refs reset)" | "whole process";
  heapUsedAfterMb: number;
  counts: { comments: number; actionable: number; clustered: number; recurring: number };
  clusters: number;
  largestCluster: number;
  dropped: Record<string, number>;
  /** Against the human label of each comment's source: a sanity check at scale, inflated by construction. */
  synthetic: { purity: number; coverage: number };
}

const statusKb = (field: string): number | null => {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
};

const child = (scope: Scope): void => {
  const gc = (globalThis as { gc?: () => void }).gc;
  const crc = loadCrc();
  const g0 = performance.now();
  const synth = synthesize(crc.comments, { ...DEFAULT_SYNTH, n: N });
  const generateSeconds = (performance.now() - g0) / 1000;
  gc?.();
  gc?.();
  // Reset the kernel's peak-RSS counter, so the peak below is the learn call's (input held in memory included).
  let peakSource: ChildReport["peakSource"] = "learn call (clear_refs reset)";
  try {
    writeFileSync("/proc/self/clear_refs", "5");
  } catch {
    peakSource = "whole process";
  }
  const rssBefore = process.memoryUsage.rss();
  const busy0 = machineBusyMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = learnPatterns(synth.comments, { ...DEFAULT_LEARN_OPTIONS, scope, thresholds: THRESHOLDS });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const busy1 = machineBusyMs();
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const otherCpuPct = busy0 === null || busy1 === null ? null : Math.max(0, ((busy1 - busy0) / 1000 - cpuSeconds) / seconds) * 100;
  const peakKb = statusKb("VmHWM") ?? process.resourceUsage().maxRSS;
  const synthLabels = new Map<number, string>();
  synth.comments.forEach((c, i) => synthLabels.set(c.id, crc.labels.get(synth.sourceIds[i] ?? -1) ?? "?"));
  const sq = measureQuality(result.clusters, synthLabels, synth.comments.length);
  const dropped: Record<string, number> = {};
  for (const d of result.dropped) dropped[d.reason] = (dropped[d.reason] ?? 0) + 1;
  const report: ChildReport = {
    scope,
    n: synth.comments.length,
    pulls: synth.pulls,
    largestRepo: Math.max(...synth.repoSizes),
    generateSeconds,
    seconds,
    cpuSeconds,
    otherCpuPct,
    rssBeforeMb: rssBefore / 1024 / 1024,
    peakRssMb: peakKb / 1024,
    peakSource,
    heapUsedAfterMb: process.memoryUsage().heapUsed / 1024 / 1024,
    counts: result.counts,
    clusters: result.clusters.length,
    largestCluster: result.clusters.reduce((m, c) => Math.max(m, c.occurrences), 0),
    dropped,
    synthetic: { purity: sq.purity, coverage: sq.coverage },
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
};

const runChild = (scope: Scope): Promise<ChildReport> =>
  new Promise((resolvePromise, reject) => {
    const prof = process.env.BENCH_CPU_PROF;
    const args = [
      "--expose-gc",
      ...(prof !== undefined && prof !== "" ? ["--cpu-prof", `--cpu-prof-dir=${resolve(prof)}`, `--cpu-prof-name=cluster-${scope}.cpuprofile`] : []),
      fileURLToPath(import.meta.url),
      "--child",
      scope,
    ];
    const proc = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"], env: process.env });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
    });
    proc.on("error", reject);
    proc.on("close", (code, signal) => {
      const line = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) {
        reject(new Error(`child (${scope}) exited with ${String(code ?? signal)}: ${out}`));
        return;
      }
      try {
        resolvePromise(JSON.parse(line) as ChildReport);
      } catch (e) {
        reject(new Error(`child (${scope}) printed no report: ${out} (${String(e)})`));
      }
    });
  });

/** Which code was measured: HEAD, and whether src/ had uncommitted changes (others edit it concurrently). */
const codeVersion = (): string => {
  try {
    const git = (...args: string[]): string => execFileSync("git", args, { cwd: repoRoot(), encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const dirty = git("status", "--porcelain", "--", "src").split("\n").filter((l) => l !== "").length;
    return `${git("rev-parse", "--short", "HEAD")}${dirty === 0 ? "" : ` + ${String(dirty)} uncommitted file(s) in src/`}`;
  } catch {
    return "unknown (no git)";
  }
};

const main = async (): Promise<void> => {
  const cores = cpus();
  log(`node ${process.version}, ${String(cores.length)} cores (${cores[0]?.model.trim() ?? "unknown cpu"}), ${(totalmem() / 1024 ** 3).toFixed(0)} GB RAM; code ${codeVersion()}`);
  const q = quality();

  log();
  log(`scale: ${String(N)} comments varied from the real ones (test/bench/vary.ts, seed ${String(DEFAULT_SYNTH.seed)}), ${String(DEFAULT_SYNTH.repos)} repos, over ${String(DEFAULT_SYNTH.days)} days; one child process per scope, generation not timed`);
  const reports: ChildReport[] = [];
  for (const scope of SCOPES) {
    let r = await runChild(scope);
    if (r.otherCpuPct !== null && r.otherCpuPct > NOISY_OTHER_CPU_PCT) {
      // Another process shared the 2 cores: the figure measures the machine, not the code. Repeated once; the repeat counts.
      log(`  scope ${r.scope.padEnd(4)}  learn ${r.seconds.toFixed(2)} s while other processes used ${r.otherCpuPct.toFixed(0)}% of a core: repeated`);
      r = await runChild(scope);
    }
    reports.push(r);
    const drops = Object.entries(r.dropped)
      .sort()
      .map(([k, v]) => `${k} ${String(v)}`)
      .join(", ");
    log(
      `  scope ${r.scope.padEnd(4)}  learn ${r.seconds.toFixed(2)} s (CPU ${r.cpuSeconds.toFixed(2)} s; other processes ${r.otherCpuPct === null ? "n/a" : `${r.otherCpuPct.toFixed(0)}%`} of a core), peak RSS ${r.peakRssMb.toFixed(0)} MB (${r.peakSource}; ${r.rssBeforeMb.toFixed(0)} MB before the call, input included), heap after ${r.heapUsedAfterMb.toFixed(0)} MB; generation ${r.generateSeconds.toFixed(1)} s (not counted)`,
    );
    log(
      `             ${String(r.n)} comments in ${String(r.pulls)} PRs (largest repo ${String(r.largestRepo)}); actionable ${String(r.counts.actionable)}, clustered ${String(r.counts.clustered)} in ${String(r.clusters)} clusters (largest ${String(r.largestCluster)}), recurring ${String(r.counts.recurring)}; dropped: ${drops}`,
    );
    log(
      `             against the source comments' labels (a sanity check; variants of one text are near-duplicates, so this is inflated): purity ${f3(r.synthetic.purity)}, coverage ${f3(r.synthetic.coverage)}`,
    );
  }
  const seconds = Math.max(...reports.map((r) => r.seconds));
  const rss = Math.max(...reports.map((r) => r.peakRssMb));
  const p = q.pipeline;

  log();
  log(`targets (reported, not asserted): purity ≥ ${f2(TARGETS.purity)} at coverage ≥ ${f2(TARGETS.coverage)}, leakage < ${pct(TARGETS.leakage)}, ${String(N)} comments ≤ ${String(TARGETS.seconds)} s and ≤ ${String(TARGETS.rssMb)} MB RSS`);
  if (p.purity < TARGETS.purity || p.coverage < TARGETS.coverage) {
    log(`TARGET MISSED: shipped pipeline purity ${f3(p.purity)} at coverage ${f3(p.coverage)} (target ≥ ${f2(TARGETS.purity)} at ≥ ${f2(TARGETS.coverage)})`);
  }
  if (p.leakage >= TARGETS.leakage) log(`TARGET MISSED: leakage ${pct(p.leakage)} (target < ${pct(TARGETS.leakage)})`);
  if (seconds > TARGETS.seconds) log(`TARGET MISSED: ${seconds.toFixed(2)} s for ${String(N)} comments (target ≤ ${String(TARGETS.seconds)} s)`);
  if (rss > TARGETS.rssMb) log(`TARGET MISSED: peak RSS ${rss.toFixed(0)} MB (target ≤ ${String(TARGETS.rssMb)} MB)`);
  log(`cluster: n=${String(N)} seconds=${seconds.toFixed(2)} rss_mb=${rss.toFixed(0)} purity=${f2(p.purity)} coverage=${f2(p.coverage)}`);
};

const childAt = process.argv.indexOf("--child");
if (childAt >= 0) child((process.argv[childAt + 1] ?? "repo") as Scope);
else await main();
