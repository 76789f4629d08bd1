import { join } from "node:path";
import nock from "nock";
import { ProbotOctokit, type Probot } from "probot";
import type { OctokitLike } from "../../src/github/api.js";
import { z } from "zod";
import { CHECKS_DIR, loadCatalog } from "../../src/checks/catalog.js";
import type { Check } from "../../src/checks/schema.js";
import { runCli } from "../../src/cli/main.js";
import { proposeRepo } from "../../src/jobs/propose-repo.js";
import { CONFIG_MARKER } from "../../src/jobs/propose/config-issue.js";
import { ignoredState } from "../../src/jobs/propose/state.js";
import type { ProposalAction, ProposeOutcome } from "../../src/jobs/propose/types.js";
import { createJobQueue, type JobQueue } from "../../src/jobs/queue.js";
import { runWeekly, type WeeklySummary } from "../../src/jobs/weekly.js";
import type { Refiner } from "../../src/llm/run-refine.js";
import { effectMarker, proposalMarker } from "../../src/propose/lifecycle.js";
import { silentLog } from "../../src/shared/logger.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { readState } from "../../src/store/state.js";
import { appFor, SELF_LOGIN } from "../helpers/app.js";
import { examplePayload, repoIdOf } from "../helpers/fixtures.js";
import { guardOpenApi } from "../helpers/openapi.js";
import { createTestProbot } from "../helpers/probot.js";
import {
  API,
  CONFIG,
  ESC,
  expectGuidelineReads,
  expectGuidelineReadsIn,
  expectNewIssue,
  expectNewPull,
  expectNewPullIn,
  expectOpenPullIn,
  expectOwnListing,
  expectPullLookup,
  expectRunStartIn,
  expectWidgetsStart,
  feedComments,
  feedHistory,
  FULL,
  GUIDE,
  INSTALLATION,
  newWritten,
  NOW,
  OWNER,
  PYPROJECT,
  recordRequests,
  REPO,
  RULE,
  WIDGETS,
  worldRepo,
  commentPayloadIn,
  type FedComment,
  type Listed,
  type WorldRepo,
} from "../helpers/propose-world.js";
import { withTempDir } from "../helpers/signals.js";

/**
 * The proposal lifecycle end to end, against strict nock: what the app's
 * earlier proposals (closed, merged, ignored) mean for the next weekly run,
 * the write budget, an invalid config, the ignore command, a config file it
 * cannot edit, and the CLI's dry run. Every request is expected, every
 * expectation used, write bodies asserted with matchers (no snapshots: the
 * bodies' wording is not what these tests are about), and every request
 * checked against GitHub's OpenAPI description.
 */

const DAY = 86_400_000;
const later = (days: number): Date => new Date(NOW.getTime() + days * DAY);
const SELF = { appId: 4242, appSlug: "review-reviewer" };
const RULE_TITLE = "Lint: Add type hints to function parameters";
const ESC_TITLE = "Process Observation: Keep pull requests focused (indentation, unrelated, revert)";
/** acme/widgets' pyproject.toml once the rule PR enabled its codes. */
const RULE_PYPROJECT = PYPROJECT.replace("[tool.ruff.lint]\n", '[tool.ruff.lint]\nextend-select = ["ANN001", "ANN002", "ANN003"]\n');

/**
 * The jobs' installation client. Probot's own (which mints a token first) is
 * throttled like production, spacing writes by 1-3 s; the jobs get an
 * unthrottled one here, and the webhook-driven commands still use Probot's.
 * test/integration/propose.test.ts runs a whole weekly run through probot.auth.
 */
const installationClient = (): OctokitLike => new ProbotOctokit({ auth: { token: "ghs_inst" }, throttle: { enabled: false }, retry: { enabled: false } });

const token = (): nock.Scope =>
  nock(API).post(`/app/installations/${String(INSTALLATION)}/access_tokens`).reply(201, { token: "ghs_inst", expires_at: "2099-01-01T00:00:00Z" });

const summaryOf = (outcome: ProposeOutcome): [string, string, string][] | string =>
  outcome.status === "done" ? outcome.actions.map((a) => [a.patternId, a.kind, a.action]) : outcome.status;
const actionOf = (outcome: ProposeOutcome, patternId: string): ProposalAction | undefined =>
  outcome.status === "done" ? outcome.actions.find((a) => a.patternId === patternId) : undefined;
const about = (seen: readonly string[], text: string): string[] => seen.filter((r) => r.includes(text));

describe("the proposal lifecycle, end to end", () => {
  let catalog: Check[] = [];
  beforeAll(async () => {
    catalog = await loadCatalog(CHECKS_DIR);
  });

  // An unexpected request to GitHub fails the test: test/helpers/setup-nock.ts checks it after each test.

  interface World {
    store: LowdbSignalStore;
    probot: Probot;
    jobs: JobQueue;
  }

  /** A store and a Probot app on it, with acme/widgets' review history fed through webhooks (or none). */
  const withWorld = async (fn: (w: World) => Promise<void>, history: "widgets" | "none" = "widgets"): Promise<void> => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      try {
        const jobs = createJobQueue(silentLog);
        const probot = createTestProbot();
        await probot.load(appFor(store, jobs, () => NOW));
        if (history === "widgets") expect(await feedHistory(probot)).toBe(21);
        await fn({ store, probot, jobs });
      } finally {
        await store.close();
      }
    });
  };

  const weekly = (w: World, now = NOW): Promise<WeeklySummary> =>
    runWeekly({
      store: w.store,
      clock: () => now,
      log: silentLog,
      catalog,
      author: SELF_LOGIN,
      self: SELF,
      jobs: createJobQueue(silentLog),
      auth: () => Promise.resolve(installationClient()),
      holder: "test-replica",
    });

  const direct = async (w: World, now = NOW, target: WorldRepo = WIDGETS): Promise<ProposeOutcome> =>
    proposeRepo({ store: w.store, clock: () => now, log: silentLog, catalog, author: SELF_LOGIN, self: SELF }, installationClient(), {
      owner: target.owner,
      repo: target.repo,
      dryRun: false,
    });

  it("uses the LLM refinement where the repository enables it, and never without it", async () => {
    await withWorld(async (w) => {
      const calls: { clusters: number; texts: number; model: string }[] = [];
      let failing = false;
      const refine: Refiner = (clusters, texts, config) => {
        calls.push({ clusters: clusters.length, texts: texts.size, model: config.model });
        if (failing) return Promise.resolve(null);
        return Promise.resolve({ titles: new Map([[GUIDE, "Explain non-obvious code with a comment"]]), categories: new Map(), merges: [] });
      };
      const run = (config: string): Promise<ProposeOutcome> => {
        const scope = nock(API);
        expectWidgetsStart(scope, [], config);
        return proposeRepo({ store: w.store, clock: () => NOW, log: silentLog, catalog, author: SELF_LOGIN, self: SELF, refine }, installationClient(), {
          owner: OWNER,
          repo: REPO,
          dryRun: false,
        });
      };

      // Off by default: the refiner is not called, the offline title stays.
      const offline = await run("proposals:\n  maxNewPerRun: 0\n");
      expect(calls).toEqual([]);
      expect(actionOf(offline, GUIDE)?.title).toBe("Guideline: Add comment");

      const refined = await run("llm:\n  enabled: true\n  model: claude-sonnet-4-5\nproposals:\n  maxNewPerRun: 0\n");
      expect(calls).toEqual([{ clusters: 3, texts: 21, model: "claude-sonnet-4-5" }]);
      expect(actionOf(refined, GUIDE)?.title).toBe("Guideline: Explain non-obvious code with a comment");
      expect(actionOf(refined, GUIDE)?.body).toContain("**Explain non-obvious code with a comment**");
      expect(summaryOf(refined)).toEqual([
        [RULE, "rule", "skipped"],
        [GUIDE, "guideline", "skipped"],
        [ESC, "escalation", "skipped"],
      ]);

      // The model fails the next week: the last applied refinement still holds (titles do not flip back).
      failing = true;
      const fallback = await run("llm:\n  enabled: true\n  model: claude-sonnet-4-5\nproposals:\n  maxNewPerRun: 0\n");
      expect(calls).toHaveLength(2);
      expect(actionOf(fallback, GUIDE)?.title).toBe("Guideline: Explain non-obvious code with a comment");
    });
  });

  it("with learn.scope org, counts a sibling repository's comments but never quotes them, and never pools another installation", async () => {
    await withWorld(async (w) => {
      // The same feedback in a private sibling repository (same installation) and in a stranger's repository.
      const secret = worldRepo(OWNER, "secret-plans");
      const stranger = worldRepo("other-org", "widgets", 999);
      const hint = (id: number, pull: number): FedComment => ({ id, body: `SECRET-${String(id)}: please add type hints here`, path: "vault/keys.py", hunk: "@@ -1,2 +1,3 @@\n a\n+def f(x):", pull });
      expect(await feedComments(w.probot, secret, [hint(7001, 1), hint(7002, 2), hint(7003, 3)])).toBe(3);
      expect(await feedComments(w.probot, stranger, [hint(8001, 1), hint(8002, 2)])).toBe(2);
      const scope = nock(API);
      expectWidgetsStart(scope, [], "learn:\n  scope: org\nproposals:\n  maxNewPerRun: 0\n");

      const outcome = await direct(w);

      // Org-wide patterns have their own ids (another scope); the kinds are as in the repository-only run.
      const kinds = outcome.status === "done" ? outcome.actions.map((a) => a.kind) : [];
      expect(kinds).toEqual(["rule", "guideline", "escalation"]);
      const rule = outcome.status === "done" ? outcome.actions.find((a) => a.kind === "rule") : undefined;
      // Counted: 6 comments in acme/widgets + 3 in acme/secret-plans; the other installation's 2 are not pooled.
      expect(rule?.body).toContain("**9 review comments**");
      expect(rule?.body).not.toContain("SECRET-");
      expect(rule?.body).not.toContain("secret-plans");
      expect(rule?.body).not.toContain("vault/keys.py");
      expect(outcome.status === "done" ? outcome.actions.every((a) => !a.body.includes("other-org")) : false).toBe(true);
      expect(scope.isDone()).toBe(true);
    });
  });

  // ---------------------------------------------------------------- 1

  it("does not propose a pattern again after its PR was closed without merge, however much later, while its rate stays the same", async () => {
    await withWorld(async (w) => {
      const closedRule: Listed = {
        number: 11,
        title: RULE_TITLE,
        body: `${proposalMarker(RULE)}\nReviewers keep asking to **add type hints to function parameters**.\n`,
        state: "closed",
        pull: true,
        mergedAt: null,
        closedAt: "2026-11-19T15:00:00Z",
      };
      const written = newWritten();
      const scope = nock(API);
      const guard = guardOpenApi(scope);
      const seen = recordRequests(scope);
      expectWidgetsStart(scope, [closedRule], CONFIG);
      expectGuidelineReads(scope);
      expectNewPull(scope, GUIDE, 12, written);
      expectNewIssue(scope, WIDGETS, [closedRule], ESC, 13, written);

      const first = await direct(w);

      expect(summaryOf(first)).toEqual([
        [RULE, "rule", "suppressed"],
        [GUIDE, "guideline", "created"],
        [ESC, "escalation", "created"],
      ]);
      expect(actionOf(first, RULE)).toMatchObject({ number: 11, files: [] });
      expect(actionOf(first, RULE)?.reason).toMatch(/^#11 was closed without merge; proposed again only when the rate at least doubles \(0\/week now, [0-9.]+\/week when closed\)$/);
      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);
      // Nothing at all about the closed pattern: no branch lookup, no file, no commit, no PR.
      expect(about(seen, RULE)).toEqual([]);
      // (pyproject.toml is read once, at the default branch, to find the linters; never at the rule's branch.)
      expect(about(seen, "pyproject.toml")).toEqual([`GET /repos/${FULL}/contents/pyproject.toml `]);
      expect(written.pulls.map((p) => [p.title, p.head])).toEqual([["Guideline: Add comment", `review-reviewer/${GUIDE}`]]);
      expect(written.trees.flatMap((t) => t.tree.map((e) => e.path)).sort()).toEqual(["AGENTS.md", "CONTRIBUTING.md"]);
      expect(written.issues.map((i) => i.title)).toEqual([ESC_TITLE]);
      expect(written.issues[0]?.body.startsWith(`${proposalMarker(ESC)}\n`)).toBe(true);

      // Four months later, no new comment on the pattern: still suppressed, still not a request about it.
      const files = Object.fromEntries(written.trees.flatMap((t) => t.tree.map((e) => [e.path, e.content])));
      const own: Listed[] = [
        closedRule,
        { number: 12, title: written.pulls[0]?.title ?? "", body: written.pulls[0]?.body ?? "", state: "open", pull: true },
        { number: 13, title: written.issues[0]?.title ?? "", body: written.issues[0]?.body ?? "", state: "open", pull: false },
      ];
      const again = nock(API);
      const guard2 = guardOpenApi(again);
      const seen2 = recordRequests(again);
      expectWidgetsStart(again, own, CONFIG);
      expectGuidelineReads(again);
      expectOpenPullIn(again, WIDGETS, own[1] as Listed, GUIDE, { "CONTRIBUTING.md": files["CONTRIBUTING.md"] ?? "", "AGENTS.md": files["AGENTS.md"] ?? "" });
      expectOwnListing(again, WIDGETS, own);

      const second = await direct(w, later(120));

      expect(summaryOf(second)).toEqual([
        [RULE, "rule", "suppressed"],
        [GUIDE, "guideline", "unchanged"],
        [ESC, "escalation", "unchanged"],
      ]);
      expect(actionOf(second, RULE)?.reason).toMatch(/^#11 was closed without merge; .*\(0\/week now, [0-9.]+\/week when closed\)$/);
      expect(actionOf(second, RULE)?.reason).toBe(actionOf(first, RULE)?.reason);
      expect(second.status === "done" && second.acceptance).toEqual({ proposed: 2, open: 1, merged: 0, closed: 1, rate: 0 });
      expect(guard2.problems).toEqual([]);
      expect(again.isDone()).toBe(true);
      expect(about(seen2, RULE)).toEqual([]);
      expect(seen2.filter((r) => !r.startsWith("GET "))).toEqual([]);
    });
  });

  // ---------------------------------------------------------------- 2

  it("respects the write budget: one new proposal per run by default, strongest first, the open one kept up to date", async () => {
    await withWorld(async (w) => {
      const written = newWritten();
      const scope = nock(API);
      const guard = guardOpenApi(scope);
      // No config file anywhere: the repo's and the org's .github repo's both 404, defaults apply.
      expectWidgetsStart(scope, [], null);
      expectNewPull(scope, RULE, 11, written);

      const first = await direct(w);

      expect(summaryOf(first)).toEqual([
        [RULE, "rule", "created"],
        [GUIDE, "guideline", "skipped"],
        [ESC, "escalation", "skipped"],
      ]);
      expect(actionOf(first, GUIDE)?.reason).toBe("1 opened this run already (maxNewPerRun 1)");
      expect(actionOf(first, ESC)?.reason).toBe("1 opened this run already (maxNewPerRun 1)");
      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);
      expect(written.pulls.map((p) => [p.title, p.head, p.base])).toEqual([[RULE_TITLE, `review-reviewer/${RULE}`, "main"]]);
      expect(written.trees.flatMap((t) => t.tree.map((e) => [e.path, e.content]))).toEqual([["pyproject.toml", RULE_PYPROJECT]]);
      expect(written.issues).toEqual([]);

      // A week later GitHub lists it open: it is compared (unchanged), and exactly one more is opened.
      const own: Listed[] = [{ number: 11, title: written.pulls[0]?.title ?? "", body: written.pulls[0]?.body ?? "", state: "open", pull: true }];
      const again = nock(API);
      const guard2 = guardOpenApi(again);
      expectWidgetsStart(again, own, null);
      expectOpenPullIn(again, WIDGETS, own[0] as Listed, RULE, { "pyproject.toml": RULE_PYPROJECT });
      expectGuidelineReads(again);
      expectNewPull(again, GUIDE, 12, written);

      const second = await direct(w, later(7));

      expect(summaryOf(second)).toEqual([
        [RULE, "rule", "unchanged"],
        [GUIDE, "guideline", "created"],
        [ESC, "escalation", "skipped"],
      ]);
      expect(actionOf(second, RULE)?.number).toBe(11);
      expect(actionOf(second, GUIDE)?.number).toBe(12);
      expect(actionOf(second, ESC)?.reason).toBe("1 opened this run already (maxNewPerRun 1)");
      expect(written.pulls.map((p) => p.head)).toEqual([`review-reviewer/${RULE}`, `review-reviewer/${GUIDE}`]);
      expect(written.issues).toEqual([]);
      expect(guard2.problems).toEqual([]);
      expect(again.isDone()).toBe(true);
    });
  });

  // ---------------------------------------------------------------- 3

  it("shows an invalid config in one issue and stops proposals; closes the issue once the config is valid again", async () => {
    await withWorld(async (w) => {
      const INVALID = "proposals:\n  maxNewPerRun: lots\n";
      const issues: { title: string; body: string }[] = [];
      const scope = nock(API);
      const guard = guardOpenApi(scope);
      scope
        .get(`/repos/${FULL}/contents/.github%2Freview-reviewer.yml`)
        .reply(200, INVALID)
        .get(`/repos/${FULL}/issues`)
        .query({ state: "all", creator: SELF_LOGIN, per_page: "100" })
        .reply(200, [])
        .post(`/repos/${FULL}/issues`, (body: { title: string; body: string }) => {
          issues.push(body);
          return body.body.startsWith(`${CONFIG_MARKER}\n`);
        })
        .reply(201, { number: 14 });

      expect(await weekly(w)).toEqual({ ran: [{ repo: FULL, job: "proposals", status: "invalid-config" }], skipped: false });

      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);
      expect(issues).toHaveLength(1);
      expect(issues[0]?.title).toBe("review-reviewer: the configuration is invalid");
      expect(issues[0]?.body).toContain("proposals.maxNewPerRun");
      expect(issues[0]?.body).toContain("validate-config");

      // The same invalid config a week later, the issue open: nothing is written.
      const configIssue: Listed = { number: 14, title: issues[0]?.title ?? "", body: issues[0]?.body ?? "", state: "open", pull: false };
      const again = nock(API);
      const guard2 = guardOpenApi(again);
      const seen2 = recordRequests(again);
      again.get(`/repos/${FULL}/contents/.github%2Freview-reviewer.yml`).reply(200, INVALID);
      expectOwnListing(again, WIDGETS, [configIssue]);

      const second = await direct(w, later(7));

      expect(second.status).toBe("invalid-config");
      expect(second.status === "invalid-config" && second.issue).toEqual({ outcome: "unchanged", number: 14 });
      expect(seen2.filter((r) => !r.startsWith("GET "))).toEqual([]);
      expect(guard2.problems).toEqual([]);
      expect(again.isDone()).toBe(true);

      // Valid again (proposals off, to keep it short): the issue is closed, then the run goes on.
      const third = nock(API);
      const guard3 = guardOpenApi(third);
      let patch: Record<string, unknown> | null = null;
      third.get(`/repos/${FULL}/contents/.github%2Freview-reviewer.yml`).reply(200, "proposals:\n  enabled: false\n");
      expectOwnListing(third, WIDGETS, [configIssue]);
      expectOwnListing(third, WIDGETS, [configIssue]);
      third
        .patch(`/repos/${FULL}/issues/14`, (body: Record<string, unknown>) => {
          patch = body;
          return body.state === "closed";
        })
        .reply(200, { number: 14, state: "closed" });

      const fixed = await direct(w, later(14));

      expect(fixed).toEqual({ status: "disabled", schedule: "0 6 * * 1" });
      expect(patch).toEqual({ state: "closed", body: expect.stringMatching(new RegExp(`^${CONFIG_MARKER}\\n`)) as unknown });
      expect(guard3.problems).toEqual([]);
      expect(third.isDone()).toBe(true);
    });
  });

  // ---------------------------------------------------------------- 4

  const ESC_BODY = `${proposalMarker(ESC)}\n## Process Observation: Keep pull requests focused (indentation, unrelated, revert)\n### Pattern Detected\n`;

  /** `/review-reviewer ignore` as GitHub delivers it: issue_comment.created on one issue. */
  const ignoreDelivery = (opts: { issueAuthor: string; commenter: string; commentId: number; issueBody?: string }): { id: string; name: "issue_comment"; payload: never } => {
    const payload = examplePayload("issue_comment", "created");
    const issue = payload.issue as Record<string, unknown>;
    Object.assign(issue, {
      number: 13,
      state: "open",
      title: ESC_TITLE,
      body: opts.issueBody ?? ESC_BODY,
      user: { ...(issue.user as object), login: opts.issueAuthor, id: opts.issueAuthor === SELF_LOGIN ? 1 : 2001, type: opts.issueAuthor === SELF_LOGIN ? "Bot" : "User" },
    });
    const comment = payload.comment as Record<string, unknown>;
    Object.assign(comment, { id: opts.commentId, body: "/review-reviewer ignore", user: { ...(comment.user as object), login: opts.commenter, id: 3001, type: "User" } });
    Object.assign(payload.repository as object, {
      id: repoIdOf(FULL),
      name: REPO,
      full_name: FULL,
      owner: { ...((payload.repository as { owner: object }).owner), login: OWNER },
    });
    return { id: `ignore-${String(opts.commentId)}`, name: "issue_comment", payload: { ...payload, installation: { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uNzc=" } } as never };
  };
  const IgnoredSchema = z.record(z.string(), z.object({ by: z.string(), at: z.string() }));

  it("/review-reviewer ignore from a maintainer closes the escalation issue, reacts 👍, and the next run leaves the pattern alone", async () => {
    await withWorld(async (w) => {
      const scope = token();
      const guard = guardOpenApi(scope);
      const seen = recordRequests(scope);
      scope
        .get(`/repos/${FULL}/collaborators/maint-mo/permission`)
        .reply(200, { permission: "write", role_name: "write", user: { login: "maint-mo" } })
        .patch(`/repos/${FULL}/issues/13`, (body: unknown) => {
          expect(body).toEqual({ state: "closed" });
          return true;
        })
        .reply(200, { number: 13, state: "closed" })
        .post(`/repos/${FULL}/issues/comments/8801/reactions`, (body: unknown) => {
          expect(body).toEqual({ content: "+1" });
          return true;
        })
        .reply(201, { id: 1, content: "+1" });

      await w.probot.receive(ignoreDelivery({ issueAuthor: SELF_LOGIN, commenter: "maint-mo", commentId: 8801 }));
      await w.jobs.idle();

      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);
      // In this order: who asks, then the close, then the acknowledgement.
      expect(seen.map((r) => r.split(" ").slice(0, 2).join(" "))).toEqual([
        `POST /app/installations/${String(INSTALLATION)}/access_tokens`,
        `GET /repos/${FULL}/collaborators/maint-mo/permission`,
        `PATCH /repos/${FULL}/issues/13`,
        `POST /repos/${FULL}/issues/comments/8801/reactions`,
      ]);
      expect(await readState(w.store, ignoredState(FULL), IgnoredSchema)).toEqual({ [ESC]: { by: "maint-mo", at: NOW.toISOString() } });

      // The weekly run: GitHub lists the issue closed; it is not looked up, reopened or recreated.
      const own: Listed[] = [{ number: 13, title: ESC_TITLE, body: ESC_BODY, state: "closed", pull: false, closedAt: NOW.toISOString() }];
      const written = newWritten();
      const run = nock(API);
      const guard2 = guardOpenApi(run);
      const runSeen = recordRequests(run);
      expectWidgetsStart(run, own, CONFIG);
      expectNewPull(run, RULE, 11, written);
      expectGuidelineReads(run);
      expectNewPull(run, GUIDE, 12, written);

      const outcome = await direct(w);

      expect(summaryOf(outcome)).toEqual([
        [ESC, "escalation", "suppressed"],
        [RULE, "rule", "created"],
        [GUIDE, "guideline", "created"],
      ]);
      expect(actionOf(outcome, ESC)).toMatchObject({ number: 13, reason: "ignored by @maint-mo on 2026-11-23" });
      expect(about(runSeen, ESC)).toEqual([]);
      expect(about(runSeen, "/issues/13")).toEqual([]);
      expect(runSeen.filter((r) => r.startsWith(`POST /repos/${FULL}/issues `))).toEqual([]);
      expect(written.issues).toEqual([]);
      expect(guard2.problems).toEqual([]);
      expect(run.isDone()).toBe(true);
    });
  });

  it("/review-reviewer ignore from someone without write access gets 😕 and changes nothing", async () => {
    await withWorld(async (w) => {
      const scope = token();
      const guard = guardOpenApi(scope);
      scope
        .get(`/repos/${FULL}/collaborators/drive-by/permission`)
        .reply(200, { permission: "read", role_name: "read", user: { login: "drive-by" } })
        .post(`/repos/${FULL}/issues/comments/8802/reactions`, (body: unknown) => {
          expect(body).toEqual({ content: "confused" });
          return true;
        })
        .reply(201, { id: 2, content: "confused" });

      await w.probot.receive(ignoreDelivery({ issueAuthor: SELF_LOGIN, commenter: "drive-by", commentId: 8802 }));
      await w.jobs.idle();

      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);
      expect(await readState(w.store, ignoredState(FULL), IgnoredSchema)).toBeNull();
    }, "none");
  });

  it("/review-reviewer ignore on an issue the app did not open, or without a proposal marker, makes no request at all", async () => {
    await withWorld(async (w) => {
      // Someone else's issue (its body even starts with a marker): the handler does not queue anything.
      await w.probot.receive(ignoreDelivery({ issueAuthor: "ana", commenter: "maint-mo", commentId: 8803 }));
      expect(w.jobs.pending()).toEqual([]);
      // The app's own issue without a leading marker (the config issue, say): queued, then nothing.
      await w.probot.receive(ignoreDelivery({ issueAuthor: SELF_LOGIN, commenter: "maint-mo", commentId: 8804, issueBody: `${CONFIG_MARKER}\nInvalid config.\n` }));
      await w.jobs.idle();

      expect(await readState(w.store, ignoredState(FULL), IgnoredSchema)).toBeNull();
      // Strict nock: no interceptor exists, and the "no match" collector sees no request.
    }, "none");
  });

  // ---------------------------------------------------------------- 5

  it("reports a merged proposal's effect once, four weeks after the merge, and never proposes the pattern again", async () => {
    await withWorld(async (w) => {
      // Merged 35 days before the run: after the fed history (Sept 1 – Oct 11), more than 28 days before now.
      const mergedAt = later(-35).toISOString();
      const own: Listed[] = [{ number: 11, title: RULE_TITLE, body: `${proposalMarker(RULE)}\nReviewers keep asking…\n`, state: "closed", pull: true, mergedAt, closedAt: mergedAt }];
      const QUIET = "proposals:\n  maxNewPerRun: 0\n";
      const comments: { body: string }[] = [];
      const scope = nock(API);
      const guard = guardOpenApi(scope);
      const seen = recordRequests(scope);
      expectWidgetsStart(scope, own, QUIET);
      scope
        .get(`/repos/${FULL}/issues/11/comments`)
        .query({ per_page: "100" })
        .reply(200, [{ id: 901, body: "Thanks, merging.", user: { login: "maint-mo", id: 3001, type: "User" } }])
        .post(`/repos/${FULL}/issues/11/comments`, (body: { body: string }) => {
          comments.push(body);
          return body.body.startsWith(`${effectMarker(RULE)}\n`);
        })
        .reply(201, { id: 902 });

      const first = await direct(w);

      expect(summaryOf(first)).toEqual([
        [RULE, "rule", "suppressed"],
        [GUIDE, "guideline", "skipped"],
        [ESC, "escalation", "skipped"],
      ]);
      expect(actionOf(first, RULE)?.reason).toBe("addressed: #11 was merged");
      expect(actionOf(first, GUIDE)?.reason).toBe("0 opened this run already (maxNewPerRun 0)");
      expect(first.status === "done" && first.effects).toEqual([
        { patternId: RULE, number: 11, outcome: "created", effect: { weeksAfter: 5, before: expect.any(Number) as unknown, after: 0, change: -1 } },
      ]);
      expect(first.status === "done" && first.effects[0]?.effect.before).toBeCloseTo(6 / ((Date.parse(mergedAt) - Date.parse("2026-09-01T10:00:00Z")) / (7 * DAY)), 6);
      expect(first.status === "done" && first.acceptance).toEqual({ proposed: 1, open: 0, merged: 1, closed: 0, rate: 1 });
      expect(about(seen, "/issues/11").map((r) => r.split(" ").slice(0, 2).join(" "))).toEqual([
        `GET /repos/${FULL}/issues/11/comments?per_page=100`,
        `POST /repos/${FULL}/issues/11/comments`,
      ]);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain("since merged");
      expect(comments[0]?.body).toContain("-100%");
      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);

      // A week later: the effect was said; not a request about it.
      const again = nock(API);
      const guard2 = guardOpenApi(again);
      const seen2 = recordRequests(again);
      expectWidgetsStart(again, own, QUIET);

      const second = await direct(w, later(7));

      expect(summaryOf(second)).toEqual([
        [RULE, "rule", "suppressed"],
        [GUIDE, "guideline", "skipped"],
        [ESC, "escalation", "skipped"],
      ]);
      expect(second.status === "done" && second.effects).toEqual([]);
      expect(about(seen2, "/issues/11")).toEqual([]);
      expect(guard2.problems).toEqual([]);
      expect(again.isDone()).toBe(true);
    });
  });

  // ---------------------------------------------------------------- 6

  const WEBAPP = worldRepo(OWNER, "webapp");
  /** The id the learning core gives the console.log pattern (named after its oldest comment). */
  const CONSOLE = "p-c03782d84402";
  const hunk = (line: string): string => `@@ -10,3 +10,4 @@ export function load(id) {\n   const data = fetchData(id);\n+  ${line}\n   return data;`;
  const CONSOLE_COMMENTS: FedComment[] = [
    { id: 7001, body: "Please remove the console.log before merging.", path: "src/api/client.js", hunk: hunk("console.log(data);"), pull: 201 },
    { id: 7002, body: "leftover console.log", path: "src/ui/form.js", hunk: hunk('console.log("submit", values);'), pull: 202 },
    { id: 7003, body: "remove debug console.log calls", path: "src/util/dates.js", hunk: hunk("console.log(date, offset);"), pull: 203 },
    { id: 7004, body: "Leftover console.log here, please remove it before merging.", path: "src/api/users.js", hunk: hunk("console.log(users);"), pull: 204 },
  ];
  /** A flat config with a syntax error: the second `rules` object is never closed. */
  const BROKEN_ESLINT = 'import js from "@eslint/js";\n\nexport default [\n  js.configs.recommended,\n  {\n    rules: {\n      semi: ["error", "always"],\n  },\n];\n';
  const WEBAPP_PACKAGE = `${JSON.stringify({ name: "webapp", type: "module", scripts: { lint: "eslint ." }, devDependencies: { eslint: "^9.0.0", "@eslint/js": "^9.0.0" } }, null, 2)}\n`;

  it("turns a rule into a guideline PR when the repository's ESLint config cannot be edited safely", async () => {
    await withWorld(async (w) => {
      expect(await feedComments(w.probot, WEBAPP, CONSOLE_COMMENTS)).toBe(4);
      const written = newWritten();
      const scope = nock(API);
      const guard = guardOpenApi(scope);
      expectRunStartIn(scope, WEBAPP, {
        own: [],
        config: CONFIG,
        root: ["eslint.config.js", "package.json", "README.md", "src/"],
        files: { "package.json": WEBAPP_PACKAGE, "eslint.config.js": BROKEN_ESLINT },
      });
      expectGuidelineReadsIn(scope, WEBAPP, {});
      expectNewPullIn(scope, WEBAPP, CONSOLE, 11, written);

      const outcome = await direct(w, NOW, WEBAPP);

      expect(summaryOf(outcome)).toEqual([[CONSOLE, "guideline", "created"]]);
      expect(outcome.status === "done" && outcome.linters).toEqual(["eslint"]);
      expect(written.pulls.map((p) => [p.title, p.head])).toEqual([["Guideline: Remove leftover print and console.log calls", `review-reviewer/${CONSOLE}`]]);
      const body = written.pulls[0]?.body ?? "";
      expect(body.startsWith(`${proposalMarker(CONSOLE)}\n`)).toBe(true);
      expect(body).toContain("eslint.config.js cannot be edited safely");
      expect(body).toContain("no-console");
      const committed = written.trees.flatMap((t) => t.tree.map((e) => e.path));
      expect(committed).toEqual(["CONTRIBUTING.md"]);
      expect(committed).not.toContain("eslint.config.js");
      expect(written.trees[0]?.tree[0]?.content).toContain(`Don't commit print or console.log calls; write lasting output through the project's logger. <!-- review-reviewer:pattern:${CONSOLE} -->`);
      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);
    }, "none");
  });

  it("does not propose what one reviewer without a role in the repository keeps asking for", async () => {
    await withWorld(async (w) => {
      const outsiderRepo = worldRepo(OWNER, "public-lib");
      let i = 0;
      for (const c of CONSOLE_COMMENTS) {
        const payload = commentPayloadIn(outsiderRepo, i++, c.id + 100, c.body, c.path, c.hunk, c.pull);
        Object.assign(payload.comment as object, { user: { login: "drive-by", id: 4242_4242, type: "User" }, author_association: "NONE" });
        await w.probot.receive({ id: `outsider-${String(c.id)}`, name: "pull_request_review_comment", payload: payload as never });
      }
      const scope = nock(API);
      expectRunStartIn(scope, outsiderRepo, { own: [], config: CONFIG, root: ["package.json", "README.md"], files: { "package.json": WEBAPP_PACKAGE } });

      const outcome = await direct(w, NOW, outsiderRepo);

      expect(outcome.status === "done" ? [outcome.comments, outcome.patterns, outcome.actions] : outcome.status).toEqual([4, 0, []]);
      expect(scope.isDone()).toBe(true);
    }, "none");
  });

  // ---------------------------------------------------------------- 7

  it("the CLI's dry run reads everything, writes nothing, and prints the three proposals with their bodies", async () => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: join(dir, "signals") });
      try {
        const probot = createTestProbot();
        await probot.load(appFor(store, createJobQueue(silentLog), () => NOW));
        expect(await feedHistory(probot)).toBe(21);
      } finally {
        await store.close();
      }

      const scope = nock(API);
      const guard = guardOpenApi(scope);
      const seen = recordRequests(scope);
      scope.get("/user").reply(200, { login: SELF_LOGIN, id: 1, type: "Bot" });
      expectWidgetsStart(scope, [], CONFIG);
      expectPullLookup(scope, WIDGETS, RULE);
      expectGuidelineReads(scope);
      expectPullLookup(scope, WIDGETS, GUIDE);
      expectOwnListing(scope, WIDGETS, []);
      const out: string[] = [];
      const err: string[] = [];

      const code = await runCli(["run", "--repo", FULL, "--dry-run", "--data-dir", dir], {
        out: (t) => out.push(t),
        err: (t) => err.push(t),
        env: { GITHUB_TOKEN: "ghp_test" },
      });

      expect(err.join("")).toBe("");
      expect(code).toBe(0);
      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);
      expect(seen.filter((r) => !r.startsWith("GET "))).toEqual([]);
      const stdout = out.join("");
      const lines = stdout.split("\n");
      for (const [id, kind] of [
        [RULE, "rule"],
        [GUIDE, "guideline"],
        [ESC, "escalation"],
      ] as const) {
        expect(lines.filter((l) => new RegExp(`^dry-run-create\\s+${kind}\\s+${id}\\s`).test(l))).toHaveLength(1);
        expect(stdout).toContain(`${proposalMarker(id)}\n`);
      }
      expect(stdout).toContain("Dry run: nothing was written.");
      expect(stdout).toContain(`=== ${RULE_TITLE} (rule: pyproject.toml) ===`);
      expect(stdout).toContain("=== Guideline: Add comment (guideline: CONTRIBUTING.md, AGENTS.md) ===");
      expect(stdout).toContain(`=== ${ESC_TITLE} (escalation) ===`);

      // Nothing was stored either: no pattern ids, no acceptance.
      const after = await LowdbSignalStore.open({ dataDir: join(dir, "signals"), readOnly: true });
      try {
        expect(await after.getCursor(`state:patterns:${FULL}`)).toBeNull();
        expect(await after.getCursor(`state:acceptance:${FULL}`)).toBeNull();
      } finally {
        await after.close();
      }
    });
  });
});
