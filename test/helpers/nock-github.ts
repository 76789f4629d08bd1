import nock from "nock";
import type { FakeGitHub } from "./fake-github.js";

/**
 * Strict nock expectations for a backfill of a FakeGitHub repo: exactly the
 * requests the design needs, each with its query and (GraphQL) body
 * asserted, each answered from the fake. Unused expectations fail the test.
 */
export interface ExpectOptions {
  since: string;
  /** Skip the listing pages a resumed run must not fetch again. */
  fromPullsPage?: number;
  fromCommentsPage?: number;
  /** Whether the run starts fresh (and so reads the repository id). */
  readsRepo?: boolean;
  /** Expect the per-PR and outcome phases. */
  details?: boolean;
}

export interface GraphqlBody {
  query: string;
  variables: { owner: string; name: string };
}

const isGraphqlBody = (b: unknown): b is GraphqlBody =>
  typeof b === "object" && b !== null && "query" in b && typeof b.query === "string" && "variables" in b;

export const expectBackfill = (fake: FakeGitHub, o: ExpectOptions): nock.Scope => {
  const { owner, name } = fake.opts;
  const scope = nock("https://api.github.com");
  if (o.readsRepo ?? true) scope.get(`/repos/${owner}/${name}`).reply(200, fake.restRepo());
  const pullPages = Math.ceil(fake.pulls.length / 100);
  for (let page = o.fromPullsPage ?? 1; page <= pullPages; page++) {
    const { items, link } = fake.restPage("pulls", page, null);
    scope
      .get(`/repos/${owner}/${name}/pulls`)
      .query({ state: "all", sort: "updated", direction: "desc", per_page: "100", page: String(page) })
      .reply(200, items, link === null ? {} : { link });
  }
  const commentPages = Math.max(1, Math.ceil(fake.comments.filter((c) => c.createdAt >= o.since).length / 100));
  for (let page = o.fromCommentsPage ?? 1; page <= commentPages; page++) {
    const { items, link } = fake.restPage("comments", page, o.since);
    scope
      .get(`/repos/${owner}/${name}/pulls/comments`)
      .query({ sort: "created", direction: "asc", since: o.since, per_page: "100", page: String(page) })
      .reply(200, items, link === null ? {} : { link });
  }
  scope
    .get(`/repos/${owner}/${name}/issues/comments`)
    .query({ sort: "created", direction: "asc", since: o.since, per_page: "100", page: "1" })
    .reply(200, []);
  if (o.details ?? true) {
    const numbers = fake.pulls.map((p) => p.number);
    for (let i = 0; i < numbers.length; i += 50) {
      const batch = numbers.slice(i, i + 50);
      scope
        .post("/graphql", (body: unknown) => {
          if (!isGraphqlBody(body) || body.variables.owner !== owner || body.variables.name !== name) return false;
          const asked = [...body.query.matchAll(/pullRequest\(number: (\d+)\)/g)].map((m) => Number(m[1]));
          return JSON.stringify(asked) === JSON.stringify(batch);
        })
        .reply(200, (_uri, body) => fake.graphql((body as GraphqlBody).query));
      const files = new Set(fake.comments.filter((c) => c.changed && batch.includes(c.pull)).map((c) => c.pull));
      for (let f = 0; f < files.size; f += 50) {
        scope
          .post("/graphql", (body: unknown) => isGraphqlBody(body) && body.query.startsWith("query Blobs") && body.variables.name === name)
          .reply(200, (_uri, body) => fake.graphql((body as GraphqlBody).query));
      }
    }
  }
  return scope;
};
