import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mapReviewCommentEvent } from "../../src/ingest/to-signal.js";
import type { ReviewCommentSignal } from "../../src/signals/signal.js";
import type { Transaction } from "../../src/store/store.js";
import { FROZEN_NOW, mapperEnv } from "./env.js";
import { crcComments, reviewCommentPayload } from "./fixtures.js";

/** A valid review-comment signal built from a real comment via the real mapper. */
export const commentSignal = (
  n: number,
  overrides: { body?: string; updatedAt?: string; deliveryId?: string } = {},
): ReviewCommentSignal => {
  const comments = crcComments();
  const real = comments[n % comments.length];
  if (real === undefined) throw new Error("no fixtures");
  const payload = reviewCommentPayload("created", real, {
    id: 1_000_000 + n,
    ...(overrides.body !== undefined ? { body: overrides.body } : {}),
    ...(overrides.updatedAt !== undefined ? { updatedAt: overrides.updatedAt } : {}),
  });
  const result = mapReviewCommentEvent(payload, mapperEnv({ deliveryId: overrides.deliveryId ?? `d-${String(n)}` }));
  const op = result.status === "ops" ? result.ops[0] : undefined;
  if (op?.op !== "upsert" || op.signal.kind !== "review_comment") throw new Error("mapper failed");
  return op.signal;
};

export const upsertTx = (deliveryId: string, ...signals: ReviewCommentSignal[]): Transaction => ({
  deliveryId,
  receivedAt: FROZEN_NOW,
  ops: signals.map((signal) => ({ op: "upsert", signal })),
});

export const withTempDir = async <T>(fn: (dir: string) => Promise<T>): Promise<T> => {
  const dir = await mkdtemp(join(tmpdir(), "rr-test-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
