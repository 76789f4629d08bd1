import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { postDelivery } from "../helpers/app.js";
import { runDockerfile, type DockerfileRun } from "../helpers/dockerfile-stages.js";
import { reviewCommentDelivery } from "../helpers/fixtures.js";
import { freePort } from "../helpers/process.js";
import { TEST_APP_ID, WEBHOOK_SECRET, testPrivateKey } from "../helpers/probot.js";
import { cleanEnv, exitOf, runCommand } from "../helpers/run-command.js";
import { serveProcess } from "../helpers/serve-process.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const MINUTE = 60_000;

/** What a deployment sets (docker run --env-file .env), with loopback and a temp store for the test. */
const appEnv = (port: number, dataDir: string): Record<string, string> => ({
  APP_ID: String(TEST_APP_ID),
  APP_SLUG: "review-reviewer",
  PRIVATE_KEY: testPrivateKey(),
  WEBHOOK_SECRET,
  PORT: String(port),
  DATA_DIR: dataDir,
});

const aDelivery = (): { id: string; name: string; body: string } => reviewCommentDelivery("docker-stage-1", 7_000_001);

describe("the Dockerfile's stages, run without Docker", () => {
  let workRoot = "";
  let run: DockerfileRun;

  beforeAll(async () => {
    workRoot = await mkdtemp(join(tmpdir(), "rr-dockerfile-"));
    run = await runDockerfile({ dockerfile: join(REPO, "Dockerfile"), context: REPO, workRoot, baseEnv: cleanEnv(), timeoutMs: 10 * MINUTE });
    console.log(run.log.join("\n"));
  }, 15 * MINUTE);

  afterAll(async () => {
    if (workRoot !== "") await rm(workRoot, { recursive: true, force: true });
  });

  it("leaves out only the steps that need Docker, and says why", () => {
    const skipped = run.skipped.map((s) => ({ stage: s.stage, what: s.instruction.split(" ")[1] }));

    expect(skipped).toEqual([
      { stage: "deps", what: "apt-get" },
      { stage: "runtime", what: "mkdir" },
    ]);
    expect(run.skipped.every((s) => s.reason.length > 0 && !s.instruction.includes("npm"))).toBe(true);
  });

  it("gives the runtime stage production dependencies only, re2's compiled addon among them", async () => {
    const modules = join(run.final.workdir, "node_modules");
    const lock = JSON.parse(await readFile(join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(lock.packages).filter(([path, p]) => path.startsWith("node_modules/") && p.dev === true).map(([path]) => path);

    const present = devOnly.filter((path) => existsSync(join(run.final.workdir, path)));

    expect(devOnly.length).toBeGreaterThan(100);
    expect(present).toEqual([]);
    expect(existsSync(join(modules, "jest"))).toBe(false);
    expect(existsSync(join(modules, "re2", "build", "Release", "re2.node"))).toBe(true);
    expect(existsSync(join(run.final.workdir, "dist", "main.js"))).toBe(true);
    expect(existsSync(join(run.final.workdir, "src"))).toBe(false);
  });

  it("describes a container that runs node itself as the node user, with the store on the /data volume", () => {
    expect(run.final.cmd).toEqual(["node", "dist/main.js"]);
    expect(run.final.user).toBe("node");
    expect(run.final.stopSignal).toBe("SIGTERM");
    expect(run.final.volumes).toEqual(["/data"]);
    expect(run.final.env).toMatchObject({ NODE_ENV: "production", HOST: "0.0.0.0", DATA_DIR: "/data" });
    expect(run.final.healthcheck?.argv[0]).toBe("node");
  });

  it("starts with the image's CMD: /ping and the HEALTHCHECK answer, a signed delivery is stored, SIGTERM exits 0", async () => {
    const { cmd, healthcheck, workdir } = run.final;
    if (cmd === null || healthcheck === null) throw new Error("the runtime stage has no CMD or no HEALTHCHECK");
    const [hcCommand = "", ...hcArgs] = healthcheck.argv;
    const dataDir = await mkdtemp(join(tmpdir(), "rr-dockerfile-data-"));
    const port = await freePort();
    const env = { ...cleanEnv(), ...run.final.env, ...appEnv(port, dataDir), HOST: "127.0.0.1" };
    try {
      const app = await serveProcess(cmd, { cwd: workdir, env, port });

      const healthy = await runCommand(hcCommand, hcArgs, { cwd: workdir, env, timeoutMs: 30_000 });
      const delivered = await postDelivery(`${app.baseUrl}/api/github/webhooks`, aDelivery());
      app.child.kill("SIGTERM");
      const exit = await app.exited;
      const afterStop = await runCommand(hcCommand, hcArgs, { cwd: workdir, env, timeoutMs: 30_000 });
      const stats = await runCommand("node", ["dist/cli/bin.js", "stats", "--json"], { cwd: workdir, env, timeoutMs: 30_000 });

      expect(exitOf(healthy)).toBe("exit 0");
      expect(delivered.status).toBe(200);
      expect({ exit, output: app.output() }).toMatchObject({ exit: { code: 0, signal: null } });
      expect(afterStop.code).not.toBe(0);
      expect(JSON.parse(stats.stdout)).toMatchObject({ totals: { review_comment: 1 } });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 2 * MINUTE);
});

const dockerInfo = spawnSync("docker", ["info"], { encoding: "utf8", timeout: 20_000 });
const dockerWorks = dockerInfo.status === 0;
const dockerWhyNot = dockerWorks ? "" : (dockerInfo.error?.message ?? dockerInfo.stderr.trim().split("\n").at(-1) ?? `exit ${String(dockerInfo.status)}`);

describe("the Dockerfile, built and run by Docker", () => {
  (dockerWorks ? it : it.skip)(
    dockerWorks
      ? "builds the image and runs it: /ping answers, the HEALTHCHECK passes, `docker stop -t 30` exits 0"
      : `SKIPPED: \`docker info\` fails on this machine, so the image is not built (${dockerWhyNot})`,
    async () => {
      const tag = `review-reviewer-test:${String(process.pid)}`;
      const env = cleanEnv({ ...appEnv(3000, "/data"), DOCKER_BUILDKIT: "1" });
      const docker = (args: string[], timeoutMs = 2 * MINUTE) => runCommand("docker", args, { cwd: REPO, env, timeoutMs });
      const build = await docker(["build", "-t", tag, "."], 20 * MINUTE);
      expect(exitOf(build)).toBe("exit 0");
      const started = await docker(["run", "-d", "-p", "127.0.0.1::3000", "-e", "APP_ID", "-e", "APP_SLUG", "-e", "PRIVATE_KEY", "-e", "WEBHOOK_SECRET", tag]);
      const id = started.stdout.trim();
      try {
        expect(exitOf(started)).toBe("exit 0");
        const mapped = (await docker(["port", id, "3000/tcp"])).stdout.trim().split("\n")[0] ?? "";
        let ping = 0;
        for (let i = 0; i < 120 && ping !== 200; i++) {
          ping = await fetch(`http://${mapped}/ping`).then((r) => r.status, () => 0);
          if (ping !== 200) await new Promise((r) => setTimeout(r, 500));
        }
        const healthcheck = JSON.parse((await docker(["inspect", "-f", "{{json .Config.Healthcheck.Test}}", id])).stdout) as string[];
        const healthy = await docker(["exec", id, ...healthcheck.slice(1)]);
        const user = (await docker(["exec", id, "id", "-un"])).stdout.trim();
        const stopped = await docker(["stop", "-t", "30", id]);
        const exitCode = (await docker(["inspect", "-f", "{{.State.ExitCode}}", id])).stdout.trim();

        expect(ping).toBe(200);
        expect(healthy.code).toBe(0);
        expect(user).toBe("node");
        expect(stopped.code).toBe(0);
        expect(exitCode).toBe("0");
      } finally {
        await docker(["rm", "-f", id]);
        await docker(["rmi", "-f", tag]);
      }
    },
    30 * MINUTE,
  );
});
