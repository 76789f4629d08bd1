import nock from "nock";
import type { Probot } from "probot";
import { CHECKS_DIR, loadCatalog } from "../../src/checks/catalog.js";
import type { Check } from "../../src/checks/schema.js";
import { proposeRepo } from "../../src/jobs/propose-repo.js";
import type { ProposeOutcome } from "../../src/jobs/propose/types.js";
import { createJobQueue } from "../../src/jobs/queue.js";
import { runWeekly, type WeeklySummary } from "../../src/jobs/weekly.js";
import { silentLog } from "../../src/shared/logger.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { appFor, SELF_LOGIN } from "../helpers/app.js";
import { repoIdOf } from "../helpers/fixtures.js";
import { guardOpenApi } from "../helpers/openapi.js";
import { createTestProbot } from "../helpers/probot.js";
import {
  API,
  CONTRIBUTING,
  ESC,
  expectGuidelineReads,
  expectNewPull,
  expectRunStart,
  feedHistory,
  file,
  FULL,
  GUIDE,
  INSTALLATION,
  listing,
  newWritten,
  NOW,
  OWN_ISSUES,
  OWNER,
  PYPROJECT,
  REPO,
  RULE,
  type Listed,
  type Written,
} from "../helpers/propose-world.js";
import { withTempDir } from "../helpers/signals.js";

/**
 * End to end: a repository's review history arrives through Probot
 * webhooks (texts of real review comments from examples/crc-py, MIT), then
 * the weekly job runs against strict nock. Every request is expected, every
 * expectation used, write bodies asserted, and every request checked
 * against GitHub's OpenAPI description.
 */
describe("the weekly run, end to end", () => {
  let catalog: Check[] = [];
  beforeAll(async () => {
    catalog = await loadCatalog(CHECKS_DIR);
  });

  const withHistory = async (fn: (store: LowdbSignalStore, probot: Probot) => Promise<void>): Promise<void> => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir, fsync: false });
      try {
        const probot = createTestProbot();
        await probot.load(appFor(store, createJobQueue(silentLog), () => NOW));
        expect(await feedHistory(probot)).toBe(21);
        await fn(store, probot);
      } finally {
        await store.close();
      }
    });
  };

  const weekly = (store: LowdbSignalStore, probot: Probot, now = NOW): Promise<WeeklySummary> =>
    runWeekly({
      store,
      clock: () => now,
      log: silentLog,
      catalog,
      author: SELF_LOGIN,
      self: { appId: 4242, appSlug: "review-reviewer" },
      jobs: createJobQueue(silentLog),
      auth: (id) => probot.auth(id),
      holder: "test-replica",
    });

  const direct = (store: LowdbSignalStore, probot: Probot, dryRun = false, now = NOW): Promise<ProposeOutcome> =>
    probot.auth(INSTALLATION).then((octokit) =>
      proposeRepo({ store, clock: () => now, log: silentLog, catalog, author: SELF_LOGIN, self: { appId: 4242, appSlug: "review-reviewer" } }, octokit, { owner: OWNER, repo: REPO, dryRun }),
    );

  // An unexpected request to GitHub fails the test: test/helpers/setup-nock.ts checks it after each test.

  it("opens exactly one rule PR, one guideline PR and one escalation issue; a second run writes nothing", async () => {
    await withHistory(async (store, probot) => {
      const written = newWritten();
      const scope = nock(API).post(`/app/installations/${String(INSTALLATION)}/access_tokens`).reply(201, { token: "ghs_inst", expires_at: "2099-01-01T00:00:00Z" });
      const guard = guardOpenApi(scope);
      expectRunStart(scope, []);
      expectNewPull(scope, RULE, 11, written);
      expectGuidelineReads(scope);
      expectNewPull(scope, GUIDE, 12, written);
      scope
        .get(`/repos/${FULL}/issues`)
        .query(OWN_ISSUES)
        .reply(200, [])
        .post(`/repos/${FULL}/issues`, (body: Written["issues"][number]) => {
          written.issues.push(body);
          return true;
        })
        .reply(201, { number: 13 });

      const summary = await weekly(store, probot);

      expect(summary).toEqual({ ran: [{ repo: FULL, job: "proposals", status: "done" }], skipped: false });
      expect(guard.problems).toEqual([]);
      expect(scope.isDone()).toBe(true);

      // The files, exactly.
      const files = Object.fromEntries(written.trees.flatMap((t) => t.tree.map((e) => [e.path, e.content])));
      expect(Object.keys(files).sort()).toEqual(["AGENTS.md", "CONTRIBUTING.md", "pyproject.toml"]);
      expect(files["pyproject.toml"]).toBe(PYPROJECT.replace("[tool.ruff.lint]\n", '[tool.ruff.lint]\nextend-select = ["ANN001", "ANN002", "ANN003"]\n'));
      expect(files["CONTRIBUTING.md"]).toBe(
        `${CONTRIBUTING}\n## Review guidelines learned from code review\n\nReviewers asked for these again and again; following them saves a review round. Maintained by review-reviewer from review history: edit outside this section freely, and change these lines through its pull requests.\n\n<!-- review-reviewer:guidelines:start -->\n- Add comment. <!-- review-reviewer:pattern:${GUIDE} -->\n<!-- review-reviewer:guidelines:end -->\n`,
      );
      expect(files["AGENTS.md"]).toContain(`- Add comment. <!-- review-reviewer:pattern:${GUIDE} -->`);
      for (const t of written.trees) for (const e of t.tree) expect([e.mode, e.type]).toEqual(["100644", "blob"]);

      // The PRs and the issue: titles, branches, and bodies (snapshots).
      expect(written.pulls.map((p) => [p.title, p.head, p.base, p.maintainer_can_modify])).toEqual([
        ["Lint: Add type hints to function parameters", `review-reviewer/${RULE}`, "main", true],
        ["Guideline: Add comment", `review-reviewer/${GUIDE}`, "main", true],
      ]);
      expect(written.issues.map((i) => i.title)).toEqual(["Process Observation: Keep pull requests focused (indentation, unrelated, revert)"]);
      expect(written.pulls[0]?.body).toMatchSnapshot("rule PR body");
      expect(written.pulls[1]?.body).toMatchSnapshot("guideline PR body");
      expect(written.issues[0]?.body).toMatchSnapshot("escalation issue body");
      const escalation = written.issues[0]?.body ?? "";
      for (const heading of ["## Process Observation: ", "### Pattern Detected", "### Evidence", "### Impact", "### Proposed Fix", "### Decision Needed"]) expect(escalation).toContain(heading);

      // Second run, a week later: GitHub holds the three proposals; nothing is written.
      const own: Listed[] = [
        { number: 11, title: written.pulls[0]?.title ?? "", body: written.pulls[0]?.body ?? "", state: "open", pull: true },
        { number: 12, title: written.pulls[1]?.title ?? "", body: written.pulls[1]?.body ?? "", state: "open", pull: true },
        { number: 13, title: written.issues[0]?.title ?? "", body: escalation, state: "open", pull: false },
      ];
      const again = nock(API);
      const guard2 = guardOpenApi(again);
      expectRunStart(again, own);
      const openPull = (n: Listed, id: string): void => {
        again
          .get(`/repos/${FULL}`)
          .reply(200, { id: repoIdOf(FULL), full_name: FULL, default_branch: "main", has_issues: true })
          .get(`/repos/${FULL}/pulls`)
          .query({ state: "all", head: `${OWNER}:review-reviewer/${id}`, per_page: "10" })
          .reply(200, [{ number: n.number, state: "open", title: n.title, body: n.body, head: { sha: `commit-${id}`, ref: `review-reviewer/${id}` } }]);
      };
      openPull(own[0] as Listed, RULE);
      again
        .get(`/repos/${FULL}/contents/pyproject.toml`)
        .query({ ref: `review-reviewer/${RULE}` })
        .reply(200, file("pyproject.toml", files["pyproject.toml"] ?? ""));
      expectGuidelineReads(again);
      openPull(own[1] as Listed, GUIDE);
      again
        .get(`/repos/${FULL}/contents/CONTRIBUTING.md`)
        .query({ ref: `review-reviewer/${GUIDE}` })
        .reply(200, file("CONTRIBUTING.md", files["CONTRIBUTING.md"] ?? ""))
        .get(`/repos/${FULL}/contents/AGENTS.md`)
        .query({ ref: `review-reviewer/${GUIDE}` })
        .reply(200, file("AGENTS.md", files["AGENTS.md"] ?? ""))
        .get(`/repos/${FULL}/issues`)
        .query(OWN_ISSUES)
        .reply(200, listing(own));

      const second = await direct(store, probot, false, new Date(NOW.getTime() + 7 * 86_400_000));

      expect(second.status === "done" ? second.actions.map((a) => [a.patternId, a.kind, a.action]) : second.status).toEqual([
        [RULE, "rule", "unchanged"],
        [GUIDE, "guideline", "unchanged"],
        [ESC, "escalation", "unchanged"],
      ]);
      expect(guard2.problems).toEqual([]);
      expect(again.isDone()).toBe(true);
    });
  });
});
