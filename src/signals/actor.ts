import type { Actor, ActorKind } from "./signal.js";

/**
 * Logins of AI coding agents that author pull requests. Matched
 * case-insensitively. Repos add their own with `authors.agents` in config.
 */
export const DEFAULT_AGENT_LOGINS: readonly string[] = [
  "Copilot",
  "copilot-swe-agent[bot]",
  "devin-ai-integration[bot]",
  "claude[bot]",
  "chatgpt-codex-connector[bot]",
  "codex[bot]",
  "cursor[bot]",
  "cursor-agent[bot]",
  "google-labs-jules[bot]",
  "openhands-agent",
  "sweep-ai[bot]",
  "codegen-sh[bot]",
  "amazon-q-developer[bot]",
  "factory-droid[bot]",
  "aider-chat[bot]",
];

/** What identifies this app's own comments. */
export interface SelfIdentity {
  appId: number | null;
  /** The app's slug; its comments come from `<slug>[bot]`. */
  appSlug: string | null;
}

export interface ActorClassifier {
  self: SelfIdentity;
  agentLogins: readonly string[];
  botLogins: readonly string[];
}

/** The parts of a GitHub user object we read. */
export interface GitHubUserLike {
  login: string;
  id?: number | null | undefined;
  type?: string | null | undefined;
}

export interface PerformedViaAppLike {
  id?: number | null | undefined;
  slug?: string | null | undefined;
}

const lower = (values: readonly string[]): Set<string> => new Set(values.map((v) => v.toLowerCase()));

export const createActorClassifier = (input: {
  self: SelfIdentity;
  agentLogins?: readonly string[];
  botLogins?: readonly string[];
}): ActorClassifier => ({
  self: input.self,
  agentLogins: [...lower(input.agentLogins ?? DEFAULT_AGENT_LOGINS)],
  botLogins: [...lower(input.botLogins ?? [])],
});

/**
 * Classify who wrote something. Order matters: this app first (its own
 * output must never feed back as feedback), then AI agents (many are Bot
 * accounts), then any other bot, then humans.
 */
export const classifyActor = (
  user: GitHubUserLike,
  classifier: ActorClassifier,
  performedViaApp?: PerformedViaAppLike | null,
): ActorKind => {
  const login = user.login.toLowerCase();
  const { appId, appSlug } = classifier.self;
  if (appId !== null && performedViaApp?.id === appId) return "self";
  if (appSlug !== null && login === `${appSlug.toLowerCase()}[bot]`) return "self";
  if (classifier.agentLogins.includes(login)) return "agent";
  if (user.type === "Bot" || login.endsWith("[bot]") || classifier.botLogins.includes(login)) return "bot";
  return "human";
};

export const toActor = (
  user: GitHubUserLike,
  classifier: ActorClassifier,
  performedViaApp?: PerformedViaAppLike | null,
): Actor => ({
  login: user.login,
  id: user.id ?? null,
  type: user.type ?? "User",
  kind: classifyActor(user, classifier, performedViaApp),
});
