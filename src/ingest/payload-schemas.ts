import { z } from "zod";

/**
 * The parts of GitHub webhook payloads that ingest reads, as zod schemas.
 * Unknown fields are ignored; a payload missing what we need fails with a
 * path-named error and is skipped. Shapes follow @octokit/webhooks-examples.
 */

const nullableStr = z.string().nullable().optional().transform((v) => v ?? null);
const nullableInt = z.number().int().nullable().optional().transform((v) => v ?? null);

export const UserSchema = z.object({
  login: z.string().min(1),
  id: z.number().int().nullable().optional(),
  type: z.string().nullable().optional(),
});

export const PerformedViaAppSchema = z
  .object({ id: z.number().int().nullable().optional(), slug: z.string().nullable().optional() })
  .nullable()
  .optional();

export const RepositorySchema = z.object({
  id: z.number().int(),
  full_name: z.string().regex(/^[^/\s]+\/[^/\s]+$/),
});

export const InstallationRefSchema = z.object({ id: z.number().int() }).nullable().optional();

const LabelSchema = z.object({ name: z.string() });

/** The pull request as embedded in review and review-comment events. */
export const PullRequestRefSchema = z.object({
  number: z.number().int().positive(),
  user: UserSchema.nullable().optional(),
});

export const PullRequestSchema = PullRequestRefSchema.extend({
  id: z.number().int(),
  node_id: nullableStr,
  title: z.string(),
  user: UserSchema,
  author_association: z.string().optional().default("NONE"),
  state: z.enum(["open", "closed"]),
  draft: z.boolean().optional().default(false),
  merged: z.boolean().nullable().optional(),
  merge_commit_sha: nullableStr,
  merged_by: UserSchema.nullable().optional(),
  base: z.object({ ref: z.string() }),
  head: z.object({ ref: z.string(), sha: z.string().min(1) }),
  additions: nullableInt,
  deletions: nullableInt,
  changed_files: nullableInt,
  commits: nullableInt,
  labels: z.array(LabelSchema).optional().default([]),
  created_at: z.string(),
  updated_at: z.string(),
  closed_at: nullableStr,
  merged_at: nullableStr,
  html_url: z.string(),
});

export const ReviewCommentSchema = z.object({
  id: z.number().int(),
  node_id: nullableStr,
  pull_request_review_id: nullableInt,
  path: z.string(),
  subject_type: z.enum(["line", "file"]).nullable().optional(),
  line: nullableInt,
  original_line: nullableInt,
  start_line: nullableInt,
  original_start_line: nullableInt,
  side: z.enum(["LEFT", "RIGHT"]).nullable().optional(),
  position: nullableInt,
  original_position: nullableInt,
  commit_id: z.string(),
  original_commit_id: z.string(),
  diff_hunk: z.string().nullable().optional(),
  body: z.string().nullable().optional(),
  user: UserSchema,
  author_association: z.string().optional().default("NONE"),
  in_reply_to_id: nullableInt,
  created_at: z.string(),
  updated_at: z.string(),
  html_url: z.string(),
  performed_via_github_app: PerformedViaAppSchema,
});

const base = {
  repository: RepositorySchema,
  installation: InstallationRefSchema,
  sender: UserSchema.optional(),
};

export const ReviewCommentEventSchema = z.object({
  ...base,
  action: z.enum(["created", "edited", "deleted"]),
  comment: ReviewCommentSchema,
  pull_request: PullRequestRefSchema,
});

export const ReviewEventSchema = z.object({
  ...base,
  action: z.enum(["submitted", "edited", "dismissed"]),
  review: z.object({
    id: z.number().int(),
    node_id: nullableStr,
    user: UserSchema,
    body: z.string().nullable().optional(),
    state: z.string(),
    commit_id: nullableStr,
    submitted_at: nullableStr,
    author_association: z.string().optional().default("NONE"),
    html_url: z.string(),
  }),
  pull_request: PullRequestRefSchema,
});

export const ReviewThreadEventSchema = z.object({
  ...base,
  sender: UserSchema,
  action: z.enum(["resolved", "unresolved"]),
  thread: z.object({
    node_id: z.string().min(1),
    comments: z.array(ReviewCommentSchema.pick({ id: true, path: true, line: true, original_line: true })),
  }),
  pull_request: PullRequestRefSchema,
});

export const IssueCommentEventSchema = z.object({
  ...base,
  action: z.enum(["created", "edited", "deleted"]),
  issue: z.object({
    number: z.number().int().positive(),
    user: UserSchema.nullable().optional(),
    /** Present only when the issue is a pull request. */
    pull_request: z.object({ url: z.string().optional() }).nullable().optional(),
  }),
  comment: z.object({
    id: z.number().int(),
    node_id: nullableStr,
    body: z.string().nullable().optional(),
    user: UserSchema,
    author_association: z.string().optional().default("NONE"),
    created_at: z.string(),
    updated_at: z.string(),
    html_url: z.string(),
    performed_via_github_app: PerformedViaAppSchema,
  }),
});

export const PullRequestEventSchema = z.object({
  ...base,
  action: z.string(),
  pull_request: PullRequestSchema,
});

export const CheckSuiteEventSchema = z.object({
  ...base,
  action: z.string(),
  check_suite: z.object({
    id: z.number().int(),
    head_sha: z.string().min(1),
    status: nullableStr,
    conclusion: nullableStr,
    app: z.object({ slug: z.string().nullable().optional(), name: z.string().nullable().optional() }).nullable().optional(),
    pull_requests: z.array(z.object({ number: z.number().int().positive() })).default([]),
    updated_at: z.string(),
  }),
});
