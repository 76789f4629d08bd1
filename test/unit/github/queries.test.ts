import { validate } from "@octokit/graphql-schema";
import { PULL_MORE_QUERY, blobBatchQuery, pullBatchQuery } from "../../../src/github/queries.js";

// @octokit/graphql-schema validates a query against GitHub's published schema.
const errorsOf = (query: string): string[] => validate(query).map((e) => e.message);

describe("backfill GraphQL queries against GitHub's published schema", () => {
  it("validates the batched PR details query", () => {
    expect(errorsOf(pullBatchQuery([1, 2, 350]))).toEqual([]);
  });

  it("validates the follow-up query for PRs with more than 100 reviews or threads", () => {
    expect(errorsOf(PULL_MORE_QUERY)).toEqual([]);
  });

  it("validates the batched blob query, quoting hostile paths safely", () => {
    const query = blobBatchQuery(["abc123:src/a.ts", 'abc123:weird "quoted" \\ path.py']);

    expect(errorsOf(query)).toEqual([]);
    expect(query).toContain('object(expression: "abc123:weird \\"quoted\\" \\\\ path.py")');
  });

  it("rejects a field GitHub does not have, so the check can fail", () => {
    const errors = errorsOf(pullBatchQuery([1]).replace("isOutdated", "isObsolete"));

    expect(errors).toEqual([expect.stringContaining("isObsolete") as unknown]);
  });
});
