import { readFileSync } from "node:fs";
import nock from "nock";
import type { Probot } from "probot";
import { CHECKS_DIR, loadCatalog } from "../../src/checks/catalog.js";
import type { Check } from "../../src/checks/schema.js";
import { proposeRepo, type ProposeOutcome } from "../../src/jobs/propose-repo.js";
import { createJobQueue } from "../../src/jobs/queue.js";
import { runWeekly, type WeeklySummary } from "../../src/jobs/weekly.js";
import { silentLog } from "../../src/shared/logger.js";
import { LowdbSignalStore } from "../../src/store/lowdb-store.js";
import { appFor, SELF_LOGIN } from "../helpers/app.js";
import { examplePayload, repoIdOf } from "../helpers/fixtures.js";
import { guardOpenApi } from "../helpers/openapi.js";
import { createTestProbot } from "../helpers/probot.js";
import { withTempDir } from "../helpers/signals.js";

/**
 * End to end: a repository's review history arrives through Probot
 * webhooks (texts of real review comments from examples/crc-py, MIT), then
 * the weekly job runs against strict nock. Every request is expected, every
 * expectation used, write bodies asserted, and every request checked
 * against GitHub's OpenAPI description.
 */
const API = "https://api.github.com";
const OWNER = "acme";
const REPO = "widgets";
const FULL = `${OWNER}/${REPO}`;
const INSTALLATION = 77;
const NOW = new Date("2026-11-23T06:30:00Z");

interface RealComment {
  id: number;
  body: string;
  path: string;
  diff_hunk: string;
  line: number | null;
  original_line: number | null;
}
const real = new Map((JSON.parse(readFileSync(new URL("../../examples/crc-py/review-comments.json", import.meta.url), "utf8")) as RealComment[]).map((c) => [c.id, c]));

/** Comments reviewers really wrote: type hints (a ruff rule), explanatory comments (a guideline), unrelated changes (a process decision), and noise. */
const HISTORY = {
  typeHints: [926082671, 994289201, 1179788828, 1369908079, 1375062087, 1785442421],
  explainComments: [999327659, 1292730790, 1315368431, 1368675753, 2403941605, 2413261691, 2442424257],
  unrelatedChanges: [292387793, 1233338884, 1241025427, 1623732622, 2296637522],
};
const NOISE = ["Thanks, LGTM!", "Why is this needed?", "Nice catch."];
/** The ids the learning core gives these patterns (named after their oldest comment). */
const RULE = "p-7338dde3fef1";
const GUIDE = "p-ab0f90b3dfeb";
const ESC = "p-efb554a34ffc";

const AUTHORS = ["ana", "bo", "chen", "dara", "eli"];
const REVIEWERS = ["rev-a", "rev-b", "rev-c"];

const commentPayload = (i: number, id: number, body: string, path: string, hunk: string): Record<string, unknown> => {
  const payload = examplePayload("pull_request_review_comment", "created");
  const at = new Date(Date.parse("2026-09-01T10:00:00Z") + i * 2 * 86_400_000).toISOString();
  Object.assign(payload.comment as object, {
    id,
    node_id: `PRRC_${String(id)}`,
    body,
    path,
    diff_hunk: hunk,
    line: 3,
    original_line: 3,
    start_line: null,
    original_start_line: null,
    in_reply_to_id: undefined,
    user: { ...((payload.comment as { user: object }).user), login: REVIEWERS[i % 3], id: 1000 + (i % 3), type: "User" },
    html_url: `https://github.com/${FULL}/pull/${String(101 + (i % 11))}#discussion_r${String(id)}`,
    created_at: at,
    updated_at: at,
    author_association: "MEMBER",
  });
  Object.assign(payload.pull_request as object, {
    number: 101 + (i % 11),
    user: { ...((payload.pull_request as { user: object }).user), login: AUTHORS[i % 5], id: 2000 + (i % 5), type: "User" },
  });
  Object.assign(payload.repository as object, {
    id: repoIdOf(FULL),
    name: REPO,
    full_name: FULL,
    owner: { ...((payload.repository as { owner: object }).owner), login: OWNER },
  });
  return { ...payload, installation: { id: INSTALLATION, node_id: "MDIzOkludGVncmF0aW9uNzc=" } };
};

const feedHistory = async (probot: Probot): Promise<number> => {
  const ids = [...HISTORY.typeHints, ...HISTORY.unrelatedChanges, ...HISTORY.explainComments];
  let i = 0;
  for (const id of ids) {
    const c = real.get(id);
    if (c === undefined) throw new Error(`comment ${String(id)} is not in the example export`);
    await probot.receive({ id: `d-${String(id)}`, name: "pull_request_review_comment", payload: commentPayload(i++, id, c.body, c.path, c.diff_hunk) as never });
  }
  for (const body of NOISE) await probot.receive({ id: `noise-${String(i)}`, name: "pull_request_review_comment", payload: commentPayload(i++, 9_000_000 + i, body, "src/app.py", "@@ -1,3 +1,3 @@\n a\n-b\n+c") as never });
  return i;
};

const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
const file = (path: string, text: string): Record<string, unknown> => ({ type: "file", name: path.split("/").pop(), path, sha: `sha-${path}`, size: text.length, encoding: "base64", content: b64(text) });

const PYPROJECT = '[project]\nname = "widgets"\n\n[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nselect = ["E", "F"]\n';
const CONTRIBUTING = "# Contributing\n\nRun the tests before you push.\n";
const AGENTS = "# Agent instructions\n\nUse `uv run pytest`.\n";
const CONFIG = "proposals:\n  maxNewPerRun: 3\n";

/** Octokit encodes a slash inside a path parameter. */
const enc = (p: string): string => encodeURIComponent(p);
const CONFIG_PATH = `/repos/${FULL}/contents/.github%2Freview-reviewer.yml`;
const OWN_ISSUES = { state: "all", creator: SELF_LOGIN, per_page: "100" };

/** What GitHub holds of the app's own proposals, as the issues listing shows them. */
interface Listed {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  pull: boolean;
  mergedAt?: string | null;
  closedAt?: string | null;
}
const listing = (items: readonly Listed[]): Record<string, unknown>[] =>
  items.map((x) => ({
    id: 5000 + x.number,
    number: x.number,
    title: x.title,
    body: x.body,
    state: x.state,
    user: { login: SELF_LOGIN, id: 1, type: "Bot" },
    created_at: "2026-11-16T06:00:00Z",
    closed_at: x.closedAt ?? null,
    html_url: `https://github.com/${FULL}/${x.pull ? "pull" : "issues"}/${String(x.number)}`,
    ...(x.pull ? { pull_request: { url: `${API}/repos/${FULL}/pulls/${String(x.number)}`, merged_at: x.mergedAt ?? null } } : {}),
  }));

/** The reads every run starts with: config, config issue, root listing, the linters' files, own proposals. */
const expectRunStart = (scope: nock.Scope, own: readonly Listed[], config = CONFIG): void => {
  scope
    .get(CONFIG_PATH)
    .reply(200, config)
    .get(`/repos/${FULL}/issues`)
    .query(OWN_ISSUES)
    .reply(200, listing(own))
    .get(`/repos/${FULL}`)
    .reply(200, { id: repoIdOf(FULL), full_name: FULL, default_branch: "main" })
    .get(`/repos/${FULL}/git/trees/main`)
    .reply(200, {
      sha: "main-tree",
      truncated: false,
      tree: ["pyproject.toml", "CONTRIBUTING.md", "AGENTS.md", "README.md", ".github"].map((path) => ({ path, type: path === ".github" ? "tree" : "blob", mode: "100644", sha: `sha-${path}` })),
    })
    .get(`/repos/${FULL}/contents/pyproject.toml`)
    .reply(200, file("pyproject.toml", PYPROJECT))
    .get(`/repos/${FULL}/issues`)
    .query(OWN_ISSUES)
    .reply(200, listing(own));
};

/** The guideline PR reads the guidelines file and every agent file at the default branch. */
const expectGuidelineReads = (scope: nock.Scope): void => {
  scope
    .get(`/repos/${FULL}/contents/CONTRIBUTING.md`)
    .reply(200, file("CONTRIBUTING.md", CONTRIBUTING))
    .get(`/repos/${FULL}/contents/AGENTS.md`)
    .reply(200, file("AGENTS.md", AGENTS))
    .get(`/repos/${FULL}/contents/CLAUDE.md`)
    .reply(404, { message: "Not Found" })
    .get(`/repos/${FULL}/contents/${enc(".github/copilot-instructions.md")}`)
    .reply(404, { message: "Not Found" });
};

interface Written {
  trees: { base_tree: string; tree: { path: string; mode: string; type: string; content: string }[] }[];
  pulls: { title: string; body: string; head: string; base: string; maintainer_can_modify: boolean }[];
  issues: { title: string; body: string }[];
  refs: { ref: string; sha: string }[];
}

/** A new proposal PR: the default branch's head, one tree, one commit, the branch, the PR. Bodies captured for assertions. */
const expectNewPull = (scope: nock.Scope, patternId: string, number: number, written: Written): void => {
  const branch = `review-reviewer/${patternId}`;
  scope
    .get(`/repos/${FULL}`)
    .reply(200, { id: repoIdOf(FULL), full_name: FULL, default_branch: "main" })
    .get(`/repos/${FULL}/pulls`)
    .query({ state: "all", head: `${OWNER}:${branch}`, per_page: "10" })
    .reply(200, [])
    .get(`/repos/${FULL}/git/ref/${enc("heads/main")}`)
    .reply(200, { ref: "refs/heads/main", object: { sha: "main-sha", type: "commit" } })
    .get(`/repos/${FULL}/git/commits/main-sha`)
    .reply(200, { sha: "main-sha", tree: { sha: "main-tree" } })
    .post(`/repos/${FULL}/git/trees`, (body: Written["trees"][number]) => {
      written.trees.push(body);
      return body.base_tree === "main-tree";
    })
    .reply(201, { sha: `tree-${patternId}` })
    .post(`/repos/${FULL}/git/commits`, (body: { tree: string; parents: string[]; message: string }) => body.tree === `tree-${patternId}` && body.parents[0] === "main-sha" && body.message.includes(patternId))
    .reply(201, { sha: `commit-${patternId}` })
    .post(`/repos/${FULL}/git/refs`, (body: Written["refs"][number]) => {
      written.refs.push(body);
      return body.ref === `refs/heads/${branch}` && body.sha === `commit-${patternId}`;
    })
    .reply(201, { ref: `refs/heads/${branch}` })
    .post(`/repos/${FULL}/pulls`, (body: Written["pulls"][number]) => {
      written.pulls.push(body);
      return body.head === branch && body.base === "main";
    })
    .reply(201, { number, html_url: `https://github.com/${FULL}/pull/${String(number)}` });
};

const newWritten = (): Written => ({ trees: [], pulls: [], issues: [], refs: [] });

describe("the weekly run, end to end", () => {
  let catalog: Check[] = [];
  beforeAll(async () => {
    catalog = await loadCatalog(CHECKS_DIR);
  });

  const withHistory = async (fn: (store: LowdbSignalStore, probot: Probot) => Promise<void>): Promise<void> => {
    await withTempDir(async (dir) => {
      const store = await LowdbSignalStore.open({ dataDir: dir });
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

  const unmatched: string[] = [];
  const onNoMatch = (req: { method?: string; path?: string }): void => {
    unmatched.push(`${req.method ?? "?"} ${req.path ?? "?"}`);
  };
  beforeEach(() => {
    unmatched.length = 0;
    nock.emitter.on("no match", onNoMatch);
  });
  afterEach(() => {
    nock.emitter.removeListener("no match", onNoMatch);
    expect(unmatched).toEqual([]);
  });

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

      expect(summary).toEqual({ ran: [{ repo: FULL, status: "done" }], skipped: false });
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
          .reply(200, { id: repoIdOf(FULL), full_name: FULL, default_branch: "main" })
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
