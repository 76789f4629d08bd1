import type { Config } from "../config/schema.js";
import { DEFAULT_AGENT_LOGINS, classifyActor, createActorClassifier, type ActorClassifier, type SelfIdentity } from "./actor.js";
import type { Actor, Signal } from "./signal.js";

/**
 * Recording happens before any repo config is read (no API call on that
 * path), so actor kinds are first set with the app-wide lists. Jobs that read
 * signals re-derive them with the repo's `authors` config through this pure
 * function. `self` stays `self`: it was decided from the payload's
 * performed_via_github_app, which config cannot override.
 */
export const classifierForRepo = (
  authors: Config["authors"],
  self: SelfIdentity,
  appWideAgents: readonly string[] = [],
  appWideBots: readonly string[] = [],
): ActorClassifier =>
  createActorClassifier({
    self,
    agentLogins: [...(authors.useDefaultAgents ? DEFAULT_AGENT_LOGINS : []), ...appWideAgents, ...authors.agents],
    botLogins: [...appWideBots, ...authors.bots],
  });

const reclassify = (actor: Actor, classifier: ActorClassifier): Actor =>
  actor.kind === "self" ? actor : { ...actor, kind: classifyActor(actor, classifier) };

export const reclassifySignal = (signal: Signal, classifier: ActorClassifier): Signal => {
  switch (signal.kind) {
    case "review_comment":
    case "conversation_comment":
    case "pull_request":
      return { ...signal, author: reclassify(signal.author, classifier) };
    case "review":
    case "correction":
      return { ...signal, reviewer: reclassify(signal.reviewer, classifier) };
    case "pr_outcome":
    case "check_suite":
      return signal;
    case "review_thread":
      return {
        ...signal,
        resolvedBy: signal.resolvedBy === null ? null : reclassify(signal.resolvedBy, classifier),
        events: signal.events.map((e) => ({ ...e, by: reclassify(e.by, classifier) })),
      };
  }
};
