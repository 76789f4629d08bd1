import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { testPrivateKey, WEBHOOK_SECRET, TEST_APP_ID } from "./probot.js";

/** The compiled app (`npm run build`, run by `pretest`), as `npm start` runs it. */
export const DIST_MAIN = "dist/main.js";
export const DIST_CLI = "dist/cli/bin.js";

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr !== null ? addr.port : 0;
      srv.close(() => { resolve(port); });
    });
    srv.on("error", reject);
  });

export interface AppProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  exited: Promise<number | null>;
}

export const startApp = async (dataDir: string): Promise<AppProcess> => {
  const port = await freePort();
  const child = spawn(process.execPath, [DIST_MAIN], {
    env: {
      PATH: process.env.PATH,
      APP_ID: String(TEST_APP_ID),
      APP_SLUG: "review-reviewer",
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
      LOG_FORMAT: "json",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => { resolve(code); }));
  const url = `http://127.0.0.1:${String(port)}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited early: ${out}`);
    try {
      const res = await fetch(`${url}/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`app did not start: ${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, url: `${url}/api/github/webhooks`, output: () => out, exited };
};

export const runCliProcess = (args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [DIST_CLI, ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => { resolve({ code, stdout, stderr }); });
  });
