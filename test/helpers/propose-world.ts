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

export const commentPayload = (i: number, id: number, body: string, path: string, hunk: string): Record<string, unknown> => {
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
export const listing = (items: readonly Listed[]): Record<string, unknown>[] =>
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
export const expectRunStart = (scope: nock.Scope, own: readonly Listed[], config = CONFIG): void => {
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

export const newWritten = (): Written => ({ trees: [], pulls: [], issues: [], refs: [] });

