import { readFileSync } from "node:fs";
import type nock from "nock";
import type { Probot } from "probot";
import { SELF_LOGIN } from "./app.js";
import { examplePayload, repoIdOf } from "./fixtures.js";

/**
 * A repository's world for the proposal end-to-end tests: its review
 * history as Probot webhook payloads (texts of real review comments from
 * examples/crc-py, MIT), its files, and strict nock expectations for the
 * requests a proposal run makes.
 */
export const API = "https://api.github.com";
export const OWNER = "acme";
export const REPO = "widgets";
export const FULL = `${OWNER}/${REPO}`;
export const INSTALLATION = 77;
export const NOW = new Date("2026-11-23T06:30:00Z");

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
export const HISTORY = {
  typeHints: [926082671, 994289201, 1179788828, 1369908079, 1375062087, 1785442421],
  explainComments: [999327659, 1292730790, 1315368431, 1368675753, 2403941605, 2413261691, 2442424257],
  unrelatedChanges: [292387793, 1233338884, 1241025427, 1623732622, 2296637522],
};
export const NOISE = ["Thanks, LGTM!", "Why is this needed?", "Nice catch."];
/** The ids the learning core gives these patterns (named after their oldest comment). */
export const RULE = "p-7338dde3fef1";
export const GUIDE = "p-ab0f90b3dfeb";
export const ESC = "p-efb554a34ffc";

const AUTHORS = ["ana", "bo", "chen", "dara", "eli"];
const REVIEWERS = ["rev-a", "rev-b", "rev-c"];

/** A repository the world knows: the history is fed for it and the requests expected against it. */
export interface WorldRepo {
  owner: string;
  repo: string;
  full: string;
  installation: number;
}
export const WIDGETS: WorldRepo = { owner: OWNER, repo: REPO, full: FULL, installation: INSTALLATION };
export const worldRepo = (owner: string, repo: string, installation = INSTALLATION): WorldRepo => ({ owner, repo, full: `${owner}/${repo}`, installation });

/**
 * A pull_request_review_comment.created delivery for `target`: comment i of a
 * history is written two days after the one before (from 2026-09-01), by one
 * of three reviewers, on PR `pull` (by default 101 + i % 11).
 */
export const commentPayloadIn = (target: WorldRepo, i: number, id: number, body: string, path: string, hunk: string, pull = 101 + (i % 11)): Record<string, unknown> => {
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
    html_url: `https://github.com/${target.full}/pull/${String(pull)}#discussion_r${String(id)}`,
    created_at: at,
    updated_at: at,
    author_association: "MEMBER",
  });
  Object.assign(payload.pull_request as object, {
    number: pull,
    user: { ...((payload.pull_request as { user: object }).user), login: AUTHORS[i % 5], id: 2000 + (i % 5), type: "User" },
  });
  Object.assign(payload.repository as object, {
    id: repoIdOf(target.full),
    name: target.repo,
    full_name: target.full,
    owner: { ...((payload.repository as { owner: object }).owner), login: target.owner },
  });
  return { ...payload, installation: { id: target.installation, node_id: "MDIzOkludGVncmF0aW9uNzc=" } };
};

export const commentPayload = (i: number, id: number, body: string, path: string, hunk: string): Record<string, unknown> => commentPayloadIn(WIDGETS, i, id, body, path, hunk);

/** A review comment to feed: its id, text, file and hunk, and the PR it is on. */
export interface FedComment {
  id: number;
  body: string;
  path: string;
  hunk: string;
  pull: number;
}

/** Feeds comments for `target` through Probot's webhook path, comment i dated as in commentPayloadIn. Returns how many. */
export const feedComments = async (probot: Probot, target: WorldRepo, comments: readonly FedComment[]): Promise<number> => {
  let i = 0;
  for (const c of comments) {
    await probot.receive({ id: `d-${target.full}-${String(c.id)}`, name: "pull_request_review_comment", payload: commentPayloadIn(target, i++, c.id, c.body, c.path, c.hunk, c.pull) as never });
  }
  return i;
};

export const feedHistory = async (probot: Probot): Promise<number> => {
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

export const b64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");
export const file = (path: string, text: string): Record<string, unknown> => ({ type: "file", name: path.split("/").pop(), path, sha: `sha-${path}`, size: text.length, encoding: "base64", content: b64(text) });

export const PYPROJECT = '[project]\nname = "widgets"\n\n[tool.ruff]\nline-length = 100\n\n[tool.ruff.lint]\nselect = ["E", "F"]\n';
export const CONTRIBUTING = "# Contributing\n\nRun the tests before you push.\n";
export const AGENTS = "# Agent instructions\n\nUse `uv run pytest`.\n";
export const CONFIG = "proposals:\n  maxNewPerRun: 3\n";

/** Octokit encodes a slash inside a path parameter. */
export const enc = (p: string): string => encodeURIComponent(p);
export const CONFIG_PATH = `/repos/${FULL}/contents/.github%2Freview-reviewer.yml`;
export const OWN_ISSUES = { state: "all", creator: SELF_LOGIN, per_page: "100" };

/** What GitHub holds of the app's own proposals, as the issues listing shows them. */
export interface Listed {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  pull: boolean;
  mergedAt?: string | null;
  closedAt?: string | null;
}
export const listingIn = (full: string, items: readonly Listed[]): Record<string, unknown>[] =>
  items.map((x) => ({
    id: 5000 + x.number,
    number: x.number,
    title: x.title,
    body: x.body,
    state: x.state,
    user: { login: SELF_LOGIN, id: 1, type: "Bot" },
    created_at: "2026-11-16T06:00:00Z",
    closed_at: x.closedAt ?? null,
    html_url: `https://github.com/${full}/${x.pull ? "pull" : "issues"}/${String(x.number)}`,
    ...(x.pull ? { pull_request: { url: `${API}/repos/${full}/pulls/${String(x.number)}`, merged_at: x.mergedAt ?? null } } : {}),
  }));
export const listing = (items: readonly Listed[]): Record<string, unknown>[] => listingIn(FULL, items);

/** The reads every run starts with: config, config issue, root listing, the linters' files, own proposals. */
export const expectRunStart = (scope: nock.Scope, own: readonly Listed[], config = CONFIG): void => {
  scope
    .get(CONFIG_PATH)
    .reply(200, config)
    .get(`/repos/${FULL}/issues`)
    .query(OWN_ISSUES)
    .reply(200, listing(own))
    .get(`/repos/${FULL}`)
    .reply(200, { id: repoIdOf(FULL), full_name: FULL, default_branch: "main", has_issues: true })
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
export const expectGuidelineReads = (scope: nock.Scope): void => {
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

export interface Written {
  trees: { base_tree: string; tree: { path: string; mode: string; type: string; content: string }[] }[];
  pulls: { title: string; body: string; head: string; base: string; maintainer_can_modify: boolean }[];
  issues: { title: string; body: string }[];
  refs: { ref: string; sha: string }[];
}

/** A new proposal PR: the default branch's head, one tree, one commit, the branch, the PR. Bodies captured for assertions. */
export const expectNewPull = (scope: nock.Scope, patternId: string, number: number, written: Written): void => {
  const branch = `review-reviewer/${patternId}`;
  scope
    .get(`/repos/${FULL}`)
    .reply(200, { id: repoIdOf(FULL), full_name: FULL, default_branch: "main", has_issues: true })
    .get(`/repos/${FULL}/pulls`)
    .query({ state: "all", head: `${OWNER}:${branch}`, per_page: "10" })
    .reply(200, [])
    // No branch left over from an interrupted run.
    .get(`/repos/${FULL}/git/ref/${enc(`heads/${branch}`)}`)
    .reply(404, { message: "Not Found" })
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

export const newWritten = (): Written => ({ trees: [], pulls: [], issues: [], refs: [] });


// ---------- the same, for any repository ----------

export const configPathOf = (full: string): string => `/repos/${full}/contents/.github%2Freview-reviewer.yml`;

/**
 * The config read through Probot's config plugin: the repo's file, or (null)
 * a 404 there and a 404 in the org's `.github` repository, then defaults.
 */
export const expectConfig = (scope: nock.Scope, target: WorldRepo, config: string | null): void => {
  if (config !== null) {
    scope.get(configPathOf(target.full)).reply(200, config);
    return;
  }
  scope.get(configPathOf(target.full)).reply(404, { message: "Not Found" }).get(configPathOf(`${target.owner}/.github`)).reply(404, { message: "Not Found" });
};

/** The app's own issues and PRs, as one listing request answers it. */
export const expectOwnListing = (scope: nock.Scope, target: WorldRepo, own: readonly Listed[]): void => {
  scope.get(`/repos/${target.full}/issues`).query(OWN_ISSUES).reply(200, listingIn(target.full, own));
};

export interface RunStart {
  own: readonly Listed[];
  /** The config file's text; null: no file in the repo nor in the org's .github repo. */
  config: string | null;
  /** Names at the repository's root (directories end with "/"). */
  root: readonly string[];
  /** Files the linter probe reads (package.json, pyproject.toml, eslint.config.*), by name. */
  files: Readonly<Record<string, string>>;
}

/** The reads every run starts with, for any repository: config, config issue, root listing, the linters' files, own proposals. */
export const expectRunStartIn = (scope: nock.Scope, target: WorldRepo, start: RunStart): void => {
  expectConfig(scope, target, start.config);
  expectOwnListing(scope, target, start.own);
  scope
    .get(`/repos/${target.full}`)
    .reply(200, { id: repoIdOf(target.full), full_name: target.full, default_branch: "main", has_issues: true })
    .get(`/repos/${target.full}/git/trees/main`)
    .reply(200, {
      sha: "main-tree",
      truncated: false,
      tree: start.root.map((name) => {
        const dir = name.endsWith("/");
        const path = dir ? name.slice(0, -1) : name;
        return { path, type: dir ? "tree" : "blob", mode: dir ? "040000" : "100644", sha: `sha-${path}` };
      }),
    });
  for (const [name, text] of Object.entries(start.files)) scope.get(`/repos/${target.full}/contents/${enc(name)}`).reply(200, file(name, text));
  expectOwnListing(scope, target, start.own);
};

/** acme/widgets' root (the Python repository of the fed history). */
export const WIDGETS_ROOT = ["pyproject.toml", "CONTRIBUTING.md", "AGENTS.md", "README.md", ".github/"];

/** acme/widgets' run start with any config (null: none anywhere) and any listing. */
export const expectWidgetsStart = (scope: nock.Scope, own: readonly Listed[], config: string | null): void => {
  expectRunStartIn(scope, WIDGETS, { own, config, root: WIDGETS_ROOT, files: { "pyproject.toml": PYPROJECT } });
};

/** A guideline PR's reads: the guidelines file and every agent file, each given text or absent (404). */
export const expectGuidelineReadsIn = (scope: nock.Scope, target: WorldRepo, present: Readonly<Record<string, string>>): void => {
  for (const name of ["CONTRIBUTING.md", "AGENTS.md", "CLAUDE.md", ".github/copilot-instructions.md"]) {
    const text = present[name];
    const path = `/repos/${target.full}/contents/${enc(name)}`;
    if (text === undefined) scope.get(path).reply(404, { message: "Not Found" });
    else scope.get(path).reply(200, file(name, text));
  }
};

/** A new proposal PR in any repository (expectNewPull is acme/widgets'). */
export const expectNewPullIn = (scope: nock.Scope, target: WorldRepo, patternId: string, number: number, written: Written): void => {
  const branch = `review-reviewer/${patternId}`;
  scope
    .get(`/repos/${target.full}`)
    .reply(200, { id: repoIdOf(target.full), full_name: target.full, default_branch: "main", has_issues: true })
    .get(`/repos/${target.full}/pulls`)
    .query({ state: "all", head: `${target.owner}:${branch}`, per_page: "10" })
    .reply(200, [])
    .get(`/repos/${target.full}/git/ref/${enc(`heads/${branch}`)}`)
    .reply(404, { message: "Not Found" })
    .get(`/repos/${target.full}/git/ref/${enc("heads/main")}`)
    .reply(200, { ref: "refs/heads/main", object: { sha: "main-sha", type: "commit" } })
    .get(`/repos/${target.full}/git/commits/main-sha`)
    .reply(200, { sha: "main-sha", tree: { sha: "main-tree" } })
    .post(`/repos/${target.full}/git/trees`, (body: Written["trees"][number]) => {
      written.trees.push(body);
      return body.base_tree === "main-tree";
    })
    .reply(201, { sha: `tree-${patternId}` })
    .post(`/repos/${target.full}/git/commits`, (body: { tree: string; parents: string[]; message: string }) => body.tree === `tree-${patternId}` && body.parents[0] === "main-sha" && body.message.includes(patternId))
    .reply(201, { sha: `commit-${patternId}` })
    .post(`/repos/${target.full}/git/refs`, (body: Written["refs"][number]) => {
      written.refs.push(body);
      return body.ref === `refs/heads/${branch}` && body.sha === `commit-${patternId}`;
    })
    .reply(201, { ref: `refs/heads/${branch}` })
    .post(`/repos/${target.full}/pulls`, (body: Written["pulls"][number]) => {
      written.pulls.push(body);
      return body.head === branch && body.base === "main" && body.body.startsWith(`<!-- review-reviewer:pattern:${patternId} -->`);
    })
    .reply(201, { number, html_url: `https://github.com/${target.full}/pull/${String(number)}` });
};

/** A dry run's look for a proposal PR: the repository and its branch's PRs (none), and no write. */
export const expectPullLookup = (scope: nock.Scope, target: WorldRepo, patternId: string, found: readonly Record<string, unknown>[] = []): void => {
  scope
    .get(`/repos/${target.full}`)
    .reply(200, { id: repoIdOf(target.full), full_name: target.full, default_branch: "main", has_issues: true })
    .get(`/repos/${target.full}/pulls`)
    .query({ state: "all", head: `${target.owner}:review-reviewer/${patternId}`, per_page: "10" })
    .reply(200, found);
};

/** A new escalation issue: the marker lookup (the listing), then the issue, its body captured. */
export const expectNewIssue = (scope: nock.Scope, target: WorldRepo, own: readonly Listed[], patternId: string, number: number, written: Written): void => {
  expectOwnListing(scope, target, own);
  scope
    .post(`/repos/${target.full}/issues`, (body: Written["issues"][number]) => {
      written.issues.push(body);
      return body.body.startsWith(`<!-- review-reviewer:pattern:${patternId} -->`);
    })
    .reply(201, { number });
};

/** Every request a scope answers, as "METHOD path body", for "nothing about X" assertions. */
export const recordRequests = (scope: nock.Scope): string[] => {
  const seen: string[] = [];
  scope.on("request", (req: { method?: string; path?: string }, _i: unknown, body: string) => {
    seen.push(`${req.method ?? "?"} ${req.path ?? "?"} ${body}`);
  });
  return seen;
};

/** An open proposal PR GitHub already holds: the lookup finds it, and its branch's files are read to compare. */
export const expectOpenPullIn = (scope: nock.Scope, target: WorldRepo, listed: Listed, patternId: string, branchFiles: Readonly<Record<string, string>>): void => {
  const branch = `review-reviewer/${patternId}`;
  expectPullLookup(scope, target, patternId, [{ number: listed.number, state: "open", title: listed.title, body: listed.body, head: { sha: `commit-${patternId}`, ref: branch } }]);
  for (const [path, text] of Object.entries(branchFiles)) scope.get(`/repos/${target.full}/contents/${enc(path)}`).query({ ref: branch }).reply(200, file(path, text));
};
