import type { SetupFacts } from "./facts.js";

/**
 * What the facts mean for the features (pure): one item per thing a person
 * deploying the app asks about, each with its state and, where something
 * stops a feature, the fix. Used by `review-reviewer doctor` and by the
 * start-up log line. Never renders a secret: only whether it is set.
 */
export type ItemState = "ok" | "problem" | "off";

export interface Item {
  name: string;
  state: ItemState;
  detail: string;
  /** How to fix a problem. */
  fix?: string;
}

/** Below this the store is a problem: a full disk fails every delivery with a 5xx. */
export const MIN_FREE_BYTES = 100 * 1024 * 1024;

export interface Runtime {
  /** The weekly run's next hourly check, when the app scheduled it. */
  weeklyNext: Date | null;
  /** This process holds the store (the app at start-up). */
  holdsStore: boolean;
}

const from = (src: string | null): string => (src === "env-file" ? " (from .env)" : src === "environment" ? " (from the environment)" : src === "github" ? " (from GET /app)" : "");

const gb = (bytes: number): string => (bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${String(Math.round(bytes / 1024 ** 2))} MB`);

const identityItems = (f: SetupFacts): Item[] => {
  const items: Item[] = [];
  items.push(
    f.appId === null
      ? { name: "app id", state: "problem", detail: "APP_ID is not set: Probot serves only its setup page", fix: "run `npm start` and register the app at http://localhost:3000 (it writes .env), or set APP_ID from the app's settings page" }
      : { name: "app id", state: "ok", detail: `${String(f.appId)}${from(f.appIdFrom)}` },
  );
  const keyDetail = `${f.key.from ?? "PRIVATE_KEY / PRIVATE_KEY_PATH"}${f.key.detail === null ? "" : `: ${f.key.detail}`}`;
  items.push(
    f.key.state === "ok"
      ? { name: "private key", state: "ok", detail: `readable (${keyDetail})` }
      : {
          name: "private key",
          state: "problem",
          detail: `${f.key.state} (${keyDetail})`,
          fix: "download a private key from the app's settings page and set PRIVATE_KEY_PATH to the .pem file (or PRIVATE_KEY to its contents)",
        },
  );
  items.push(
    f.webhookSecret === "set"
      ? { name: "webhook secret", state: "ok", detail: "set" }
      : {
          name: "webhook secret",
          state: "problem",
          detail: f.webhookSecret === "default" ? "Probot's public default \"development\": anyone could sign deliveries" : "not set",
          fix: "set WEBHOOK_SECRET to the secret in the app's settings (Webhook secret); the app refuses to start without it",
        },
  );
  items.push(
    f.slug !== null
      ? { name: "app slug", state: "ok", detail: `${f.slug}${from(f.slugFrom)}` }
      : f.appId === null
        ? { name: "app slug", state: "off", detail: "needs APP_ID" }
        : f.github.error === "not asked"
          ? { name: "app slug", state: "off", detail: "APP_SLUG not set; the app asks GET /app at start (not asked here)" }
          : { name: "app slug", state: "problem", detail: "unknown", fix: "set APP_SLUG (the app's URL name, github.com/apps/<slug>); without it the weekly run and /review-reviewer ignore are off" },
  );
  return items;
};

const storeItem = (f: SetupFacts, rt: Runtime): Item => {
  const s = f.store;
  const lock =
    s.lock.state === "free"
      ? "not running"
      : s.lock.state === "stale"
        ? `stale lock of process ${String(s.lock.pid)} (taken over at start)`
        : rt.holdsStore
          ? "lock held"
          : `in use by process ${String(s.lock.pid)} (the app is running)`;
  const space = s.freeBytes === null ? "free space unknown" : `${gb(s.freeBytes)} free`;
  if (!s.writable) return { name: "store", state: "problem", detail: `${s.backend} at ${s.dataDir}: not writable (${s.error ?? "unknown"})`, fix: "point DATA_DIR at a folder the app's user can write (in Docker, a volume at /data owned by the node user)" };
  if (s.freeBytes !== null && s.freeBytes < MIN_FREE_BYTES) return { name: "store", state: "problem", detail: `${s.backend} at ${s.dataDir}: only ${space}`, fix: "free disk space or move DATA_DIR: deliveries fail with HTTP 500 when the disk is full" };
  return { name: "store", state: "ok", detail: `${s.backend} at ${s.dataDir} (writable, ${space}, ${lock})` };
};

const featureItems = (f: SetupFacts, rt: Runtime): Item[] => {
  const credentials = f.appId !== null && f.key.state === "ok";
  const weekly: Item = !credentials
    ? { name: "weekly run", state: "off", detail: "needs APP_ID and the private key" }
    : f.slug === null
      ? { name: "weekly run", state: "off", detail: "needs the app's slug (APP_SLUG)" }
      : { name: "weekly run", state: "ok", detail: rt.weeklyNext === null ? "on when the app runs (hourly check at :17 UTC; each repository by its proposals.schedule)" : `scheduled, next check ${rt.weeklyNext.toISOString()}` };
  const checks: Item = credentials
    ? { name: "learned checks", state: "ok", detail: "enforced on pull requests" }
    : { name: "learned checks", state: "off", detail: "needs APP_ID and the private key" };
  const llm: Item = f.llmKey
    ? { name: "LLM", state: "ok", detail: "ANTHROPIC_API_KEY set: used where a repository sets llm.enabled (model llm.model, claude-haiku-4-5 by default)" }
    : { name: "LLM", state: "off", detail: "no ANTHROPIC_API_KEY (optional: learning works offline)" };
  const proxy: Item[] =
    f.webhookProxy === null
      ? []
      : f.production
        ? [
            {
              name: "webhook proxy",
              state: "problem",
              detail: `in production, deliveries come through a public relay (${safeUrl(f.webhookProxy)}), readable by anyone with the channel URL`,
              fix: "set the app's webhook URL (app settings, Webhook) to this server's public URL, https://your-host/, and remove WEBHOOK_PROXY_URL from .env",
            },
          ]
        : [{ name: "webhook proxy", state: "ok", detail: `deliveries forwarded from ${safeUrl(f.webhookProxy)} (development)` }];
  return [weekly, checks, llm, ...proxy];
};

/** A proxy channel URL is a capability: show its host only. */
const safeUrl = (url: string): string => {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return "an invalid URL";
  }
};

const githubItem = (f: SetupFacts): Item => {
  const g = f.github;
  if (!g.checked) return { name: "GitHub registration", state: g.error === "not asked" ? "off" : "problem", detail: g.error === "not asked" ? "not checked" : `not checked: ${g.error ?? "unknown"}`, ...(g.error === "not asked" ? {} : { fix: "check APP_ID and the private key (the app's settings page), and that the machine reaches api.github.com" }) };
  const missing = [...g.missingPermissions.map((p) => `${p.name}: ${p.need} (granted: ${p.granted ?? "none"})`), ...g.missingEvents.map((e) => `event ${e}`)];
  if (missing.length === 0) return { name: "GitHub registration", state: "ok", detail: "permissions and events as app.yml needs" };
  return {
    name: "GitHub registration",
    state: "problem",
    detail: `missing ${missing.join(", ")}`,
    fix: "in the app's settings (Permissions & events) grant these, then accept the new permissions on each installation",
  };
};

export const assess = (facts: SetupFacts, runtime: Runtime = { weeklyNext: null, holdsStore: false }): Item[] => [
  ...identityItems(facts),
  storeItem(facts, runtime),
  ...featureItems(facts, runtime),
  githubItem(facts),
];

const MARK = { ok: "ok ", problem: "!! ", off: "-- " } as const satisfies Record<ItemState, string>;

/** `review-reviewer doctor`'s text. */
export const renderDoctor = (facts: SetupFacts, items: Item[]): string => {
  const lines = [`review-reviewer doctor${facts.envFile === null ? " (no .env file; the environment only)" : ` (.env: ${facts.envFile})`}`, ""];
  for (const item of items) {
    lines.push(`${MARK[item.state]}${item.name}: ${item.detail}`);
    if (item.fix !== undefined && item.state === "problem") lines.push(`     fix: ${item.fix}`);
  }
  const problems = items.filter((i) => i.state === "problem");
  lines.push("", problems.length === 0 ? "No problems found." : `${String(problems.length)} problem${problems.length === 1 ? "" : "s"}: ${problems.map((p) => p.name).join(", ")}.`);
  return `${lines.join("\n")}\n`;
};

/** The one start-up log line: every item, problems first-class. */
export const renderStartupLine = (items: Item[]): string =>
  items.map((i) => `${i.name}: ${i.state === "problem" ? `PROBLEM: ${i.detail}` : i.state === "off" ? `off: ${i.detail}` : i.detail}`).join(" · ");
