import { identifyApp } from "../../../src/doctor/startup.js";
import type { GitHubFact } from "../../../src/doctor/facts.js";
import { silentLog } from "../../../src/shared/logger.js";

const waitFor = async (done: () => boolean): Promise<void> => {
  for (let waited = 0; !done() && waited < 2_000; waited += 5) await new Promise((r) => setTimeout(r, 5));
};

describe("identifyApp", () => {
  it("asks GET /app again while GitHub cannot say the slug, then schedules the weekly run once", async () => {
    let calls = 0;
    const logins: string[] = [];
    const firsts: GitHubFact[] = [];
    const getApp = (): Promise<{ slug: string; permissions: Record<string, string>; events: string[] }> => {
      calls += 1;
      if (calls < 3) return Promise.reject(Object.assign(new Error("Service Unavailable"), { status: 503 }));
      return Promise.resolve({ slug: "acme-reviewer", permissions: {}, events: [] });
    };

    const stop = identifyApp({
      getApp,
      log: silentLog,
      knownLogin: null,
      retry: true,
      retryMs: [5, 5],
      onLogin: (login) => {
        logins.push(login);
        return Promise.resolve(new Date("2026-12-02T03:17:00Z"));
      },
      onFirst: (github) => {
        firsts.push(github);
        return Promise.resolve();
      },
    });
    await waitFor(() => logins.length > 0);
    await new Promise((r) => setTimeout(r, 30));
    stop();

    expect(calls).toBe(3);
    expect(logins).toEqual(["acme-reviewer[bot]"]);
    expect(firsts).toHaveLength(1);
    expect(firsts[0]).toMatchObject({ checked: false, error: "GET /app failed: HTTP 503: Service Unavailable" });
  });

  it("does not ask again once APP_SLUG names the app, nor without an app id", async () => {
    let calls = 0;
    const fail = (): Promise<null> => {
      calls += 1;
      return Promise.reject(new Error("offline"));
    };
    const logins: string[] = [];
    const common = { getApp: fail, log: silentLog, retryMs: [1], onFirst: () => Promise.resolve() };

    const stopA = identifyApp({ ...common, knownLogin: "acme-reviewer[bot]", retry: true, onLogin: (l) => { logins.push(l); return Promise.resolve(null); } });
    const stopB = identifyApp({ ...common, knownLogin: null, retry: false, onLogin: (l) => { logins.push(l); return Promise.resolve(null); } });
    await new Promise((r) => setTimeout(r, 40));
    stopA();
    stopB();

    expect(calls).toBe(2);
    expect(logins).toEqual(["acme-reviewer[bot]"]);
  });
});
