import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cleanEnv, runCommand, tail } from "../helpers/run-command.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const MINUTE = 60_000;

/**
 * The repository as a fresh clone would have it (tracked and new files, not
 * what .gitignore keeps out: no dist/), in a temp folder, so that `npm pack`
 * (whose prepack rebuilds dist/) never rewrites the dist/ other test files run.
 * node_modules is this repository's, linked.
 */
const cloneLike = async (to: string): Promise<void> => {
  const listed = await runCommand("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: REPO, env: cleanEnv() });
  if (listed.code !== 0) throw new Error(`git ls-files failed:\n${tail(listed)}`);
  for (const file of listed.stdout.split("\0").filter((f) => f !== "")) {
    const from = join(REPO, file);
    if (!existsSync(from) || (await stat(from)).isDirectory()) continue; // deleted in the work tree; a submodule
    await mkdir(join(to, file, ".."), { recursive: true });
    await cp(from, join(to, file));
  }
  await symlink(join(REPO, "node_modules"), join(to, "node_modules"), "dir");
};

describe("the npm package (npm pack, then npx review-reviewer from the tarball)", () => {
  let work = "";
  let tarball = "";
  let files: string[] = [];

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), "rr-pack-"));
    const source = join(work, "source");
    const out = join(work, "out");
    await mkdir(out, { recursive: true });
    await cloneLike(source);
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

    expect({ code: install.code, output: tail(install) }).toMatchObject({ code: 0 });
    expect({ code: help.code, output: tail(help) }).toMatchObject({ code: 0 });
    expect(help.stdout).toMatch(/usage: review-reviewer/i);
    expect({ code: analyze.code, output: tail(analyze) }).toMatchObject({ code: 0 });
    expect((await readFile(join(report, "report.md"), "utf8")).length).toBeGreaterThan(200);
    expect(existsSync(join(consumer, "node_modules", "review-reviewer", "src"))).toBe(false);
  }, 12 * MINUTE);
});
