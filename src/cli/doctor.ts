import { parseArgs } from "node:util";
import { withoutEmpty } from "../config/env-file.js";
import { githubApiUrl, loadSettings, SettingsError } from "../config/settings.js";
import { gatherFacts } from "../doctor/facts.js";
import { assess, renderDoctor } from "../doctor/report.js";
import type { CliIo } from "./main.js";

/** `review-reviewer doctor` (usage in usage.ts): exit 0 when nothing stops a feature, 1 otherwise. */
export const doctorCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { values } = parseArgs({
    args,
    options: { offline: { type: "boolean", default: false }, json: { type: "boolean", default: false } },
    strict: true,
  });
  const environment = io.environment ?? { env: withoutEmpty(io.env), file: null, fromFile: new Set<string>() };
  let settings;
  try {
    settings = loadSettings(environment.env);
  } catch (e) {
    if (!(e instanceof SettingsError)) throw e;
    io.out(`!! environment: ${e.message}\n     fix: correct the variable named (in .env or the environment)\n`);
    return 1;
  }
  const apiUrl = githubApiUrl(environment.env);
  const facts = await gatherFacts(environment, settings, { offline: values.offline, ...(apiUrl !== undefined ? { baseUrl: apiUrl } : {}) });
  const items = assess(facts);
  io.out(values.json ? `${JSON.stringify({ items }, null, 2)}\n` : renderDoctor(facts, items));
  return items.some((i) => i.state === "problem") ? 1 : 0;
};
