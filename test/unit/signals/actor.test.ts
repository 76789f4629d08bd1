import { classifyActor, createActorClassifier } from "../../../src/signals/actor.js";
import { classifierForRepo, reclassifySignal } from "../../../src/signals/reclassify.js";
import { commentSignal } from "../../helpers/signals.js";

const classifier = createActorClassifier({ self: { appId: 4242, appSlug: "review-reviewer" } });

describe("classifyActor", () => {
  it.each([
    [{ login: "octocat", type: "User" }, null, "human"],
    [{ login: "dependabot[bot]", type: "Bot" }, null, "bot"],
    [{ login: "ci-runner[bot]", type: "User" }, null, "bot"],
    [{ login: "Copilot", type: "Bot" }, null, "agent"],
    [{ login: "devin-ai-integration[bot]", type: "Bot" }, null, "agent"],
    [{ login: "CLAUDE[bot]", type: "Bot" }, null, "agent"],
    [{ login: "review-reviewer[bot]", type: "Bot" }, null, "self"],
    [{ login: "renamed-app[bot]", type: "Bot" }, { id: 4242, slug: "renamed-app" }, "self"],
    [{ login: "other-app[bot]", type: "Bot" }, { id: 1, slug: "other-app" }, "bot"],
  ] as const)("%j via %j is %s", (user, via, kind) => {
    expect(classifyActor(user, classifier, via)).toBe(kind);
  });

  it("treats configured service accounts as bots", () => {
    const withBots = createActorClassifier({ self: { appId: null, appSlug: null }, botLogins: ["deploy-user"] });

    expect(classifyActor({ login: "Deploy-User", type: "User" }, withBots)).toBe("bot");
  });
});

describe("reclassifySignal with a repo's authors config", () => {
  it("tags a repo-specific agent and leaves others alone", () => {
    const signal = commentSignal(0);
    const repoClassifier = classifierForRepo(
      { agents: [signal.author.login], useDefaultAgents: true, bots: [] },
      { appId: null, appSlug: null },
    );

    const out = reclassifySignal(signal, repoClassifier);

    expect(signal.author.kind).toBe("human");
    expect(out.kind === "review_comment" && out.author.kind).toBe("agent");
  });

  it("can switch the built-in agent list off", () => {
    const repoClassifier = classifierForRepo({ agents: [], useDefaultAgents: false, bots: [] }, { appId: null, appSlug: null });

    expect(classifyActor({ login: "Copilot", type: "Bot" }, repoClassifier)).toBe("bot");
  });
});
