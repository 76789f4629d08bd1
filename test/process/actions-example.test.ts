import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { cloneLike } from "../helpers/clone-like.js";
import { TEST_APP_ID, testPrivateKey } from "../helpers/probot.js";
import { cleanEnv, exitOf, runCommand, type CommandResult } from "../helpers/run-command.js";

const REPO = fileURLToPath(new URL("../..", import.meta.url));
const WORKFLOW = join(REPO, "examples", "github-actions", "review-reviewer.yml");
const MINUTE = 60_000;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string | number | boolean>;
  "working-directory"?: string;
}
interface Workflow {
  jobs: Record<string, { env?: Record<string, string | number | boolean>; steps: Step[] }>;
}

interface Scenario {
  secrets: Record<string, string>;
  inputs: Record<string, string>;
}

/**
 * The `${{ }}` expressions the example's env and run lines may use: secrets
 * (an unset one is "", as on GitHub) and inputs (on a schedule, ""). Any other
 * expression fails the test: run lines should take values through env.
 */
const expand = (text: string, s: Scenario): string =>
  text.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expr: string) => {
    const m = /^(secrets|inputs)\.([A-Za-z0-9_-]+)$/.exec(expr);
    if (m?.[1] === undefined || m[2] === undefined) throw new Error(`the example uses \${{ ${expr} }} where this test expects only secrets.* or inputs.*`);
    return (m[1] === "secrets" ? s.secrets : s.inputs)[m[2]] ?? "";
  });

interface FakeGitHub {
  url: string;
  requests: { method: string; path: string; authorization: string }[];
  close: () => Promise<void>;
}

/** GITHUB_API_URL for the CLI: records each request and answers 401, so nothing goes further. */
const fakeGitHub = async (): Promise<FakeGitHub> => {
  const requests: FakeGitHub["requests"] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", path: req.url ?? "", authorization: req.headers.authorization ?? "" });
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ message: "Bad credentials" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${String(port)}`, requests, close: () => new Promise((resolve) => server.close(() => { resolve(); })) };
};

describe("the GitHub Actions example, its steps run as a runner would", () => {
  let workspace = "";
  let workflow: Workflow;
  let steps: Step[] = [];
  let appPath = "";
  let install: CommandResult;

  beforeAll(async () => {
    workflow = parseYaml(await readFile(WORKFLOW, "utf8")) as Workflow;
    steps = Object.values(workflow.jobs)[0]?.steps ?? [];
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@") === true && s.with?.repository !== undefined);
    appPath = String(checkout?.with?.path ?? "");
    workspace = await mkdtemp(join(tmpdir(), "rr-actions-"));
    if (appPath === "") return;
    // actions/checkout of the app's repository: a clone-like copy of this one.
    await cloneLike(REPO, join(workspace, appPath));
    const installStep = steps.find((s) => s["working-directory"] === appPath && s.run !== undefined);
    if (installStep?.run?.trim() !== "npm ci") throw new Error(`expected the step in ${appPath} to be \`npm ci\`, found: ${String(installStep?.run)}`);
    // `npm ci` installs, then runs the package's prepare script. The copy's node_modules is this
    // repository's (linked), which npm ci would delete and reinstall: run the prepare part only.
    install = await runCommand("npm", ["run", "prepare"], { cwd: join(workspace, appPath), env: cleanEnv(), timeoutMs: 5 * MINUTE });
  }, 10 * MINUTE);

  afterAll(async () => {
    if (workspace !== "") await rm(workspace, { recursive: true, force: true });
  });

  /** Runs every `run:` step after the install with bash as GitHub does; `node` is a shim that logs its arguments. */
  const runSteps = async (scenario: Scenario): Promise<{ api: FakeGitHub; argv: string[]; results: CommandResult[] }> => {
    // Without the checkout of the app, the run lines would fetch something else (npx: whatever npm has by that name).
    if (appPath === "") throw new Error("the example checks out no app repository: its run lines are not run");
    const api = await fakeGitHub();
    const bin = await mkdtemp(join(tmpdir(), "rr-actions-bin-"));
    const argvLog = join(bin, "argv.log");
    await writeFile(join(bin, "node"), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${argvLog}"\nexec "${process.execPath}" "$@"\n`);
    await chmod(join(bin, "node"), 0o755);
    await writeFile(argvLog, "");
    const job = Object.values(workflow.jobs)[0];
    const results: CommandResult[] = [];
    try {
      for (const step of steps.filter((s) => s.run !== undefined && s["working-directory"] !== appPath)) {
        const env = cleanEnv({
          GITHUB_ACTIONS: "true",
          CI: "true",
          GITHUB_REPOSITORY: "octo-org/octo-repo",
          GITHUB_WORKSPACE: workspace,
          GITHUB_API_URL: api.url,
          RUNNER_TEMP: bin,
        });
        env.PATH = `${bin}:${env.PATH ?? ""}`;
        for (const [k, v] of Object.entries({ ...job?.env, ...step.env })) env[k] = expand(String(v), scenario);
        const script = expand(step.run ?? "", scenario);
        results.push(await runCommand("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { cwd: join(workspace, step["working-directory"] ?? "."), env, timeoutMs: 2 * MINUTE }));
      }
      const argv = (await readFile(argvLog, "utf8")).split("\n").filter((l) => l.includes("dist/cli/bin.js"));
      return { api, argv, results };
    } finally {
      await api.close();
      await rm(bin, { recursive: true, force: true });
    }
  };

  it("checks out and builds the app where the later steps run it from", () => {
    const cliSteps = steps.filter((s) => s.run?.includes("dist/cli/bin.js") === true);

    expect(appPath).not.toBe("");
    expect(exitOf(install)).toBe("exit 0");
    expect(cliSteps.length).toBe(2);
    expect(cliSteps.every((s) => s.run?.includes(`node ${appPath}/dist/cli/bin.js `) === true)).toBe(true);
  });

  it("falls back to the GITHUB_TOKEN when the app's secrets are not set, and passes the CLI only options it knows", async () => {
    const { api, argv, results } = await runSteps({ secrets: { GITHUB_TOKEN: "ghs_fake" }, inputs: {} });

    expect(argv.map((a) => a.split(" ")[1])).toEqual(["backfill", "run"]);
    expect(argv.every((a) => !a.includes("--dry-run"))).toBe(true);
    // Each command got past its options (an unknown one would stop it first): backfill asked GitHub with the token
    // (which answers 401), and run, with no store since that backfill stored nothing, stopped before asking.
    expect(results.map((r) => r.stderr)).not.toContainEqual(expect.stringMatching(/unknown option|unexpected argument/i));
    expect(api.requests.length).toBeGreaterThanOrEqual(1);
    expect(new Set(api.requests.map((r) => r.authorization))).toEqual(new Set(["token ghs_fake"]));
    expect(results.map((r) => r.stderr).join("\n")).toMatch(/review-reviewer run: no store at /);
  }, 3 * MINUTE);

  it("uses the app's own credentials when its secrets are set, and passes --dry-run when asked", async () => {
    const secrets = { GITHUB_TOKEN: "ghs_fake", REVIEW_REVIEWER_APP_ID: String(TEST_APP_ID), REVIEW_REVIEWER_PRIVATE_KEY: testPrivateKey() };

    const { api, argv } = await runSteps({ secrets, inputs: { "dry-run": "true" } });

    expect(argv.find((a) => a.includes(" run "))).toMatch(/--dry-run$/);
    expect(api.requests[0]).toMatchObject({ method: "GET", path: "/repos/octo-org/octo-repo/installation" });
    expect(api.requests.every((r) => r.authorization.startsWith("bearer ") && !r.authorization.includes("ghs_fake"))).toBe(true);
  }, 3 * MINUTE);
});
