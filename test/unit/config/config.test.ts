import { readFile } from "node:fs/promises";
import nock from "nock";
import { parse as parseYaml } from "yaml";
import type { Context } from "probot";
import { loadRepoConfig, parseConfig, renderConfigIssues, type ConfigResult } from "../../../src/config/load.js";
import { renderConfigReference } from "../../../src/config/reference.js";
import { DEFAULT_CONFIG, configJsonSchema } from "../../../src/config/schema.js";
import { githubApiUrl, loadSettings, privateKeyPathProblem, webhookSecretProblem } from "../../../src/config/settings.js";
import { examplePayload } from "../../helpers/fixtures.js";
import { createTestProbot } from "../../helpers/probot.js";
import { compileCheck } from "../../../src/checks/learned/compile.js";

describe("parseConfig", () => {
  it("gives every field its default when there is no file", () => {
    expect(parseConfig(null)).toEqual({ ok: true, config: DEFAULT_CONFIG, source: "defaults" });
    expect(DEFAULT_CONFIG).toEqual({
      harvest: true,
      backfillDays: 180,
      retentionDays: 0,
      authors: { agents: [], useDefaultAgents: true, bots: [] },
      learn: { scope: "repo", minOccurrences: 3, minPullRequests: 3, windowDays: 90, keep: [] },
      llm: { enabled: false, model: "claude-haiku-4-5", maxTokensPerRun: 60_000, timeoutSeconds: 30 },
      proposals: {
        enabled: true,
        schedule: "0 6 * * 1",
        maxOpenProposals: 3,
        maxNewPerRun: 1,
        guidelinesFile: "CONTRIBUTING.md",
        escalation: { minOccurrences: 5, minSpread: 3, categories: ["design", "process", "security"] },
      },
    });
  });

  it("rejects a schedule that is not a cron expression, and guideline paths outside the repository", () => {
    const result = parseConfig({ proposals: { schedule: "every monday", guidelinesFile: "../secrets.md" } });

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(["proposals.schedule", "proposals.guidelinesFile"]);
    expect(parseConfig({ proposals: { schedule: "30 2 * * 0", guidelinesFile: "docs/review.md" } }).ok).toBe(true);
    expect(parseConfig({ proposals: { schedule: "0 0 31 2 *" } }).ok).toBe(false);
    expect(parseConfig({ proposals: { guidelinesFile: ".github/workflows/notes.md" } }).ok).toBe(false);
  });

  it("fills defaults under a partial file", () => {
    const result = parseConfig({ authors: { agents: ["our-agent[bot]"] } });

    expect(result).toEqual({
      ok: true,
      source: "file",
      config: { ...DEFAULT_CONFIG, authors: { agents: ["our-agent[bot]"], useDefaultAgents: true, bots: [] } },
    });
  });

  it("rejects unknown learn and llm settings by path", () => {
    const result = parseConfig({ learn: { scope: "galaxy", minOccurrences: 1, keep: ["compliments"] }, llm: { enabled: "yes", budget: 5 } });

    expect(!result.ok && result.issues.map((i) => i.path).sort()).toEqual(["learn.keep.0", "learn.minOccurrences", "learn.scope", "llm", "llm.enabled"]);
  });

  it("names the path and the problem, and never falls back to defaults", () => {
    const result = parseConfig({ authors: { agents: "copilot", useDefaultAgents: "yes" } });

    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty("config");
    expect(!result.ok && result.issues.map((i) => i.path)).toEqual(["authors.agents", "authors.useDefaultAgents"]);
    expect(!result.ok && result.message).toMatch(/^Invalid \.github\/review-reviewer\.yml: authors\.agents: .*array/);
  });

  it("treats an unknown key as an error, so a typo is caught", () => {
    const result = parseConfig({ autors: {} });

    expect(!result.ok && result.issues).toEqual([{ path: "", message: expect.stringContaining("autors") as unknown }]);
  });

  it("rejects logins that cannot exist", () => {
    const result = parseConfig({ authors: { bots: ["not a login; rm -rf /"] } });

    expect(!result.ok && result.issues[0]?.path).toBe("authors.bots.0");
  });

  it("renders the result as markdown the publish layer can show", () => {
    const md = renderConfigIssues(parseConfig({ authors: { agents: 3 } }));

    expect(md).toContain("invalid `.github/review-reviewer.yml`");
    expect(md).toContain("- `authors.agents`:");
    expect(renderConfigIssues(parseConfig(null))).toBe("");
  });
});

describe("generated documentation", () => {
  it("keeps docs/review-reviewer.schema.json equal to the zod schema (run `npm run schema`)", async () => {
    const committed = JSON.parse(await readFile("docs/review-reviewer.schema.json", "utf8")) as unknown;

    expect(committed).toEqual(configJsonSchema());
  });

  it("keeps the README configuration reference equal to the schema (run `npm run schema`)", async () => {
    const readme = await readFile("README.md", "utf8");

    expect(readme).toContain(renderConfigReference());
  });

  it("shows README examples that are themselves valid: the configuration and the learned check", async () => {
    const readme = await readFile("README.md", "utf8");
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? "");
    const config = blocks.find((b) => b.includes("review-reviewer.schema.json"));
    const check = blocks.find((b) => b.startsWith("# .github/review-reviewer/checks/"));

    expect(config).toBeDefined();
    expect(parseConfig(parseYaml(config ?? "") as unknown).ok).toBe(true);
    const path = /^# (\S+)/.exec(check ?? "")?.[1] ?? "";
    const compiled = compileCheck(path, check ?? "");
    expect(compiled.ok ? "valid" : compiled.error).toBe("valid");
  });

  it("describes and defaults every field", () => {
    const schema = configJsonSchema() as { properties: Record<string, { default?: unknown; properties?: Record<string, { default?: unknown; description?: string }> }> };
    const leaves = Object.values(schema.properties).flatMap((p) => Object.values(p.properties ?? {}));

    expect(leaves.length).toBeGreaterThan(0);
    for (const leaf of leaves) {
      expect(leaf.description).toEqual(expect.any(String));
      expect(leaf).toHaveProperty("default");
    }
  });
});

describe("loadRepoConfig through Probot's context.config", () => {
  const receiveWithConfig = async (): Promise<ConfigResult> => {
    const probot = createTestProbot();
    let result: ConfigResult | undefined;
    probot.on("pull_request.opened", async (context: Context<"pull_request.opened">) => {
      result = await loadRepoConfig(context);
    });
    const payload = { ...examplePayload("pull_request", "opened"), installation: { id: 2, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==" } };
    await probot.receive({ id: "cfg-1", name: "pull_request", payload: payload as never });
    if (result === undefined) throw new Error("handler did not run");
    return result;
  };
  const api = (): nock.Scope =>
    nock("https://api.github.com")
      .post("/app/installations/2/access_tokens")
      .reply(201, { token: "ghs_test", permissions: { contents: "read" } });
  const configPath = (repo: string): string => `/repos/${repo}/contents/.github%2Freview-reviewer.yml`;

  it("reads and validates the repo's file", async () => {
    api().get(configPath("Codertocat/Hello-World")).reply(200, "authors:\n  agents:\n    - our-agent[bot]\n");

    const result = await receiveWithConfig();

    expect(result).toEqual({ ok: true, source: "file", config: { ...DEFAULT_CONFIG, authors: { agents: ["our-agent[bot]"], useDefaultAgents: true, bots: [] } } });
  });

  it("falls back to the org's .github repo, following _extends", async () => {
    api()
      .get(configPath("Codertocat/Hello-World"))
      .reply(404)
      .get(configPath("Codertocat/.github"))
      .reply(200, "_extends: shared-config\nauthors:\n  bots: [ci-user]\n")
      .get(configPath("Codertocat/shared-config"))
      .reply(200, "authors:\n  agents:\n    - \"org-agent[bot]\"\n");

    const result = await receiveWithConfig();

    expect(result).toMatchObject({ ok: true, config: { authors: { agents: ["org-agent[bot]"], bots: ["ci-user"] } } });
  });

  it("uses the defaults when no repo has a file", async () => {
    api().get(configPath("Codertocat/Hello-World")).reply(404).get(configPath("Codertocat/.github")).reply(404);

    expect(await receiveWithConfig()).toEqual({ ok: true, source: "defaults", config: DEFAULT_CONFIG });
  });

  it("reports YAML that does not parse as invalid, with the reason", async () => {
    api().get(configPath("Codertocat/Hello-World")).reply(200, "authors: [unclosed\n");

    const result = await receiveWithConfig();

    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/invalid YAML/);
  });

  it("reports a schema violation with its path", async () => {
    api().get(configPath("Codertocat/Hello-World")).reply(200, "authors:\n  useDefaultAgents: maybe\n");

    const result = await receiveWithConfig();

    expect(!result.ok && result.issues[0]?.path).toBe("authors.useDefaultAgents");
  });

  it("throws on an API failure instead of calling the config invalid or default", async () => {
    api().get(configPath("Codertocat/Hello-World")).reply(500, { message: "boom" });

    await expect(receiveWithConfig()).rejects.toThrow(/boom/);
  });
});

describe("loadSettings", () => {
  it("defaults DATA_DIR to ./data and adds env agents to the built-in list", () => {
    const s = loadSettings({ AGENT_LOGINS: "our-agent[bot], other" });

    expect(s.dataDir).toBe("./data");
    expect(s.agentLogins).toEqual(expect.arrayContaining(["Copilot", "our-agent[bot]", "other"]));
  });

  it("stops with a message naming the variable", () => {
    expect(() => loadSettings({ APP_ID: "abc", WEBHOOK_SECRET: "s" })).toThrow(/APP_ID/);
  });

  it("counts an empty variable as unset (set -a; . ./.env.example, docker --env-file)", () => {
    const s = loadSettings({ APP_ID: "", APP_SLUG: "", DATA_DIR: "", ANTHROPIC_API_KEY: "", ANTHROPIC_BASE_URL: "" });

    expect(s).toMatchObject({ appId: null, appSlug: null, dataDir: "./data", anthropicApiKey: null, anthropicBaseUrl: null });
  });

  it("asks for no webhook secret itself: only the server does", () => {
    expect(loadSettings({ APP_ID: "12" }).appId).toBe(12);
  });
});

describe("githubApiUrl", () => {
  it("is Probot's GHE_HOST where set (as the app talks to it), else GITHUB_API_URL, else api.github.com", () => {
    expect(githubApiUrl({ GHE_HOST: "ghe.example.com", GITHUB_API_URL: "https://other" })).toBe("https://ghe.example.com/api/v3");
    expect(githubApiUrl({ GHE_HOST: "127.0.0.1:8080", GHE_PROTOCOL: "http" })).toBe("http://127.0.0.1:8080/api/v3");
    expect(githubApiUrl({ GHE_HOST: "", GITHUB_API_URL: "https://api.ghe.example.com" })).toBe("https://api.ghe.example.com");
    expect(githubApiUrl({})).toBeUndefined();
  });
});

describe("privateKeyPathProblem", () => {
  it("names a key pasted into PRIVATE_KEY_PATH without repeating it", () => {
    const pasted = "-----BEGIN RSA PRIVATE KEY-----\\nMIIEsecretbody\\n-----END RSA PRIVATE KEY-----";

    expect(privateKeyPathProblem({ PRIVATE_KEY_PATH: pasted })).toMatch(/holds a key, not a path/);
    expect(privateKeyPathProblem({ PRIVATE_KEY_PATH: pasted })).not.toContain("MIIEsecretbody");
    expect(privateKeyPathProblem({ PRIVATE_KEY_PATH: "./key.pem" })).toBeNull();
    expect(privateKeyPathProblem({ PRIVATE_KEY: "x", PRIVATE_KEY_PATH: pasted })).toBeNull();
  });
});

describe("webhookSecretProblem", () => {
  it("refuses an installed app without a secret, or with Probot's public default", () => {
    expect(webhookSecretProblem({ APP_ID: "12" })).toMatch(/WEBHOOK_SECRET is required/);
    expect(webhookSecretProblem({ APP_ID: "12", WEBHOOK_SECRET: "" })).toMatch(/WEBHOOK_SECRET is required/);
    expect(webhookSecretProblem({ APP_ID: "12", WEBHOOK_SECRET: "development" })).toMatch(/public default/);
    expect(webhookSecretProblem({ APP_ID: "12", WEBHOOK_SECRET: "s3cret" })).toBeNull();
    expect(webhookSecretProblem({ APP_ID: "" })).toBeNull();
  });
});
