import { spawn } from "node:child_process";
import { delimiter } from "node:path";

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time, for the slow process tests' logs. */
  ms: number;
}

export interface CommandOptions {
  cwd: string;
  env: Record<string, string>;
  /** Killed (SIGKILL) after this long; the result then has signal SIGKILL. */
  timeoutMs?: number;
  /** The command line as one string run by `sh -c` (Dockerfile shell forms). */
  shell?: boolean;
}

/** Variables a child npm or node may need from this machine (cache, proxies, npmrc); nothing of the test run itself. */
const PASSED = /^(HOME|USER|LANG|LC_ALL|TMPDIR|SHELL|npm_config_(cache|registry|userconfig|nodedir|python)|https?_proxy|no_proxy|HTTPS?_PROXY|NO_PROXY)$/;

/**
 * A clean environment for a child process, as a user's shell would have it:
 * PATH without the `node_modules/.bin` folders `npm test` put first (so
 * nothing of this repository's installation leaks in), HOME and the npm
 * settings of the machine (its cache, its npmrc), and not the test run's own
 * variables (NODE_ENV=test, NODE_OPTIONS for jest, npm_lifecycle_*).
 */
export const cleanEnv = (extra: Record<string, string> = {}): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && PASSED.test(k)) env[k] = v;
  env.PATH = (process.env.PATH ?? "")
    .split(delimiter)
    .filter((p) => p !== "" && !/node_modules[\\/]\.bin$/.test(p))
    .join(delimiter);
  return { ...env, ...extra };
};

/** Runs a command to its end, capturing its output. Never rejects for a failing exit code; the test asserts it. */
export const runCommand = (command: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const child = options.shell === true
      ? spawn("sh", ["-c", command], { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });

/** The end of a command's output, for an assertion message. */
export const tail = (r: Pick<CommandResult, "stdout" | "stderr">, chars = 4000): string => {
  const text = `${r.stdout}\n--- stderr ---\n${r.stderr}`;
  return text.length > chars ? `…${text.slice(-chars)}` : text;
};

/** "exit 0", or the exit and the output's end: `expect(exitOf(r)).toBe("exit 0")` shows why a command failed. */
export const exitOf = (r: CommandResult): string =>
  r.code === 0 ? "exit 0" : `exit ${String(r.code ?? r.signal)} after ${String(r.ms)} ms:\n${tail(r)}`;
