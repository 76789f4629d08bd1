import { z } from "zod";

/**
 * GraphQL for the per-PR data of a backfill: many PRs per query (aliases),
 * never one REST call per PR. The queries are validated against GitHub's
 * published schema in the tests (@octokit/graphql-schema).
 */

/** PRs per query: 50 × (100 reviews + 100 threads × 50 comments + 100 commits) stays under GitHub's 500,000-node limit. */
export const PULL_BATCH_SIZE = 50;
/** Files per blob query. */
export const BLOB_BATCH_SIZE = 50;

const ACTOR = "login __typename";
const REVIEW_NODES = `nodes { databaseId state body submittedAt url authorAssociation author { ${ACTOR} } commit { oid } }`;
const THREAD_NODES = `nodes {
      id isResolved isOutdated path line originalLine
      resolvedBy { login }
      comments(first: 50) { nodes { databaseId } }
    }`;

export const PULL_FIELDS = `
  databaseId
  number
  headRefOid
  mergeCommit { oid }
  reviews(first: 100) {
    totalCount
    pageInfo { hasNextPage endCursor }
    ${REVIEW_NODES}
  }
  reviewThreads(first: 100) {
    totalCount
    pageInfo { hasNextPage endCursor }
    ${THREAD_NODES}
  }
  commits(last: 100) {
    totalCount
    nodes { commit { oid committedDate message statusCheckRollup { state } } }
  }`;

export const pullBatchQuery = (numbers: readonly number[]): string => {
  const fields = numbers.map((n, i) => `    pr${String(i)}: pullRequest(number: ${String(n)}) { ...PullDetail }`).join("\n");
  return `query PullDetails($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
${fields}
  }
  rateLimit { cost remaining resetAt }
}
fragment PullDetail on PullRequest {${PULL_FIELDS}
}`;
};

/** The next pages of one PR's reviews and threads, for the rare PR with more than 100 of either. */
export const PULL_MORE_QUERY = `query PullMore($owner: String!, $name: String!, $number: Int!, $reviewsAfter: String, $threadsAfter: String, $withReviews: Boolean!, $withThreads: Boolean!) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      reviews(first: 100, after: $reviewsAfter) @include(if: $withReviews) {
        totalCount
        pageInfo { hasNextPage endCursor }
        ${REVIEW_NODES}
      }
      reviewThreads(first: 100, after: $threadsAfter) @include(if: $withThreads) {
        totalCount
        pageInfo { hasNextPage endCursor }
        ${THREAD_NODES}
      }
    }
  }
}`;

export const blobBatchQuery = (expressions: readonly string[]): string => {
  const fields = expressions
    .map((e, i) => `    f${String(i)}: object(expression: ${JSON.stringify(e)}) { ... on Blob { byteSize isBinary isTruncated text } }`)
    .join("\n");
  return `query Blobs($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) {
${fields}
  }
  rateLimit { cost remaining resetAt }
}`;
};

const GqlActorSchema = z.object({ login: z.string(), __typename: z.string().optional() }).nullable();
const PageInfoSchema = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });

export const GqlPullSchema = z.object({
  databaseId: z.number().int().nullable(),
  number: z.number().int(),
  headRefOid: z.string(),
  mergeCommit: z.object({ oid: z.string() }).nullable(),
  reviews: z.object({
    totalCount: z.number().int(),
    pageInfo: PageInfoSchema,
    nodes: z.array(
      z.object({
        databaseId: z.number().int().nullable(),
        state: z.string(),
        body: z.string().nullable(),
        submittedAt: z.string().nullable(),
        url: z.string(),
        authorAssociation: z.string(),
        author: GqlActorSchema,
        commit: z.object({ oid: z.string() }).nullable(),
      }),
    ),
  }),
  reviewThreads: z.object({
    totalCount: z.number().int(),
    pageInfo: PageInfoSchema,
    nodes: z.array(
      z.object({
        id: z.string(),
        isResolved: z.boolean(),
        isOutdated: z.boolean(),
        path: z.string(),
        line: z.number().int().nullable(),
        originalLine: z.number().int().nullable(),
        resolvedBy: z.object({ login: z.string() }).nullable(),
        comments: z.object({ nodes: z.array(z.object({ databaseId: z.number().int().nullable() })) }),
      }),
    ),
  }),
  commits: z.object({
    totalCount: z.number().int(),
    nodes: z.array(
      z.object({
        commit: z.object({
          oid: z.string(),
          committedDate: z.string(),
          message: z.string(),
          statusCheckRollup: z.object({ state: z.string() }).nullable(),
        }),
      }),
    ),
  }),
});
export type GqlPull = z.infer<typeof GqlPullSchema>;

export const GqlPullBatchSchema = z.object({
  repository: z.record(z.string(), GqlPullSchema.nullable()),
});

export const GqlBlobBatchSchema = z.object({
  repository: z.record(
    z.string(),
    z
      .object({
        byteSize: z.number().int().optional(),
        isBinary: z.boolean().nullable().optional(),
        isTruncated: z.boolean().optional(),
        text: z.string().nullable().optional(),
      })
      .nullable(),
  ),
});

export const GqlPullMoreSchema = z.object({
  repository: z.object({
    pullRequest: GqlPullSchema.pick({ reviews: true, reviewThreads: true }).partial().nullable(),
  }),
});
