import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";
import type { Delivery } from "./payloads.js";

/**
 * Open-loop load: request i is sent at t0 + i/rate whatever the replies, and
 * its latency is measured from that scheduled time, so time spent queued (in
 * the generator, the socket pool or the app) counts. A fresh keep-alive agent
 * per step, so no socket idles past the server's keep-alive timeout between
 * steps.
 */

export const WEBHOOK_PATH = "/api/github/webhooks";

export interface Target {
  host: string;
  port: number;
}

export interface StepOptions {
  /** Replies later than the last send plus this still arrive, but do not count as "within the step". */
  drainMs: number;
  /** After the drain, wait at most this long for stragglers, then abort them. */
  maxWaitMs: number;
  maxSockets: number;
}

export interface RawStep {
  rate: number;
  /** performance.now() of the first scheduled send. */
  t0: number;
  interval: number;
  /** End of the counting window: last scheduled send + drain. */
  windowEnd: number;
  /** HTTP status per request; -1 = network error, 0 = never answered. */
  status: Int16Array;
  doneAt: Float64Array;
}

export const runStep = (target: Target, deliveries: readonly Delivery[], rate: number, opts: StepOptions): Promise<RawStep> =>
  new Promise((resolve) => {
    const agent = new Agent({ keepAlive: true, maxSockets: opts.maxSockets });
    const n = deliveries.length;
    const interval = 1000 / rate;
    const status = new Int16Array(n);
    const doneAt = new Float64Array(n).fill(Number.NaN);
    const t0 = performance.now() + 20;
    const windowEnd = t0 + (n - 1) * interval + opts.drainMs;
    let sent = 0;
    let finished = 0;
    let resolved = false;
    let hardStop: NodeJS.Timeout | undefined;

    const done = (): void => {
      if (resolved) return;
      resolved = true;
      clearTimeout(hardStop);
      agent.destroy();
      resolve({ rate, t0, interval, windowEnd, status, doneAt });
    };

    const finish = (i: number, code: number): void => {
      if (resolved || status[i] !== 0) return;
      status[i] = code;
      doneAt[i] = performance.now();
      finished += 1;
      if (finished === n) done();
    };

    const send = (i: number): void => {
      const d = deliveries[i];
      if (d === undefined) return;
      const req = request(
        {
          agent,
          host: target.host,
          port: target.port,
          method: "POST",
          path: WEBHOOK_PATH,
          headers: {
            "content-type": "application/json",
            "content-length": d.body.length,
            "user-agent": "GitHub-Hookshot/bench",
            "x-github-event": d.event,
            "x-github-delivery": d.id,
            "x-github-hook-id": "1",
            "x-hub-signature-256": d.signature,
          },
        },
        (res) => {
          const code = res.statusCode ?? 599;
          res.on("error", () => {
            finish(i, -1);
          });
          res.on("end", () => {
            finish(i, code);
          });
          res.on("close", () => {
            finish(i, res.complete ? code : -1);
          });
          res.resume();
        },
      );
      req.on("error", () => {
        finish(i, -1);
      });
      req.end(d.body);
    };

    const tick = (): void => {
      const now = performance.now();
      while (sent < n && t0 + sent * interval <= now) send(sent++);
      if (sent < n) {
        setTimeout(tick, Math.max(0, t0 + sent * interval - performance.now()));
      } else {
        hardStop = setTimeout(done, Math.max(0, windowEnd - now) + opts.maxWaitMs);
      }
    };
    if (n === 0) {
      done();
      return;
    }
    setTimeout(tick, Math.max(0, t0 - performance.now()));
  });

export interface StepSummary {
  rate: number;
  sent: number;
  /** 200s received within the step plus the drain. */
  okInWindow: number;
  /** 200s at any time (what the app acknowledged). */
  ok: number;
  /** Everything that was not a 200, at any time (errors, 202 timeouts, 5xx, unanswered). */
  errors: number;
  statuses: Record<string, number>;
  /** Acks per second between the first and the last in-window ack. */
  achieved: number;
  p50: number;
  p99: number;
  max: number;
  sustained: boolean;
  why: string[];
}

export interface Criteria {
  minOkRatio: number;
  minAchievedRatio: number;
  maxP99Ms: number;
}

/** Nearest-rank percentile of ascending values. */
export const percentile = (sorted: ArrayLike<number>, p: number): number => {
  if (sorted.length === 0) return Number.NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[idx] ?? Number.NaN;
};

export const summarise = (raw: RawStep, criteria: Criteria): StepSummary => {
  const n = raw.status.length;
  const latencies = new Float64Array(n);
  const inWindow: number[] = [];
  const statuses: Record<string, number> = {};
  let ok = 0;
  for (let i = 0; i < n; i++) {
    const code = raw.status[i] ?? 0;
    const at = raw.doneAt[i] ?? Number.NaN;
    const key = code === -1 ? "neterr" : code === 0 ? "none" : String(code);
    statuses[key] = (statuses[key] ?? 0) + 1;
    if (code === 200) {
      ok += 1;
      // Failures count as infinitely slow, so they can only raise the percentiles.
      latencies[i] = at - (raw.t0 + i * raw.interval);
      if (at <= raw.windowEnd) inWindow.push(at);
    } else {
      latencies[i] = Number.POSITIVE_INFINITY;
    }
  }
  latencies.sort();
  inWindow.sort((a, b) => a - b);
  const first = inWindow[0];
  const last = inWindow[inWindow.length - 1];
  const achieved =
    first !== undefined && last !== undefined && last > first ? (inWindow.length - 1) / ((last - first) / 1000) : 0;
  const p50 = percentile(latencies, 0.5);
  const p99 = percentile(latencies, 0.99);
  const why: string[] = [];
  if (inWindow.length < criteria.minOkRatio * n) {
    why.push(`only ${(100 * inWindow.length / n).toFixed(1)}% got 200 within the step (+drain)`);
  }
  if (achieved < criteria.minAchievedRatio * raw.rate) {
    why.push(`achieved ${achieved.toFixed(0)}/s < ${(criteria.minAchievedRatio * 100).toFixed(0)}% of offered`);
  }
  if (!(p99 < criteria.maxP99Ms)) why.push(`p99 ${fmtMs(p99)} >= ${String(criteria.maxP99Ms)} ms`);
  return {
    rate: raw.rate,
    sent: n,
    okInWindow: inWindow.length,
    ok,
    errors: n - ok,
    statuses,
    achieved,
    p50,
    p99,
    max: percentile(latencies, 1),
    sustained: why.length === 0,
    why,
  };
};

export const fmtMs = (ms: number): string => (Number.isFinite(ms) ? `${ms.toFixed(1)} ms` : "n/a (failed)");
