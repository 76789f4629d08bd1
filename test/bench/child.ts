import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync, statSync } from "node:fs";
import { get } from "node:http";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";

/** A Probot server in a child process, started from env like in production. */
export interface AppChild {
  label: string;
  proc: ChildProcess;
  pid: number;
  port: number;
  startupMs: number;
  /** Lines the child printed (LOG_LEVEL=warn: warnings and errors only). */
  logLines: () => string[];
  exited: () => { code: number | null; signal: NodeJS.Signals | null } | null;
}

export const freePort = (host: string): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen({ port: 0, host }, () => {
      const address = srv.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    setTimeout(resolve, ms);
  });

const ping = (host: string, port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const req = get({ host, port, path: "/ping", agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => {
      resolve(false);
    });
  });

const MAX_LOG_LINES = 200;

export const startChild = async (
  label: string,
  entry: string,
  nodeArgs: readonly string[],
  env: Record<string, string>,
  host: string,
  startTimeoutMs: number,
  /** Also copy everything the child prints to this file. */
  logFile?: string,
): Promise<AppChild> => {
  const port = await freePort(host);
  const started = performance.now();
  const proc = spawn(process.execPath, [...nodeArgs, entry], {
    env: { ...process.env, ...env, HOST: host, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  let dropped = 0;
  const collect = (chunk: Buffer): void => {
    for (const line of chunk.toString("utf8").split("\n")) {
      if (line.trim() === "") continue;
      if (lines.length < MAX_LOG_LINES) lines.push(line);
      else dropped += 1;
    }
  };
  proc.stdout.on("data", collect);
  proc.stderr.on("data", collect);
  if (logFile !== undefined) {
    const out = createWriteStream(logFile);
    proc.stdout.pipe(out);
    proc.stderr.pipe(out);
  }
  const state: { exit: { code: number | null; signal: NodeJS.Signals | null } | null } = { exit: null };
  proc.on("exit", (code, signal) => {
    state.exit = { code, signal };
  });
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`${label}: could not spawn ${entry}`);

  const deadline = started + startTimeoutMs;
  for (;;) {
    if (state.exit !== null) {
      throw new Error(`${label} exited during startup (${JSON.stringify(state.exit)}):\n${lines.slice(-30).join("\n")}`);
    }
    if (await ping(host, port)) break;
    if (performance.now() > deadline) {
      proc.kill("SIGKILL");
      throw new Error(`${label} did not answer GET /ping within ${String(startTimeoutMs)} ms:\n${lines.slice(-30).join("\n")}`);
    }
    await sleep(25);
  }
  return {
    label,
    proc,
    pid,
    port,
    startupMs: performance.now() - started,
    logLines: () => (dropped > 0 ? [...lines, `… ${String(dropped)} more lines`] : [...lines]),
    exited: () => state.exit,
  };
};

/** SIGTERM and wait for exit; SIGKILL after the timeout. Returns how it ended. */
export const stopChild = async (
  child: AppChild,
  timeoutMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean; ms: number }> => {
  const t = performance.now();
  const already = child.exited();
  if (already !== null) return { ...already, killed: false, ms: 0 };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.proc.once("exit", (code, signal) => {
      resolve({ code, signal });
    });
  });
  child.proc.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      resolve(null);
    }, timeoutMs);
  });
  const first = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (first !== null) return { ...first, killed: false, ms: performance.now() - t };
  child.proc.kill("SIGKILL");
  return { ...(await exited), killed: true, ms: performance.now() - t };
};

/** CPU time (user + system, ms) a process has used, from /proc; null where unavailable. */
export const processCpuMs = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    // Linux reports clock ticks; USER_HZ is 100 on every mainstream kernel.
    return (utime + stime) * 10;
  } catch {
    return null;
  }
};

/** Busy CPU time (ms, all cores, including time stolen by the hypervisor) of the whole machine, from /proc/stat. */
export const machineBusyMs = (): number | null => {
  try {
    const line = readFileSync("/proc/stat", "utf8").split("\n", 1)[0] ?? "";
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal
    const busy = (f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0);
    return Number.isFinite(busy) ? busy * 10 : null;
  } catch {
    return null;
  }
};

/**
 * Watches the block device under `dir` (via /proc/diskstats) and records the
 * longest time it had a request in flight while completing none: a stall of
 * the disk itself. A durable ack waits for fdatasync, so such a stall delays
 * every ack in flight. Null where the device cannot be watched (tmpfs, not Linux).
 */
export const watchDisk = (dir: string, intervalMs = 50): { stop: () => number | null } => {
  let major: number;
  let minor: number;
  try {
    const dev = statSync(dir).dev;
    major = Number((BigInt(dev) >> 8n) & 0xfffn) | Number((BigInt(dev) >> 32n) & ~0xfffn);
    minor = Number(BigInt(dev) & 0xffn) | Number((BigInt(dev) >> 12n) & ~0xffn);
  } catch {
    return { stop: () => null };
  }
  const sample = (): { done: number; inflight: number } | null => {
    try {
      for (const line of readFileSync("/proc/diskstats", "utf8").split("\n")) {
        const f = line.trim().split(/\s+/);
        if (Number(f[0]) !== major || Number(f[1]) !== minor) continue;
        return { done: Number(f[3]) + Number(f[7]), inflight: Number(f[11]) };
      }
    } catch {
      return null;
    }
    return null;
  };
  let last = sample();
  if (last === null) return { stop: () => null };
  let lastAt = performance.now();
  let stallSince: number | null = null;
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cur = sample();
    if (cur === null || last === null) return;
    if (cur.inflight > 0 && cur.done === last.done) {
      stallSince ??= lastAt;
      longest = Math.max(longest, now - stallSince);
    } else {
      stallSince = null;
    }
    last = cur;
    lastAt = now;
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return longest;
    },
  };
};
