import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cloneLike } from "../helpers/clone-like.js";
import { cleanEnv, exitOf, runCommand, tail } from "../helpers/run-command.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const MINUTE = 60_000;

describe("the npm package (npm pack, then npx review-reviewer from the tarball)", () => {
  let work = "";
  let tarball = "";
  let files: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "rr-pack-"));
    const source = join(work, "source");
    const out = join(work, "out");
    await mkdir(out, { recursive: true });
    await cloneLike(REPO, source);
    const packed = await runCommand("npm", ["pack", "--pack-destination", out], { cwd: source, env: cleanEnv(), timeoutMs: 5 * MINUTE });
    if (packed.code !== 0) throw new Error(`npm pack failed:\n${tail(packed)}`);
    const [name] = (await readdir(out)).filter((f) => f.endsWith(".tgz"));
    if (name === undefined) throw new Error(`npm pack wrote no tarball:\n${tail(packed)}`);
    tarball = join(out, name);
    const listed = await runCommand("tar", ["-tzf", tarball], { cwd: work, env: cleanEnv() });
    files = listed.stdout.split("\n").filter((f) => f !== "").map((f) => f.replace(/^package\//, ""));
    console.log(`npm pack: ${String(packed.ms)} ms, ${String(files.length)} files`);
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

  it("installs into an empty folder and runs as npx review-reviewer: --help, and analyze on the shipped example", async () => {
    const consumer = join(work, "consumer");
    const report = join(work, "report");
    await mkdir(consumer, { recursive: true });
    const env = cleanEnv();
    const example = join(REPO, "examples", "crc-py");

    const install = await runCommand("npm", ["install", tarball], { cwd: consumer, env, timeoutMs: 8 * MINUTE });
    const help = await runCommand("npx", ["review-reviewer", "--help"], { cwd: consumer, env, timeoutMs: MINUTE });
    const analyze = await runCommand(
      "npx",
      ["review-reviewer", "analyze", "--input", join(example, "review-comments.json"), "--config", join(example, "review-reviewer.yml"), "--out", report],
      { cwd: consumer, env, timeoutMs: 3 * MINUTE },
    );
    console.log(`npm install <tgz>: ${String(install.ms)} ms; --help: ${String(help.ms)} ms; analyze: ${String(analyze.ms)} ms`);

    expect(exitOf(install)).toBe("exit 0");
    expect(exitOf(help)).toBe("exit 0");
    expect(help.stdout).toMatch(/usage: review-reviewer/i);
    expect(exitOf(analyze)).toBe("exit 0");
    expect((await readFile(join(report, "report.md"), "utf8")).length).toBeGreaterThan(200);
    expect(existsSync(join(consumer, "node_modules", "review-reviewer", "src"))).toBe(false);
  }, 12 * MINUTE);
});
