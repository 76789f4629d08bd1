import type { Settings } from "../../config/settings.js";
import { createRefiner } from "../../llm/run-refine.js";
import { createPatternSuggester } from "../../llm/suggest-pattern.js";
import type { ProposeDeps } from "./types.js";

/**
 * The parts of the proposal run's dependencies that come from the process
 * settings (the same for the app and the CLI): who the app is, the
 * app-wide agent and bot lists, and the optional LLM helpers (absent
 * without an API key, so nothing touches the network).
 */
export const proposeDepsFromSettings = (
  settings: Settings,
  log: (line: string) => void,
): Pick<ProposeDeps, "self" | "agentLogins" | "botLogins" | "refine" | "suggestPattern"> => {
  const llm = { apiKey: settings.anthropicApiKey, ...(settings.anthropicBaseUrl === null ? {} : { baseURL: settings.anthropicBaseUrl }) };
  const refine = createRefiner({ ...llm, dataDir: settings.dataDir, log });
  const suggestPattern = createPatternSuggester(llm);
  return {
    self: { appId: settings.appId, appSlug: settings.appSlug },
    agentLogins: settings.agentLogins,
    botLogins: settings.botLogins,
    ...(refine === undefined ? {} : { refine }),
    ...(suggestPattern === undefined ? {} : { suggestPattern }),
  };
};
