import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { testPrivateKey } from "../helpers/probot.js";
import { withTempDir } from "../helpers/signals.js";
import { appRegistration, fakeGitHubApp, type FakeGitHub, runCliIn } from "../helpers/start-in-folder.js";

const SECRET = "wh-secret-value-9f8e7d";

const needs = async (): Promise<{ permissions: Record<string, string>; events: string[] }> => {
  const raw = parseYaml(await readFile("app.yml", "utf8")) as { default_permissions: Record<string, string>; default_events: string[] };
  return { permissions: raw.default_permissions, events: raw.default_events };
};

/** A folder set up as the README says: a .env, the key file beside it. */
const setUp = async (dir: string, github: FakeGitHub, env: Record<string, string> = {}): Promise<void> => {
  await writeFile(join(dir, "key.pem"), testPrivateKey());
  const values = { APP_ID: "4242", PRIVATE_KEY_PATH: "key.pem", WEBHOOK_SECRET: SECRET, DATA_DIR: "./data", GITHUB_API_URL: github.apiUrl, ...env };
  await writeFile(join(dir, ".env"), Object.entries(values).map(([k, v]) => `${k}=${v}`).join("\n"));
};

describe("review-reviewer doctor", () => {
  let github: FakeGitHub;
  afterEach(async () => {
    await github.close();
  });

  it("finds nothing wrong with a complete setup, says where each value came from, and prints no secret", async () => {
    github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", ...(await needs()) }));
    await withTempDir(async (dir) => {
      await setUp(dir, github);

      const { code, stdout } = await runCliIn(dir, ["doctor"]);

      expect(code).toBe(0);
      expect(stdout).toContain("ok app id: 4242 (from .env)");
      expect(stdout).toContain("ok private key: readable (PRIVATE_KEY_PATH (key.pem))");
      expect(stdout).toContain("ok app slug: acme-reviewer (from GET /app)");
      expect(stdout).toContain(`ok store: lowdb at ${join(dir, "data")} (writable`);
      expect(stdout).toContain("-- LLM: no ANTHROPIC_API_KEY");
      expect(stdout).toContain("ok GitHub registration: permissions and events as app.yml needs");
      expect(stdout).toContain("No problems found.");
      expect(stdout).not.toContain(SECRET);
      expect(stdout).not.toContain("PRIVATE KEY-----");
      expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /app"]);
    });
  });

  it("exits 1 and prints the fix without a key", async () => {
    github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", ...(await needs()) }));
    await withTempDir(async (dir) => {
      await setUp(dir, github, { PRIVATE_KEY_PATH: "missing.pem" });

      const { code, stdout } = await runCliIn(dir, ["doctor"]);

      expect(code).toBe(1);
      expect(stdout).toContain("!! private key: unreadable (PRIVATE_KEY_PATH (missing.pem): no such readable file)");
      expect(stdout).toMatch(/fix: download a private key/);
      expect(stdout).toContain("-- weekly run: needs APP_ID and the private key");
      expect(github.requests).toEqual([]);
    });
  });

  it("never prints a key pasted into PRIVATE_KEY_PATH, and accepts a one-line PRIVATE_KEY as Probot does", async () => {
    github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", ...(await needs()) }));
    await withTempDir(async (dir) => {
      const key = testPrivateKey();
      const body = key.split("\n").filter((l) => !l.startsWith("-----") && l !== "").join("");
      await setUp(dir, github, { PRIVATE_KEY_PATH: `"${key.replace(/\n/g, "\\n")}"` });
      const pasted = await runCliIn(dir, ["doctor", "--offline"]);
      // Pasted on one line, newlines turned into spaces: Probot's reader puts them back.
      await setUp(dir, github, { PRIVATE_KEY_PATH: "", PRIVATE_KEY: `-----BEGIN PRIVATE KEY----- ${body} -----END PRIVATE KEY-----` });
      const oneLine = await runCliIn(dir, ["doctor", "--offline"]);

      expect(pasted.code).toBe(1);
      expect(pasted.stdout).toContain("!! private key: invalid (PRIVATE_KEY_PATH ((a key, not a path: put it in PRIVATE_KEY)): PRIVATE_KEY_PATH holds a key: move it to PRIVATE_KEY)");
      expect(pasted.stdout).not.toContain(body.slice(0, 40));
      expect(oneLine.stdout).toContain("ok private key: readable (PRIVATE_KEY)");
      expect(oneLine.stdout).not.toContain(body.slice(0, 40));
    });
  });

  it("exits 1 on a DATA_DIR it cannot write", async () => {
    github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", ...(await needs()) }));
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "a-file"), "not a folder");
      await setUp(dir, github, { DATA_DIR: "./a-file/data" });

      const { code, stdout } = await runCliIn(dir, ["doctor"]);

      expect(code).toBe(1);
      expect(stdout).toMatch(/!! store: lowdb at .*a-file\/data: not writable \(.*ENOTDIR\)/);
      expect(stdout).toMatch(/fix: point DATA_DIR at a folder/);
    });
  });

  it("names a permission and an event the registration lacks (GET /app)", async () => {
    const need = await needs();
    github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", permissions: { ...need.permissions, checks: "read" }, events: need.events.filter((e) => e !== "check_suite") }));
    await withTempDir(async (dir) => {
      await setUp(dir, github);

      const { code, stdout } = await runCliIn(dir, ["doctor"]);

      expect(code).toBe(1);
      expect(stdout).toContain("!! GitHub registration: missing checks: write (granted: read), event check_suite");
      expect(stdout).toMatch(/fix: in the app's settings \(Permissions & events\)/);
    });
  });

  it("asks the GitHub Enterprise Server the app uses (GHE_HOST), not api.github.com", async () => {
    github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", ...(await needs()) }));
    await withTempDir(async (dir) => {
      await setUp(dir, github, { GITHUB_API_URL: "", GHE_HOST: github.host, GHE_PROTOCOL: "http" });

      const { code } = await runCliIn(dir, ["doctor"]);

      expect(code).toBe(0);
      expect(github.requests.map((r) => `${r.method} ${r.url}`)).toEqual(["GET /api/v3/app"]);
    });
  });

  it("with --offline asks GitHub nothing; --json gives the items", async () => {
    github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", ...(await needs()) }));
    await withTempDir(async (dir) => {
      await setUp(dir, github, { APP_SLUG: "acme-reviewer" });

      const { code, stdout } = await runCliIn(dir, ["doctor", "--offline", "--json"]);
      const { items } = JSON.parse(stdout) as { items: { name: string; state: string }[] };

      expect(code).toBe(0);
      expect(items.find((i) => i.name === "GitHub registration")?.state).toBe("off");
      expect(items.filter((i) => i.state === "problem")).toEqual([]);
      expect(github.requests).toEqual([]);
    });
  });
});
