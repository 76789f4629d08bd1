import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { DIST_CLI, DIST_MAIN } from "./process.js";

/**
 * The built app started the way a person starts it: `node dist/main.js` from
 * a folder holding a `.env`, with nothing exported but PATH (and what a test
 * adds on purpose).
 */
export interface FolderApp {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  /** Resolves once the output matches (or rejects after `ms`). */
  waitFor: (re: RegExp, ms?: number) => Promise<string>;
}

export const startInFolder = (cwd: string, extraEnv: Record<string, string> = {}): FolderApp => {
  const child = spawn(process.execPath, [resolve(DIST_MAIN)], { cwd, env: { PATH: process.env.PATH, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const waiters: (() => void)[] = [];
  const onData = (c: Buffer): void => {
    out += c.toString();
    for (const w of waiters) w();
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  const exited = new Promise<number | null>((res) => child.on("exit", (code) => { res(code); for (const w of waiters) w(); }));
  const waitFor = (re: RegExp, ms = 20_000): Promise<string> =>
    new Promise((res, rej) => {
      const timer = setTimeout(() => { rej(new Error(`timed out waiting for ${String(re)}; output:\n${out}`)); }, ms);
      const check = (): void => {
        const m = re.exec(out);
        if (m !== null) {
          clearTimeout(timer);
          res(m[0]);
        } else if (child.exitCode !== null) {
          clearTimeout(timer);
          rej(new Error(`app exited (${String(child.exitCode)}) before ${String(re)}; output:\n${out}`));
        }
      };
      waiters.push(check);
      check();
    });
  return { child, output: () => out, exited, waitFor };
};

/** `review-reviewer <args>` from a folder (its .env read as the app reads it). */
export const runCliIn = (cwd: string, args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> =>
  new Promise((res) => {
    const child = spawn(process.execPath, [resolve(DIST_CLI), ...args], { cwd, env: { PATH: process.env.PATH, ...extraEnv } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code) => { res({ code, stdout, stderr }); });
  });

/** GitHub's example `GET /app` answer (@octokit/openapi), with the given grants. */
export const appRegistration = (over: { slug: string; permissions: Record<string, string>; events: string[] }): Record<string, unknown> => {
  const require = createRequire(import.meta.url);
  const spec = require("@octokit/openapi/generated/api.github.com.json") as { components: { examples: Record<string, { value: Record<string, unknown> }> } };
  const example = spec.components.examples.integration?.value;
  if (example === undefined) throw new Error("no integration example in @octokit/openapi");
  return { ...example, ...over };
};

export interface FakeGitHub {
  /** For GHE_HOST (with GHE_PROTOCOL=http): Probot then calls http://<host>/api/v3. */
  host: string;
  /** For GITHUB_API_URL (the CLI). */
  apiUrl: string;
  requests: { method: string; url: string; authorization: string | undefined }[];
  close: () => Promise<void>;
}

/** A loopback GitHub answering only `GET /app` (under /api/v3 as for GHE); anything else is a 404 and recorded. */
export const fakeGitHubApp = async (registration: Record<string, unknown>): Promise<FakeGitHub> => {
  const requests: FakeGitHub["requests"] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization });
    if (req.method === "GET" && (req.url === "/api/v3/app" || req.url === "/app")) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(registration));
      return;
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ message: "Not Found" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${String(port)}`,
    apiUrl: `http://127.0.0.1:${String(port)}`,
    requests,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => { r(); }); }),
  };
};

export interface FakeSmee {
  /** The channel URL, for WEBHOOK_PROXY_URL. */
  url: string;
  /** Resolves when a client listens on the channel. */
  connected: Promise<void>;
  /** One server-sent event, as smee.io sends a delivery: headers as keys, `body` the parsed payload. */
  send: (data: Record<string, unknown>) => void;
  close: () => Promise<void>;
}

/** A loopback smee.io channel (server-sent events), so the proxy path runs without the internet. */
export const fakeSmee = async (): Promise<FakeSmee> => {
  const clients: ServerResponse[] = [];
  let onConnect: () => void = () => undefined;
  const connected = new Promise<void>((r) => { onConnect = r; });
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === "GET" && req.url === "/channel") {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
      res.write(": ready\n\n");
      clients.push(res);
      onConnect();
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${String(port)}/channel`,
    connected,
    send: (data) => {
      for (const c of clients) c.write(`data: ${JSON.stringify(data)}\n\n`);
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => { r(); }); }),
  };
};
