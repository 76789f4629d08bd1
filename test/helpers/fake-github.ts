import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/**
 * A simulated repository served with GitHub's response shapes: REST list
 * items from @octokit/webhooks-examples (PRs) and real `gh api` review
 * comments (crc-py), GraphQL in the shape of GitHub's schema. Used by the
 * backfill tests (through nock) and by `npm run bench:backfill` (over
 * loopback HTTP). Half of the comments are on lines a later commit changed.
 */

const require = createRequire(import.meta.url);

export interface FakeRepoOptions {
  owner: string;
  name: string;
  repoId: number;
  pulls: number;
  comments: number;
  /** Every nth comment carries a ```suggestion that the author applied. */
  suggestionEvery: number;
  /** Comment texts to rotate through. */
  bodies: readonly string[];
  /** Time of the first PR; PR n is created n hours later. */
  start: Date;
}

interface FakeComment {
  id: number;
  pull: number;
  path: string;
  line: number;
  changed: boolean;
  suggestion: string | null;
  body: string;
  createdAt: string;
  reviewer: string;
}

interface FakePull {
  number: number;
  id: number;
  title: string;
  author: string;
  createdAt: string;
  updatedAt: string;
  mergedAt: string | null;
  headSha: string;
  path: string;
  comments: FakeComment[];
}

const FILE_LINES = 60;
const originalLine = (pull: number, k: number): string => `    total_${String(pull)} = compute(${String(k)})  # line ${String(k)}`;
const fixedLine = (pull: number, k: number): string => `    total_${String(pull)} = compute_checked(${String(k)}, strict=True)`;
const hex = (n: number, len = 40): string => n.toString(16).padStart(len, "0").slice(-len);

const examplePull = (): Record<string, unknown> => {
  const index = JSON.parse(readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8")) as {
    name: string;
    examples: { action: string; pull_request: Record<string, unknown> }[];
  }[];
  const ex = index.find((e) => e.name === "pull_request")?.examples.find((e) => e.action === "closed");
  if (ex === undefined) throw new Error("no pull_request example");
  return ex.pull_request;
};

export class FakeGitHub {
  readonly opts: FakeRepoOptions;
  readonly pulls: FakePull[] = [];
  readonly comments: FakeComment[] = [];
  readonly #template = examplePull();

  constructor(opts: FakeRepoOptions) {
    this.opts = opts;
    const hour = 3_600_000;
    for (let n = 1; n <= opts.pulls; n++) {
      const created = new Date(opts.start.getTime() + n * hour);
      this.pulls.push({
        number: n,
        id: 900_000_000 + n,
        title: `Change ${String(n)}`,
        author: `author-${String(n % 7)}`,
        createdAt: created.toISOString().replace(".000Z", "Z"),
        updatedAt: new Date(created.getTime() + 30 * hour).toISOString().replace(".000Z", "Z"),
        mergedAt: n % 5 === 0 ? null : new Date(created.getTime() + 30 * hour).toISOString().replace(".000Z", "Z"),
        headSha: hex(n * 7919),
        path: `pkg/mod${String(n % 20)}/file_${String(n)}.py`,
        comments: [],
      });
    }
    for (let i = 0; i < opts.comments; i++) {
      const pull = this.pulls[i % this.pulls.length];
      if (pull === undefined) throw new Error("no pulls");
      const line = 5 + ((Math.floor(i / this.pulls.length) * 3) % (FILE_LINES - 10));
      const changed = i % 2 === 0;
      const suggestion = changed && i % opts.suggestionEvery === 0 ? fixedLine(pull.number, line) : null;
      const text = opts.bodies[i % opts.bodies.length] ?? "Please fix this.";
      const comment: FakeComment = {
        id: 1_000_000_000 + i,
        pull: pull.number,
        path: pull.path,
        line,
        changed,
        suggestion,
        body: suggestion === null ? text : `${text}\n\n\`\`\`suggestion\n${suggestion}\n\`\`\``,
        createdAt: new Date(Date.parse(pull.createdAt) + (i % 24) * 60_000 + 3_600_000).toISOString().replace(".000Z", "Z"),
        reviewer: `reviewer-${String(i % 5)}`,
      };
      pull.comments.push(comment);
      this.comments.push(comment);
    }
  }

  /** Lower bound for a repo-wide harvest: listing pages plus the GraphQL batches the design needs. */
  listingPages(): number {
    return Math.ceil(this.comments.length / 100) + Math.ceil(this.pulls.length / 100);
  }

  /** Files the backfill must read: distinct (head, path) of PRs with outdated comments. */
  outdatedFiles(): number {
    return new Set(this.comments.filter((c) => c.changed).map((c) => c.pull)).size;
  }

  /** The requests a naive per-PR REST harvest needs: reviews, comments and commits per PR, each paginated. */
  naiveRequests(): number {
    return this.pulls.reduce((n, p) => n + 1 + Math.max(1, Math.ceil(p.comments.length / 100)) + 1, 0) + Math.ceil(this.pulls.length / 100);
  }

  fileAt(pull: FakePull, head: boolean): string {
    const changedLines = new Set(pull.comments.filter((c) => c.changed).map((c) => c.line));
    const lines: string[] = ["def run():"];
    for (let k = 2; k <= FILE_LINES; k++) lines.push(head && changedLines.has(k) ? fixedLine(pull.number, k) : originalLine(pull.number, k));
    return `${lines.join("\n")}\n`;
  }

  restPull(p: FakePull): Record<string, unknown> {
    const t = this.#template;
    const { owner, name, repoId } = this.opts;
    const base = t.base as Record<string, unknown>;
    return {
      ...t,
      url: `https://api.github.com/repos/${owner}/${name}/pulls/${String(p.number)}`,
      id: p.id,
      node_id: `PR_${String(p.id)}`,
      html_url: `https://github.com/${owner}/${name}/pull/${String(p.number)}`,
      number: p.number,
      state: p.mergedAt === null && p.number % 5 === 0 ? "closed" : "closed",
      title: p.title,
      user: { ...(t.user as object), login: p.author, id: 5000 + (p.number % 7), type: "User" },
      body: `Implements change ${String(p.number)}.`,
      created_at: p.createdAt,
      updated_at: p.updatedAt,
      closed_at: p.updatedAt,
      merged_at: p.mergedAt,
      merge_commit_sha: hex(p.number * 104_729),
      head: { ...(t.head as object), sha: p.headSha, ref: `feature-${String(p.number)}` },
      base: { ...base, repo: { ...(base.repo as object), id: repoId, full_name: `${owner}/${name}`, name } },
      labels: p.number % 3 === 0 ? [{ id: 1, name: "bug" }] : [],
      author_association: "CONTRIBUTOR",
      draft: false,
    };
  }

  restComment(c: FakeComment): Record<string, unknown> {
    const { owner, name } = this.opts;
    const ctx = [c.line - 3, c.line - 2, c.line - 1].map((k) => ` ${originalLine(c.pull, k)}`);
    return {
      url: `https://api.github.com/repos/${owner}/${name}/pulls/comments/${String(c.id)}`,
      pull_request_review_id: 2_000_000_000 + c.pull * 10,
      id: c.id,
      node_id: `PRRC_${String(c.id)}`,
      diff_hunk: [`@@ -${String(c.line - 3)},4 +${String(c.line - 3)},4 @@ def run():`, ...ctx, `+${originalLine(c.pull, c.line)}`].join("\n"),
      path: c.path,
      position: c.changed ? null : 4,
      original_position: 4,
      commit_id: this.pulls[c.pull - 1]?.headSha ?? hex(0),
      original_commit_id: hex(c.pull * 31),
      user: { login: c.reviewer, id: 7000 + (c.id % 5), type: "User" },
      body: c.body,
      created_at: c.createdAt,
      updated_at: c.createdAt,
      html_url: `https://github.com/${owner}/${name}/pull/${String(c.pull)}#discussion_r${String(c.id)}`,
      pull_request_url: `https://api.github.com/repos/${owner}/${name}/pulls/${String(c.pull)}`,
      author_association: "MEMBER",
      start_line: null,
      original_start_line: null,
      start_side: null,
      line: c.changed ? null : c.line,
      original_line: c.line,
      side: "RIGHT",
      subject_type: "line",
      in_reply_to_id: null,
    };
  }

  /** A REST page: sorted like GitHub, with its Link header. */
  readonly #listings = new Map<string, unknown[]>();

  restPage(kind: "pulls" | "comments" | "issue_comments", page: number, since: string | null): { items: unknown[]; link: string | null } {
    const memo = `${kind}|${since ?? ""}`;
    const all: unknown[] =
      this.#listings.get(memo) ??
      (kind === "pulls"
        ? [...this.pulls].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : b.number - a.number)).map((p) => this.restPull(p))
        : kind === "comments"
          ? this.comments.filter((c) => since === null || c.createdAt >= since).map((c) => this.restComment(c))
          : []);
    this.#listings.set(memo, all);
    const last = Math.max(1, Math.ceil(all.length / 100));
    const path = { pulls: "pulls", comments: "pulls/comments", issue_comments: "issues/comments" }[kind];
    const at = (n: number): string => `https://api.github.com/repos/${this.opts.owner}/${this.opts.name}/${path}?page=${String(n)}`;
    // Like GitHub: "next" and "last" only before the last page.
    const link = page < last ? `<${at(page + 1)}>; rel="next", <${at(last)}>; rel="last"` : last > 1 ? `<${at(1)}>; rel="first", <${at(page - 1)}>; rel="prev"` : null;
    return { items: all.slice((page - 1) * 100, page * 100), link };
  }

  /** Answer one of the backfill's GraphQL queries from its aliases. */
  graphql(query: string): unknown {
    const repository: Record<string, unknown> = {};
    for (const m of query.matchAll(/(pr\d+): pullRequest\(number: (\d+)\)/g)) {
      const pull = this.pulls[Number(m[2]) - 1];
      repository[m[1] ?? ""] = pull === undefined ? null : this.gqlPull(pull);
    }
    for (const m of query.matchAll(/(f\d+): object\(expression: "([0-9a-f]+):([^"]+)"\)/g)) {
      const pull = this.pulls.find((p) => p.headSha === m[2] && p.path === m[3]);
      const text = pull === undefined ? null : this.fileAt(pull, true);
      repository[m[1] ?? ""] = text === null ? null : { byteSize: text.length, isBinary: false, isTruncated: false, text };
    }
    return { data: { repository, rateLimit: { cost: 1, remaining: 4999, resetAt: "2026-11-22T12:00:00Z" } } };
  }

  gqlPull(p: FakePull): Record<string, unknown> {
    const withSuggestion = p.comments.some((c) => c.suggestion !== null);
    const reviewAt = new Date(Date.parse(p.createdAt) + 2 * 3_600_000).toISOString().replace(".000Z", "Z");
    const reviews = [
      {
        databaseId: 2_000_000_000 + p.number * 10,
        state: p.comments.length > 0 ? "CHANGES_REQUESTED" : "APPROVED",
        body: "",
        submittedAt: reviewAt,
        url: `https://github.com/${this.opts.owner}/${this.opts.name}/pull/${String(p.number)}#pullrequestreview-${String(p.number)}`,
        authorAssociation: "MEMBER",
        author: { login: "reviewer-0", __typename: "User" },
        commit: { oid: hex(p.number * 31) },
      },
    ];
    return {
      databaseId: p.id,
      number: p.number,
      headRefOid: p.headSha,
      mergeCommit: p.mergedAt === null ? null : { oid: hex(p.number * 104_729) },
      reviews: { totalCount: reviews.length, pageInfo: { hasNextPage: false, endCursor: null }, nodes: reviews },
      reviewThreads: this.threadPage(p, 0),
      commits: {
        totalCount: 2,
        nodes: [
          { commit: { oid: hex(p.number * 31), committedDate: p.createdAt, message: `Change ${String(p.number)}`, statusCheckRollup: { state: "FAILURE" } } },
          {
            commit: {
              oid: p.headSha,
              committedDate: p.updatedAt,
              message: withSuggestion ? "Apply suggestions from code review\n\nCo-authored-by: reviewer" : "Address review comments",
              statusCheckRollup: { state: "SUCCESS" },
            },
          },
        ],
      },
    };
  }

  /** Threads 100 at a time, with GraphQL page info; the cursor is the offset. */
  threadPage(p: FakePull, offset: number): Record<string, unknown> {
    const page = p.comments.slice(offset, offset + 100);
    const next = offset + page.length;
    return {
      totalCount: p.comments.length,
      pageInfo: { hasNextPage: next < p.comments.length, endCursor: next < p.comments.length ? `cursor:${String(next)}` : null },
      nodes: page.map((c) => ({
        id: `PRRT_${String(c.id)}`,
        isResolved: c.changed,
        isOutdated: c.changed,
        path: c.path,
        line: c.changed ? null : c.line,
        originalLine: c.line,
        resolvedBy: c.changed ? { login: p.author } : null,
        comments: { nodes: [{ databaseId: c.id }] },
      })),
    };
  }

  /** Answer the PullMore follow-up query. */
  graphqlMore(variables: { number: number; threadsAfter: string | null; withThreads: boolean }): unknown {
    const pull = this.pulls[variables.number - 1];
    if (pull === undefined) return { data: { repository: { pullRequest: null } } };
    const offset = Number((variables.threadsAfter ?? "cursor:0").split(":")[1]);
    return { data: { repository: { pullRequest: variables.withThreads ? { reviewThreads: this.threadPage(pull, offset) } : {} } } };
  }

  restRepo(): Record<string, unknown> {
    return { id: this.opts.repoId, name: this.opts.name, full_name: `${this.opts.owner}/${this.opts.name}`, default_branch: "main" };
  }
}
