import { spawnSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { postDelivery, sign } from "../helpers/app.js";
import { crcComments, reviewCommentDelivery } from "../helpers/fixtures.js";
import { freePort } from "../helpers/process.js";
import { testPrivateKey, TEST_APP_ID, WEBHOOK_SECRET } from "../helpers/probot.js";
import { withTempDir } from "../helpers/signals.js";
import { appRegistration, fakeGitHubApp, fakeSmee, runCliIn, startInFolder } from "../helpers/start-in-folder.js";

/** What app.yml asks for: a registration granting exactly this is complete. */
const manifest = async (): Promise<{ permissions: Record<string, string>; events: string[] }> => {
  const raw = parseYaml(await readFile("app.yml", "utf8")) as { default_permissions: Record<string, string>; default_events: string[] };
  return { permissions: raw.default_permissions, events: raw.default_events };
};

/** A .env as Probot's setup page writes it: the key on one line with \n escapes, in double quotes. */
const envFile = (values: Record<string, string>): string =>
  Object.entries(values)
    .map(([k, v]) => `${k}=${v.includes("\n") ? `"${v.replace(/\n/g, "\\n")}"` : v}`)
    .join("\n");

const delivery = (id: number): { id: string; name: string; body: string } => reviewCommentDelivery(`env-file-${String(id)}`, 7_000_000 + id, id % 50);

describe("the app started from a folder with only a .env (npm start)", () => {
  it("reads every setting from .env: the delivery is stored under its DATA_DIR, the weekly run is scheduled, and one line says what is on", async () => {
    await withTempDir(async (dir) => {
      const github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", ...(await manifest()) }));
      const port = await freePort();
      await writeFile(
        join(dir, ".env"),
        envFile({
          APP_ID: String(TEST_APP_ID),
          PRIVATE_KEY: testPrivateKey(),
          WEBHOOK_SECRET,
          DATA_DIR: "./from-env-file",
          PORT: String(port),
          HOST: "127.0.0.1",
          APP_SLUG: "",
          GHE_HOST: github.host,
          GHE_PROTOCOL: "http",
          LOG_LEVEL: "info",
        }),
      );
      const app = startInFolder(dir);
      try {
        const line = await app.waitFor(/what is on: .*/);
        const res = await postDelivery(`http://127.0.0.1:${String(port)}/api/github/webhooks`, delivery(1));
        const stats = await runCliIn(dir, ["stats", "--json"]);
        // The image's HEALTHCHECK, from the same folder: it finds the port in .env as the app did.
        const health = spawnSync(process.execPath, [resolve("dist/healthcheck.js")], { cwd: dir, env: { PATH: process.env.PATH }, timeout: 10_000 });

        expect(res.status).toBe(200);
        expect(health.status).toBe(0);
        expect(JSON.parse(stats.stdout)).toMatchObject({ totals: { review_comment: 1 } });
        expect(line).toContain(`app id: ${String(TEST_APP_ID)} (from .env)`);
        expect(line).toContain("app slug: acme-reviewer (from GET /app)");
        expect(line).toMatch(/weekly run: scheduled, next check \d{4}-\d\d-\d\dT\d\d:17:00\.000Z/);
        expect(line).toContain(`store: lowdb at ${join(dir, "from-env-file")} (writable`);
        expect(line).toContain("learned checks: enforced on pull requests");
        expect(line).toContain("GitHub registration: permissions and events as app.yml needs");
        expect(line).not.toContain("PROBLEM");
        expect(github.requests.map((r) => [r.method, r.url])).toEqual([["GET", "/api/v3/app"]]);
        expect(github.requests[0]?.authorization).toMatch(/^bearer /i);
        expect(app.output()).not.toContain("BEGIN"); // the key is never logged
      } finally {
        app.child.kill("SIGTERM");
        await app.exited;
        await github.close();
      }
    });
  });

  it("names a permission and an event the registration lacks, at start", async () => {
    await withTempDir(async (dir) => {
      const need = await manifest();
      const github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", permissions: { ...need.permissions, checks: "read" }, events: need.events.filter((e) => e !== "pull_request_review_thread") }));
      const port = await freePort();
      await writeFile(join(dir, ".env"), envFile({ APP_ID: "77", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "x1", PORT: String(port), HOST: "127.0.0.1", GHE_HOST: github.host, GHE_PROTOCOL: "http" }));
      const app = startInFolder(dir);
      try {
        const line = await app.waitFor(/what is on: .*/);

        expect(line).toContain("GitHub registration: PROBLEM: missing checks: write (granted: read), event pull_request_review_thread");
      } finally {
        app.child.kill("SIGTERM");
        await app.exited;
        await github.close();
      }
    });
  });

  it.each([
    ["no WEBHOOK_SECRET in .env", { APP_ID: "12" }, /WEBHOOK_SECRET is required/],
    ["an empty WEBHOOK_SECRET", { APP_ID: "12", WEBHOOK_SECRET: "" }, /WEBHOOK_SECRET is required/],
    ["Probot's public default secret", { APP_ID: "12", WEBHOOK_SECRET: "development" }, /public default/],
  ])("refuses to start with %s (exit 1, one line, no stack trace)", async (_name, values, message) => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, ".env"), envFile({ ...values, PRIVATE_KEY: testPrivateKey(), PORT: String(await freePort()) }));
      const app = startInFolder(dir);

      const code = await app.exited;

      expect(code).toBe(1);
      expect(app.output()).toMatch(message);
      expect(app.output()).not.toMatch(/\n\s+at /);
    });
  });

  it("refuses the public default secret exported in the environment too", async () => {
    await withTempDir(async (dir) => {
      const app = startInFolder(dir, { APP_ID: "12", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET: "development", PORT: String(await freePort()) });

      expect(await app.exited).toBe(1);
      expect(app.output()).toMatch(/public default/);
    });
  });

  it("lets .env win over an exported variable, and an empty .env line keep the exported value", async () => {
    await withTempDir(async (dir) => {
      const port = await freePort();
      const github = await fakeGitHubApp(appRegistration({ slug: "acme-reviewer", ...(await manifest()) }));
      await writeFile(join(dir, ".env"), envFile({ APP_ID: String(TEST_APP_ID), PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, DATA_DIR: "./dotenv-wins", APP_SLUG: "", HOST: "127.0.0.1", PORT: String(port) }));
      const app = startInFolder(dir, { DATA_DIR: join(dir, "exported"), APP_SLUG: "exported-slug", GHE_HOST: github.host, GHE_PROTOCOL: "http" });
      try {
        await app.waitFor(/Listening on/);
        const res = await postDelivery(`http://127.0.0.1:${String(port)}/api/github/webhooks`, delivery(2));
        const line = await app.waitFor(/what is on: .*/);

        expect(res.status).toBe(200);
        expect(line).toContain(`store: lowdb at ${join(dir, "dotenv-wins")}`);
        expect(line).toContain("app slug: exported-slug (from the environment)");
      } finally {
        app.child.kill("SIGTERM");
        await app.exited;
        await github.close();
      }
    });
  });

  it("accepts deliveries at the root URL the setup page registers, and logs a bad signature once, without the payload", async () => {
    await withTempDir(async (dir) => {
      const port = await freePort();
      await writeFile(join(dir, ".env"), envFile({ APP_ID: String(TEST_APP_ID), APP_SLUG: "acme-reviewer", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, HOST: "127.0.0.1", PORT: String(port), LOG_FORMAT: "json", GHE_HOST: "127.0.0.1:9", GHE_PROTOCOL: "http" }));
      const app = startInFolder(dir);
      try {
        await app.waitFor(/Listening on/);
        const good = delivery(3);
        const bad = { ...delivery(4), signature: sign(delivery(4).body, "not-the-secret") };
        const atRoot = await postDelivery(`http://127.0.0.1:${String(port)}/`, good);
        const rejected = await postDelivery(`http://127.0.0.1:${String(port)}/api/github/webhooks`, bad);
        await app.waitFor(/signature does not match WEBHOOK_SECRET/);
        const warnings = app.output().split("\n").filter((l) => l.includes("env-file-4") && (JSON.parse(l) as { level: number }).level >= 40);

        expect(atRoot.status).toBe(200);
        expect(rejected.status).toBe(400);
        expect(warnings).toHaveLength(1);
        expect(JSON.parse(warnings[0] ?? "{}")).toMatchObject({ level: 40, delivery: "env-file-4", event: "pull_request_review_comment", reason: "signature does not match" });
        expect(app.output()).not.toContain(crcComments()[4]?.body.slice(0, 40));
      } finally {
        app.child.kill("SIGTERM");
        await app.exited;
      }
    });
  });
});

describe("first run (no credentials): Probot's setup page", () => {
  const manifestOf = (html: string): { hook_attributes: { url: string }; default_events: string[] } => {
    const raw = /id="manifest" value='([^']*)'/.exec(html)?.[1];
    if (raw === undefined) throw new Error(`no manifest in the page:\n${html.slice(0, 2000)}`);
    return JSON.parse(raw.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&")) as { hook_attributes: { url: string }; default_events: string[] };
  };

  it.each([
    ["with WEBHOOK_PROXY_URL: the proxy channel", true],
    ["without: the URL the page was opened at", false],
  ])("registers the webhook %s", async (_name, withProxy) => {
    await withTempDir(async (dir) => {
      const port = await freePort();
      const smee = await fakeSmee();
      const extra: Record<string, string> = withProxy ? { WEBHOOK_PROXY_URL: smee.url } : { NO_SMEE_SETUP: "true" };
      const expected = withProxy ? smee.url : `http://127.0.0.1:${String(port)}/`;
      // .env.example copied as it is: every credential empty, which counts as unset.
      const example = await readFile(".env.example", "utf8");
      await writeFile(join(dir, ".env"), `${example.replace(/^PORT=.*$/m, `PORT=${String(port)}`)}\nHOST=127.0.0.1\n${envFile(extra)}\n`);
      await writeFile(join(dir, "app.yml"), await readFile("app.yml", "utf8"));
      await writeFile(join(dir, "package.json"), await readFile("package.json", "utf8"));
      const app = startInFolder(dir);
      try {
        await app.waitFor(/localhost:\d+|Listening on/);
        const page = await fetch(`http://127.0.0.1:${String(port)}/probot`);
        const html = await page.text();
        const m = manifestOf(html);

        expect(page.status).toBe(200);
        expect(m.hook_attributes.url).toBe(expected);
        expect(m.default_events).not.toContain("issues");
      } finally {
        app.child.kill("SIGTERM");
        await app.exited;
        await smee.close();
      }
    });
  });
});

describe("development: deliveries through the webhook proxy (WEBHOOK_PROXY_URL, smee-client installed)", () => {
  it("receives a delivery forwarded from the proxy channel and stores it", async () => {
    await withTempDir(async (dir) => {
      const port = await freePort();
      const smee = await fakeSmee();
      await writeFile(join(dir, ".env"), envFile({ APP_ID: String(TEST_APP_ID), APP_SLUG: "acme-reviewer", PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, HOST: "127.0.0.1", PORT: String(port), WEBHOOK_PROXY_URL: smee.url, GHE_HOST: "127.0.0.1:9", GHE_PROTOCOL: "http" }));
      const app = startInFolder(dir);
      try {
        await smee.connected;
        const d = delivery(5);
        smee.send({ "x-github-event": d.name, "x-github-delivery": d.id, "x-hub-signature-256": sign(d.body), body: JSON.parse(d.body) as unknown, query: {}, timestamp: Date.now() });
        await app.waitFor(/POST \/api\/github\/webhooks 200/);
        app.child.kill("SIGTERM");
        await app.exited;
        const stats = await runCliIn(dir, ["stats", "--json"]);

        expect(JSON.parse(stats.stdout)).toMatchObject({ totals: { review_comment: 1 } });
        // The channel URL is a capability (anyone holding it reads the deliveries): logged by origin only.
        expect(app.output()).toContain(`${new URL(smee.url).origin}/[redacted]`);
        expect(app.output()).not.toContain(smee.url);
      } finally {
        app.child.kill("SIGTERM");
        await app.exited;
        await smee.close();
      }
    });
  });
});
