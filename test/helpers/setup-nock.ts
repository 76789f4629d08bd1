import type { ClientRequest } from "node:http";
import nock from "nock";
import { problemsOfAnswered, specProblemsOfAllScopes as specProblems } from "./openapi.js";

// Strict HTTP: the network is off (loopback stays on for the app's own HTTP
// tests), every request must be expected, and every expectation must be used.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);

// Every request any test's mock answers on api.github.com is checked against
// GitHub's OpenAPI description (method, path, query names, body fields), so
// the app cannot rely on endpoints or fields that do not exist. nock scopes
// emit ("request", req, interceptor, body) when they answer; one hook on the
// Scope prototype sees them all.
const scopePrototype = Object.getPrototypeOf(nock("https://api.github.com")) as { emit: (event: string | symbol, ...args: unknown[]) => boolean };
const emit = scopePrototype.emit;
scopePrototype.emit = function (this: { basePath?: string }, event: string | symbol, ...args: unknown[]): boolean {
  if (event === "request" && typeof this.basePath === "string" && /^https:\/\/api\.github\.com(:443)?$/.test(this.basePath)) {
    specProblems.push(...problemsOfAnswered(args[0] as ClientRequest, typeof args[2] === "string" ? args[2] : ""));
  }
  return emit.call(this, event, ...args);
};
nock.cleanAll();

// A request to GitHub that no mock answered fails the test even when the code under test caught the
// error (a proposal reported as "failed", a background job logging it).
const unmatched: string[] = [];
nock.emitter.on("no match", (req: { method?: string; path?: string; hostname?: string; host?: string }) => {
  if ((req.hostname ?? req.host ?? "").startsWith("api.github.com")) unmatched.push(`${req.method ?? "?"} ${req.path ?? "?"}`);
});

afterEach(() => {
  const pending = nock.pendingMocks();
  const unexpected = unmatched.splice(0);
  nock.cleanAll();
  nock.abortPendingRequests();
  const problems = specProblems.splice(0);
  if (pending.length > 0) throw new Error(`unused HTTP mocks: ${pending.join(", ")}`);
  if (unexpected.length > 0) throw new Error(`requests to GitHub no mock expected: ${unexpected.join(", ")}`);
  if (problems.length > 0) throw new Error(`requests GitHub's OpenAPI description does not allow:\n${problems.join("\n")}`);
});
