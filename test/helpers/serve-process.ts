import { spawn, type ChildProcess } from "node:child_process";

export interface ServedProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts a server command (argv as a Dockerfile's CMD gives it) and waits
 * until GET /ping answers 200; rejects with the process's output if it exits
 * first or does not answer within `startMs`.
 */
export const serveProcess = async (
  argv: readonly string[],
  options: { cwd: string; env: Record<string, string>; port: number; startMs?: number },
): Promise<ServedProcess> => {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error("empty command");
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => { resolve({ code, signal }); }),
  );
  const baseUrl = `http://127.0.0.1:${String(options.port)}`;
  const deadline = Date.now() + (options.startMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${argv.join(" ")} exited before answering /ping:\n${out}`);
    try {
      const res = await fetch(`${baseUrl}/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${argv.join(" ")} did not answer /ping:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, baseUrl, output: () => out, exited };
};
