import { cp, lstat, mkdir, readdir, readFile, stat } from "node:fs/promises";
import { basename, join, posix, relative } from "node:path";
import { argvOf, dockerignoreMatcher, envPairs, execForm, parseDockerfile, splitFlags, substitute, words, type Instruction, type Stage } from "./dockerfile.js";
import { runCommand, tail } from "./run-command.js";

/**
 * Runs a Dockerfile's stages without Docker, on this machine's tools: each
 * stage gets a temp folder standing for its file system root (WORKDIR /app is
 * <root>/app), COPY reads the build context (honouring .dockerignore) or an
 * earlier stage's folder, RUN runs with sh in the stage's work dir with the
 * stage's ENV. What cannot run here is skipped and reported, never silently:
 * apt-get (after checking that the machine has the commands it installs) and
 * chown to the image's users (this machine has no `node` user and the test
 * is not root). USER is recorded and ignored. A RUN that would touch an
 * absolute path of this machine is refused. Independent stages run at the
 * same time, as BuildKit runs them.
 */

export interface StageResult {
  name: string;
  image: string;
  /** The folder standing for the stage's `/`. */
  root: string;
  /** WORKDIR, as a path on this machine. */
  workdir: string;
  env: Record<string, string>;
  user: string | null;
  cmd: string[] | null;
  healthcheck: { argv: string[]; flags: Record<string, string> } | null;
  volumes: string[];
  stopSignal: string | null;
}

export interface Skipped {
  stage: string;
  /** The stage's position in the Dockerfile. */
  index: number;
  line: number;
  instruction: string;
  reason: string;
}

export interface DockerfileRun {
  stages: StageResult[];
  /** The last stage: the image `docker build` produces. */
  final: StageResult;
  skipped: Skipped[];
  /** Each step and how long it took, for the test's log. */
  log: string[];
}

export interface RunDockerfileOptions {
  dockerfile: string;
  /** The build context: the repository. Read only. */
  context: string;
  /** An empty temp folder; each stage gets a sub-folder. */
  workRoot: string;
  /** The environment every RUN starts from (PATH, HOME, npm cache); the stage's ENV goes over it. */
  baseEnv: Record<string, string>;
  /** Per RUN. */
  timeoutMs?: number;
}

/** apt-get install's package names, to check the machine has them as commands. */
const aptPackages = (command: string): string[] =>
  command
    .split(/&&|;/)
    .map((part) => words(part))
    .filter((w) => w[0] === "apt-get" && w.includes("install"))
    .flatMap((w) => w.slice(w.indexOf("install") + 1).filter((x) => !x.startsWith("-")));

const hasCommand = async (name: string, env: Record<string, string>): Promise<boolean> =>
  (await runCommand(`command -v ${name}`, [], { cwd: "/", env, shell: true })).code === 0;

const skipReason = async (command: string, env: Record<string, string>): Promise<string | null> => {
  if (/^\s*apt-get\b/.test(command)) {
    const missing: string[] = [];
    for (const pkg of aptPackages(command)) if (!(await hasCommand(pkg, env))) missing.push(pkg);
    if (missing.length > 0) throw new Error(`apt-get would install ${missing.join(", ")}, which this machine lacks`);
    return `apt-get: this machine already has ${aptPackages(command).join(", ")}`;
  }
  if (/\bchown\b/.test(command)) return "chown to the image's users needs root and the image's users; the test gives the app its own DATA_DIR";
  return null;
};

/** Copies a context path, leaving out what .dockerignore excludes. */
const copyFromContext = async (context: string, from: string, to: string, ignored: (p: string) => boolean): Promise<void> => {
  const rel = relative(context, from).split("\\").join("/");
  if (rel.startsWith("..")) throw new Error(`COPY source outside the context: ${from}`);
  if (ignored(rel)) throw new Error(`COPY ${rel}: excluded by .dockerignore`);
  const info = await lstat(from);
  if (!info.isDirectory()) {
    await mkdir(join(to, ".."), { recursive: true });
    await cp(from, to, { verbatimSymlinks: true });
    return;
  }
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from)) {
    const child = join(from, entry);
    if (ignored(relative(context, child).split("\\").join("/"))) continue;
    await copyFromContext(context, child, join(to, entry), ignored);
  }
};

const isDir = async (p: string): Promise<boolean> => (await stat(p).catch(() => null))?.isDirectory() ?? false;

export const runDockerfile = async (options: RunDockerfileOptions): Promise<DockerfileRun> => {
  const parsed = parseDockerfile(await readFile(options.dockerfile, "utf8"));
  const ignoreText = await readFile(join(options.context, ".dockerignore"), "utf8").catch(() => "");
  const ignored = dockerignoreMatcher(ignoreText);
  const skipped: Skipped[] = [];
  const log: string[] = [];

  // Stages run at once, as BuildKit runs them; COPY --from waits for its stage.
  const running = new Map<string, Promise<StageResult>>();
  const runStage = async (stage: Stage, index: number): Promise<StageResult> => {
    if (parsed.stages.some((s) => s.name === stage.image)) throw new Error(`FROM ${stage.image}: stages built on stages are not supported here`);
    const root = join(options.workRoot, `${String(index)}-${stage.name}`);
    await mkdir(root, { recursive: true });
    const state: StageResult = { name: stage.name, image: stage.image, root, workdir: root, env: {}, user: null, cmd: null, healthcheck: null, volumes: [], stopSignal: null };
    let imageWorkdir = "/";
    const inStage = (p: string): string => join(root, posix.resolve(imageWorkdir, p));
    const fail = (ins: Instruction, message: string): Error => new Error(`${stage.name}, line ${String(ins.line)} (${ins.keyword} ${ins.text}): ${message}`);

    for (const ins of stage.instructions) {
      const started = Date.now();
      let waited = 0;
      switch (ins.keyword) {
        case "ENV":
          Object.assign(state.env, envPairs(substitute(ins.text, state.env)));
          break;
        case "ARG":
          break;
        case "WORKDIR":
          imageWorkdir = posix.resolve(imageWorkdir, substitute(ins.text, state.env));
          state.workdir = join(root, imageWorkdir);
          await mkdir(state.workdir, { recursive: true });
          break;
        case "COPY": {
          const { flags, rest } = splitFlags(substitute(ins.text, state.env));
          const parts = execForm(rest) ?? words(rest);
          const dest = parts.pop();
          if (dest === undefined || parts.length === 0) throw fail(ins, "COPY needs a source and a destination");
          if (parts.some((p) => /[*?[]/.test(p))) throw fail(ins, "wildcards are not supported here");
          const destPath = inStage(dest);
          const intoDir = dest.endsWith("/") || parts.length > 1 || (await isDir(destPath));
          for (const src of parts) {
            if (flags.from !== undefined) {
              const pending = running.get(flags.from);
              if (pending === undefined) throw fail(ins, `no earlier stage ${flags.from}`);
              const waitStart = Date.now();
              const from = await pending;
              waited += Date.now() - waitStart;
              const source = join(from.root, posix.resolve("/", src));
              const target = (await isDir(source)) || !intoDir ? destPath : join(destPath, basename(src));
              await mkdir(join(target, ".."), { recursive: true });
              await cp(source, target, { recursive: true, verbatimSymlinks: true });
            } else {
              const source = join(options.context, src);
              const target = (await isDir(source)) || !intoDir ? destPath : join(destPath, basename(src));
              await copyFromContext(options.context, source, target, ignored);
            }
          }
          break;
        }
        case "RUN": {
          const { rest } = splitFlags(ins.text); // --mount=type=cache and the like: a Docker build cache, not a step
          const env = { ...options.baseEnv, ...state.env };
          const reason = await skipReason(rest, env);
          if (reason !== null) {
            skipped.push({ stage: stage.name, index, line: ins.line, instruction: `RUN ${rest}`, reason });
            log.push(`${stage.name}: skipped RUN ${rest} (${reason})`);
            continue;
          }
          if (/(^|[\s=])\/(?!dev\/null\b)/.test(rest)) throw fail(ins, "an absolute path would be this machine's, not the stage's");
          const [command, ...args] = argvOf(rest);
          if (command === undefined) throw fail(ins, "empty RUN");
          const result = await runCommand(command, args, { cwd: state.workdir, env, ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}) });
          if (result.code !== 0) throw fail(ins, `exit ${String(result.code ?? result.signal)}\n${tail(result)}`);
          break;
        }
        case "USER":
          state.user = ins.text;
          break;
        case "CMD":
          state.cmd = argvOf(ins.text);
          break;
        case "HEALTHCHECK": {
          const { flags, rest } = splitFlags(ins.text);
          if (rest.toUpperCase() === "NONE") {
            state.healthcheck = null;
            break;
          }
          const m = /^CMD\s+(.*)$/is.exec(rest);
          if (m?.[1] === undefined) throw fail(ins, "expected HEALTHCHECK [options] CMD …");
          state.healthcheck = { argv: argvOf(m[1]), flags };
          break;
        }
        case "VOLUME":
          state.volumes.push(...(execForm(ins.text) ?? words(ins.text)));
          break;
        case "STOPSIGNAL":
          state.stopSignal = ins.text;
          break;
        case "EXPOSE":
        case "LABEL":
          break;
        default:
          throw fail(ins, "not supported by this runner");
      }
      if (ins.keyword === "RUN" || ins.keyword === "COPY") log.push(`${stage.name}: ${ins.keyword} ${ins.text.slice(0, 80)} (${String(Date.now() - started - waited)} ms${waited > 0 ? `, after waiting ${String(waited)} ms for the stage` : ""})`);
    }
    return state;
  };
  for (const [index, stage] of parsed.stages.entries()) running.set(stage.name, runStage(stage, index));
  // Every stage settles before this returns (no npm left running after a failure elsewhere).
  const settled = await Promise.allSettled(running.values());
  const stages: StageResult[] = [];
  for (const result of settled) {
    if (result.status === "rejected") throw result.reason instanceof Error ? result.reason : new Error(String(result.reason));
    stages.push(result.value);
  }
  const final = stages.at(-1);
  if (final === undefined) throw new Error("the Dockerfile has no stage");
  skipped.sort((a, b) => a.index - b.index || a.line - b.line);
  return { stages, final, skipped, log };
};
