import { forgetThreadOps, isForgetCommand, purgeOps } from "../../../src/signals/governance.js";
import { commentSignal } from "../../helpers/signals.js";

const NOW = new Date("2026-11-22T00:00:00Z");

describe("purgeOps", () => {
  const old = { ...commentSignal(1, { updatedAt: "2026-01-01T00:00:00Z" }), pullNumber: 1 };
  const fresh = { ...commentSignal(2, { updatedAt: "2026-11-20T00:00:00Z" }), pullNumber: 2, repo: old.repo };
  const oldButActive = { ...commentSignal(3, { updatedAt: "2026-01-01T00:00:00Z" }), pullNumber: 2, repo: old.repo };
  const other = { ...commentSignal(4, { updatedAt: "2020-01-01T00:00:00Z" }), repo: "someone/else" };

  it("deletes every signal of an opted-out repo, without tombstones", () => {
    const ops = purgeOps([old, fresh, other], old.repo, { harvest: false, retentionDays: 0 }, NOW);

    expect(ops).toEqual([
      { op: "delete", key: old.key, at: NOW.toISOString(), tombstone: false },
      { op: "delete", key: fresh.key, at: NOW.toISOString(), tombstone: false },
    ]);
  });

  it("deletes whole PRs whose last activity is older than the retention period", () => {
    const ops = purgeOps([old, fresh, oldButActive, other], old.repo, { harvest: true, retentionDays: 90 }, NOW);

    expect(ops.map((o) => (o.op === "delete" ? o.key : ""))).toEqual([old.key]);
  });

  it("keeps everything with retention 0", () => {
    expect(purgeOps([old, fresh], old.repo, { harvest: true, retentionDays: 0 }, NOW)).toEqual([]);
  });
});

describe("forget", () => {
  it.each([
    ["/review-reviewer forget", true],
    ["  /Review-Reviewer   FORGET\n", true],
    ["please /review-reviewer forget", false],
    ["/review-reviewer forget everything", false],
  ])("%j is a command: %s", (body, expected) => {
    expect(isForgetCommand(body)).toBe(expected);
  });

  it("selects the root, its replies and its correction, tombstoned", () => {
    const root = commentSignal(10);
    const reply = { ...commentSignal(11), inReplyToId: root.id, repo: root.repo };
    const unrelated = { ...commentSignal(12), repo: root.repo };

    const ops = forgetThreadOps([root, reply, unrelated], root.repo, root.id, NOW);

    expect(ops.map((o) => (o.op === "delete" ? [o.key, o.tombstone] : []))).toEqual([
      [`correction:${String(root.id)}`, undefined],
      [root.key, undefined],
      [reply.key, undefined],
    ]);
  });
});
