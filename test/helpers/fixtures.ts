import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface ExampleEvent {
  name: string;
  actions: string[];
  examples: Record<string, unknown>[];
}

const examples = JSON.parse(
  readFileSync(require.resolve("@octokit/webhooks-examples/api.github.com/index.json"), "utf8"),
) as ExampleEvent[];

/** Every real-shaped example payload GitHub documents for an event. */
export const examplePayloads = (event: string): Record<string, unknown>[] => {
  const found = examples.find((e) => e.name === event);
  if (found === undefined) throw new Error(`no examples for ${event}`);
  return found.examples.map((p) => structuredClone(p));
};

/** One example payload for an event and action, as a deep copy. */
export const examplePayload = (event: string, action: string): Record<string, unknown> => {
  const found = examplePayloads(event).find((p) => p.action === action);
  if (found === undefined) throw new Error(`no ${event}.${action} example`);
  return found;
};

export interface CrcComment {
  id: number;
  body: string;
  diff_hunk: string;
  path: string;
  line: number | null;
  original_line: number | null;
  user: { login: string; id: number; type: string };
  html_url: string;
  pull_request_url: string;
  created_at: string;
  updated_at: string;
  author_association: string;
  _labels: { category: string; subcategory: string; inferred_bot?: boolean };
}

/** Real review comments from public projects (test/fixtures/crc-py, MIT). */
export const crcComments = (): CrcComment[] =>
  JSON.parse(
    readFileSync(new URL("../fixtures/crc-py/review-comments-sample.json", import.meta.url), "utf8"),
  ) as CrcComment[];

/**
 * A pull_request_review_comment payload in GitHub's exact webhook shape
 * (from @octokit/webhooks-examples) carrying a real review comment's text.
 */
export const reviewCommentPayload = (
  action: "created" | "edited" | "deleted",
  real: CrcComment,
  overrides: { id?: number; body?: string; updatedAt?: string; user?: { login: string; id: number; type: string } } = {},
): Record<string, unknown> => {
  const payload = examplePayload("pull_request_review_comment", action === "deleted" ? "deleted" : action);
  const comment = payload.comment as Record<string, unknown>;
  const [owner, repo, , pull] = real.html_url.replace("https://github.com/", "").split(/[/#]/);
  const number = Number(pull);
  Object.assign(comment, {
    id: overrides.id ?? real.id,
    body: overrides.body ?? real.body,
    diff_hunk: real.diff_hunk,
    path: real.path,
    line: real.line,
    original_line: real.original_line,
    user: { ...(comment.user as object), ...(overrides.user ?? real.user) },
    html_url: real.html_url,
    created_at: real.created_at,
    updated_at: overrides.updatedAt ?? real.updated_at,
    author_association: real.author_association,
  });
  const repository = payload.repository as Record<string, unknown>;
  const fullName = `${String(owner)}/${String(repo)}`;
  Object.assign(repository, { id: repoIdOf(fullName), full_name: fullName, name: repo });
  (payload.pull_request as Record<string, unknown>).number = number;
  return payload;
};

/** A stable fake repository id per name, so different repos never share one. */
export const repoIdOf = (fullName: string): number =>
  Array.from({ length: fullName.length }, (_, i) => fullName.charCodeAt(i)).reduce((h, c) => (h * 31 + c) % 1_000_000_007, 7);

/** One webhook delivery of a real review comment (the `index`-th crc-py comment), as GitHub posts it: id, event, body. */
export const reviewCommentDelivery = (deliveryId: string, commentId: number, index = 0): { id: string; name: string; body: string } => {
  const real = crcComments()[index % crcComments().length];
  if (real === undefined) throw new Error("no fixtures");
  return { id: deliveryId, name: "pull_request_review_comment", body: JSON.stringify(reviewCommentPayload("created", real, { id: commentId })) };
};
