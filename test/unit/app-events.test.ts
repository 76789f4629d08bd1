import { readFile } from "node:fs/promises";
import type { Probot } from "probot";
import { parse as parseYaml } from "yaml";
import { createApp } from "../../src/app.js";
import { createJobQueue } from "../../src/jobs/queue.js";
import { silentLog } from "../../src/shared/logger.js";
import { testClassifier } from "../helpers/env.js";
import type { SignalStore } from "../../src/store/store.js";

/** GitHub delivers these to every app without a subscription, and a manifest cannot list them. */
const ALWAYS_DELIVERED = new Set(["installation", "installation_repositories"]);

const handledEvents = (): Set<string> => {
  const names: string[] = [];
  const recorder = {
    log: silentLog,
    on: (events: string | string[]) => {
      names.push(...(Array.isArray(events) ? events : [events]));
    },
  };
  createApp({ store: {} as SignalStore /* registration only: never called */, classifier: testClassifier, clock: () => new Date(0), jobs: createJobQueue(silentLog), selfLogin: null, appId: null })(recorder as unknown as Probot);
  return new Set(names.map((n) => n.split(".")[0] ?? n));
};

describe("app.yml and the handlers agree", () => {
  it("subscribes to exactly the events the app handles (apart from the ones GitHub always delivers)", async () => {
    const manifest = parseYaml(await readFile("app.yml", "utf8")) as { default_events: string[] };
    const handled = handledEvents();

    expect([...new Set(manifest.default_events)].sort()).toEqual([...handled].filter((e) => !ALWAYS_DELIVERED.has(e)).sort());
    expect([...handled].filter((e) => ALWAYS_DELIVERED.has(e)).sort()).toEqual(["installation", "installation_repositories"]);
  });
});
