import { compareGrants, type SetupFacts } from "../../../src/doctor/facts.js";
import { assess, MIN_FREE_BYTES, renderDoctor, renderStartupLine } from "../../../src/doctor/report.js";

const good: SetupFacts = {
  envFile: "/srv/app/.env",
  appId: 123,
  appIdFrom: "env-file",
  slug: "acme-reviewer",
  slugFrom: "github",
  webhookSecret: "set",
  webhookProxy: null,
  production: false,
  key: { state: "ok", from: "PRIVATE_KEY_PATH (key.pem)", detail: null },
  store: { backend: "lowdb", dataDir: "/data", writable: true, error: null, freeBytes: 5 * 1024 ** 3, lock: { state: "free", pid: null } },
  llmKey: false,
  github: { checked: true, error: null, slug: "acme-reviewer", missingPermissions: [], missingEvents: [] },
};

const problems = (facts: SetupFacts): string[] => assess(facts).filter((i) => i.state === "problem").map((i) => i.name);

describe("assess", () => {
  it("finds nothing wrong with a complete setup; the LLM is off, not a problem", () => {
    const items = assess(good);

    expect(problems(good)).toEqual([]);
    expect(items.find((i) => i.name === "LLM")?.state).toBe("off");
    expect(items.find((i) => i.name === "LLM")?.detail).toContain("no ANTHROPIC_API_KEY");
    expect(items.find((i) => i.name === "weekly run")?.state).toBe("ok");
  });

  it.each<[string, Partial<SetupFacts>, string[]]>([
    ["no app id", { appId: null, appIdFrom: null }, ["app id"]],
    ["no key", { key: { state: "missing", from: null, detail: null } }, ["private key"]],
    ["an unreadable key file", { key: { state: "unreadable", from: "PRIVATE_KEY_PATH (k.pem)", detail: "ENOENT" } }, ["private key"]],
    ["no secret", { webhookSecret: "missing" }, ["webhook secret"]],
    ["the public default secret", { webhookSecret: "default" }, ["webhook secret"]],
    ["no slug, and GitHub not saying it", { slug: null, slugFrom: null, github: { checked: false, error: "GET /app failed: HTTP 500", slug: null, missingPermissions: [], missingEvents: [] } }, ["app slug", "GitHub registration"]],
    ["an unwritable store", { store: { ...good.store, writable: false, error: "/data: EACCES" } }, ["store"]],
    ["a nearly full disk", { store: { ...good.store, freeBytes: MIN_FREE_BYTES - 1 } }, ["store"]],
    ["a missing permission", { github: { ...good.github, missingPermissions: [{ name: "checks", need: "write", granted: "read" }] } }, ["GitHub registration"]],
    ["a smee proxy in production", { webhookProxy: "https://smee.io/abc123", production: true }, ["webhook proxy"]],
    ["GitHub refusing the JWT", { github: { checked: false, error: "GitHub refused the app's token (401)", slug: null, missingPermissions: [], missingEvents: [] } }, ["GitHub registration"]],
  ])("names the problem and its fix: %s", (_name, change, expected) => {
    const facts = { ...good, ...change };

    expect(problems(facts)).toEqual(expected);
    for (const item of assess(facts).filter((i) => i.state === "problem")) expect(item.fix).toEqual(expect.any(String));
  });

  it("does not call a slug it did not ask for a problem (--offline), nor one without an app id", () => {
    const offline = assess({ ...good, slug: null, slugFrom: null, github: { checked: false, error: "not asked", slug: null, missingPermissions: [], missingEvents: [] } });
    const noApp = assess({ ...good, appId: null, appIdFrom: null, slug: null, slugFrom: null });

    expect(offline.find((i) => i.name === "app slug")?.state).toBe("off");
    expect(noApp.find((i) => i.name === "app slug")?.state).toBe("off");
  });

  it("turns the weekly run and learned checks off, with the reason, without credentials", () => {
    const items = assess({ ...good, key: { state: "missing", from: null, detail: null } });

    expect(items.find((i) => i.name === "weekly run")).toMatchObject({ state: "off", detail: "needs APP_ID and the private key" });
    expect(items.find((i) => i.name === "learned checks")).toMatchObject({ state: "off" });
  });

  it("shows only the proxy's origin: a smee channel URL lets anyone read the deliveries", () => {
    const line = renderStartupLine(assess({ ...good, webhookProxy: "https://smee.io/SECRETCHANNEL" }));

    expect(line).toContain("https://smee.io/…");
    expect(line).not.toContain("SECRETCHANNEL");
  });

  it("renders the start-up line as one readable line: problems and off items named as such", () => {
    const line = renderStartupLine(assess({ ...good, llmKey: false, webhookSecret: "missing" }));

    expect(line).toContain("webhook secret: PROBLEM: not set");
    expect(line).toContain("LLM: off: no ANTHROPIC_API_KEY");
    expect(line).not.toContain("\n");
  });

  it("says when the app holds the store, and when another process does", () => {
    const held = { ...good, store: { ...good.store, lock: { state: "held" as const, pid: 4711 } } };

    expect(renderStartupLine(assess(held, { weeklyNext: null, holdsStore: true }))).toContain("lock held");
    expect(renderDoctor(held, assess(held))).toContain("in use by process 4711 (the app is running)");
  });
});

describe("renderDoctor", () => {
  it("prints each problem with its fix and counts them", () => {
    const facts = { ...good, webhookSecret: "missing" as const };

    const text = renderDoctor(facts, assess(facts));

    expect(text).toContain("!! webhook secret: not set\n     fix: set WEBHOOK_SECRET");
    expect(text).toContain("1 problem: webhook secret.");
    expect(text).toContain("(.env: /srv/app/.env)");
  });
});

describe("compareGrants", () => {
  it("counts a higher grant as enough and a lower or absent one as missing", () => {
    const manifest = { permissions: { metadata: "read", checks: "write", issues: "write", statuses: "read" }, events: ["pull_request", "check_suite"] };

    const result = compareGrants(manifest, { permissions: { metadata: "read", checks: "read", statuses: "write" }, events: ["pull_request"] });

    expect(result).toEqual({
      missingPermissions: [
        { name: "checks", need: "write", granted: "read" },
        { name: "issues", need: "write", granted: null },
      ],
      missingEvents: ["check_suite"],
    });
  });
});
