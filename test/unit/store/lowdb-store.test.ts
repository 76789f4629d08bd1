import { appendFile, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LowdbSignalStore } from "../../../src/store/lowdb-store.js";
import { encodeEntry } from "../../../src/store/journal.js";
import { FROZEN_NOW } from "../../helpers/env.js";
import { commentSignal, upsertTx, withTempDir } from "../../helpers/signals.js";

const open = (dir: string, extra: Partial<Parameters<typeof LowdbSignalStore.open>[0]> = {}): Promise<LowdbSignalStore> =>
  LowdbSignalStore.open({ dataDir: dir, ...extra });

describe("LowdbSignalStore", () => {
  it("stores a transaction durably and reads it back after reopening", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const signal = commentSignal(1);

      const result = await store.commit(upsertTx("d1", signal));
      await store.close();
      const reopened = await open(dir);

      expect(result).toEqual({ status: "stored", seq: 1 });
      expect(await reopened.get(signal.key)).toEqual(signal);
      expect(await reopened.hasDelivery("d1")).toBe(true);
      await reopened.close();
    });
  });

  it("counts the same delivery once, even when it arrives twice at the same time", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const tx = upsertTx("same", commentSignal(1));

      const results = await Promise.all([store.commit(tx), store.commit(tx)]);
      const later = await store.commit(tx);

      expect(results.map((r) => r.status).sort()).toEqual(["duplicate", "stored"]);
      expect(later).toEqual({ status: "duplicate" });
      expect((await store.stats()).totals).toEqual({ review_comment: 1 });
      await store.close();
    });
  });

  it("counts the same GitHub object once when two deliveries carry it", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const signal = commentSignal(1);

      await store.commit(upsertTx("a", signal));
      await store.commit(upsertTx("b", { ...signal, deliveryId: "b" }));

      expect((await store.stats()).totals).toEqual({ review_comment: 1 });
      await store.close();
    });
  });

  it("applies an edit in place and ignores an older edit arriving late", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const created = commentSignal(1, { body: "first", updatedAt: "2026-01-01T00:00:00Z" });
      const edited = commentSignal(1, { body: "second", updatedAt: "2026-01-02T00:00:00Z" });

      await store.commit(upsertTx("create", created));
      await store.commit(upsertTx("edit", edited));
      await store.commit(upsertTx("stale", created));

      const stored = await store.get(created.key);
      expect(stored?.kind === "review_comment" && stored.body).toBe("second");
      expect(stored?.kind === "review_comment" && stored.createdAt).toBe(created.createdAt);
      await store.close();
    });
  });

  it("removes a deleted signal for good, even if its creation is redelivered", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const signal = commentSignal(1);

      await store.commit(upsertTx("create", signal));
      await store.commit({ deliveryId: "del", receivedAt: FROZEN_NOW, ops: [{ op: "delete", key: signal.key, at: FROZEN_NOW }] });
      await store.commit(upsertTx("create-again", signal));
      await store.close();
      const reopened = await open(dir);

      expect(await reopened.get(signal.key)).toBeUndefined();
      expect((await reopened.stats()).totals).toEqual({});
      await reopened.close();
    });
  });

  it("shares one journal write among concurrent commits (group commit)", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const commits = Array.from({ length: 200 }, (_, i) => store.commit(upsertTx(`d${String(i)}`, commentSignal(i))));

      const results = await Promise.all(commits);

      expect(results.every((r) => r.status === "stored")).toBe(true);
      expect(store.groupCommits).toBeLessThan(20);
      expect((await store.stats()).totals.review_comment).toBe(200);
      await store.close();
    });
  });

  it("rejects an invalid transaction and leaves the store unchanged", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const bad = { ...upsertTx("bad", commentSignal(1)), receivedAt: "not a date" };

      await expect(store.commit(bad)).rejects.toThrow(/invalid transaction.*receivedAt/s);
      expect(await store.hasDelivery("bad")).toBe(false);
      await store.close();
    });
  });

  it("folds the journal into a lowdb snapshot on open", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      await store.commit(upsertTx("d1", commentSignal(1)));
      await store.commit(upsertTx("d2", commentSignal(2)));
      await store.close();

      const reopened = await open(dir);
      const files = (await readdir(dir)).sort();
      const snapshot = JSON.parse(await readFile(join(dir, "base-000000000002.json"), "utf8")) as { seq: number; signals: unknown[] };

      expect(files).toEqual(["LOCK", "base-000000000002.json", "journal-000000000003.jsonl"]);
      expect(snapshot.seq).toBe(2);
      expect(snapshot.signals).toHaveLength(2);
      await reopened.close();
    });
  });

  it("drops a torn last line (never acknowledged) and keeps everything before it", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      await store.commit(upsertTx("d1", commentSignal(1)));
      await store.close();
      const journal = join(dir, "journal-000000000001.jsonl");
      const full = encodeEntry({ ...upsertTx("torn", commentSignal(2)), seq: 2 });
      await appendFile(journal, full.slice(0, full.length / 2));
      const recovered: string[] = [];

      const reopened = await open(dir, { onRecover: (m) => recovered.push(m) });

      expect(await reopened.hasDelivery("d1")).toBe(true);
      expect(await reopened.hasDelivery("torn")).toBe(false);
      expect(recovered.join()).toMatch(/torn tail/);
      expect((await reopened.commit(upsertTx("d3", commentSignal(3)))).status).toBe("stored");
      await reopened.close();
    });
  });

  it("rejects a line whose checksum does not match", async () => {
    await withTempDir(async (dir) => {
      const journal = join(dir, "journal-000000000001.jsonl");
      const good = encodeEntry({ ...upsertTx("d1", commentSignal(1)), seq: 1 });
      const tampered = encodeEntry({ ...upsertTx("d2", commentSignal(2)), seq: 2 }).replace('"d2"', '"dX"');
      await writeFile(journal, good + tampered);

      const store = await open(dir, { readOnly: true });

      expect(await store.hasDelivery("d1")).toBe(true);
      expect(await store.hasDelivery("dX")).toBe(false);
      await store.close();
    });
  });

  it("refuses to open when an older journal is corrupt, rather than losing what follows", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "journal-000000000001.jsonl"), "garbage\n");
      await writeFile(join(dir, "journal-000000000002.jsonl"), encodeEntry({ ...upsertTx("d2", commentSignal(2)), seq: 2 }));

      await expect(open(dir)).rejects.toThrow(/journal-000000000001\.jsonl is corrupt/);
    });
  });

  it("allows one writer per directory and any number of readers", async () => {
    await withTempDir(async (dir) => {
      const writer = await open(dir);
      await writer.commit(upsertTx("d1", commentSignal(1)));

      const reader = await open(dir, { readOnly: true });

      await expect(open(dir)).rejects.toThrow(/already open/);
      expect(await reader.hasDelivery("d1")).toBe(true);
      await expect(reader.commit(upsertTx("d2", commentSignal(2)))).rejects.toThrow(/read-only/);
      await reader.close();
      await writer.close();
    });
  });

  it("takes over a lock left by a dead process", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "LOCK"), "999999999");

      const store = await open(dir);

      expect(await store.stats()).toEqual({ repos: {}, totals: {} });
      await store.close();
    });
  });

  it("rotates the journal and folds old journals into a snapshot in the background", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir, { journalRotateAfter: 3 });
      for (let i = 0; i < 8; i++) await store.commit(upsertTx(`d${String(i)}`, commentSignal(i)));
      await store.close();
      const files = await readdir(dir);

      const reader = await open(dir, { readOnly: true });

      expect(store.compactions).toBeGreaterThanOrEqual(1);
      expect(files.filter((f) => f.startsWith("base-"))).toHaveLength(1);
      expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
      expect((await reader.stats()).totals.review_comment).toBe(8);
      for (let i = 0; i < 8; i++) expect(await reader.hasDelivery(`d${String(i)}`)).toBe(true);
      await reader.close();
    });
  });

  it("keeps every commit through repeated background compactions, with readers opening meanwhile", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir, { journalRotateAfter: 40, fsync: false });
      const readerCounts: number[] = [];
      const commits: Promise<unknown>[] = [];
      for (let i = 0; i < 1200; i++) {
        commits.push(store.commit(upsertTx(`d${String(i)}`, commentSignal(i))));
        if (i % 300 === 299) {
          await Promise.all(commits.splice(0));
          const reader = await open(dir, { readOnly: true });
          readerCounts.push(reader.deliveryCount);
          await reader.close();
        }
      }
      await Promise.all(commits);
      await store.close();

      const reopened = await open(dir, { readOnly: true });

      // Paced snapshots take a while: at least one ran while commits went on.
      expect(store.compactions).toBeGreaterThanOrEqual(1);
      expect(readerCounts).toEqual([300, 600, 900, 1200]);
      expect(reopened.deliveryCount).toBe(1200);
      expect((await reopened.stats()).totals.review_comment).toBe(1200);
      await reopened.close();
    });
  });

  it("ignores a half-written snapshot left by a crash and rebuilds from the journal", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      await store.commit(upsertTx("d1", commentSignal(1)));
      await store.close();
      await writeFile(join(dir, ".base-000000000009.json.tmp"), '{"format":1,"seq":9,"signals":[{"kin');

      const reopened = await open(dir);

      expect(await reopened.hasDelivery("d1")).toBe(true);
      expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
      await reopened.close();
    });
  });

  it("lists and counts signals by repo and kind", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const a = commentSignal(0);
      const b = commentSignal(1);
      await store.commit(upsertTx("d", a, b));

      const stats = await store.stats();
      const listed = await store.list({ repo: a.repo });

      expect(stats.totals).toEqual({ review_comment: 2 });
      expect(Object.values(stats.repos).reduce((n, r) => n + (r.review_comment ?? 0), 0)).toBe(2);
      expect(listed.every((s) => s.repo === a.repo)).toBe(true);
      expect(listed.map((s) => s.key)).toContain(a.key);
      await store.close();
    });
  });
});

describe("LowdbSignalStore leases", () => {
  const at = (minutes: number): Date => new Date(Date.parse("2026-11-23T06:00:00Z") + minutes * 60_000);

  it("gives a free lease to exactly one of two racing holders, until it expires or is released", async () => {
    await withTempDir(async (dir) => {
      const store = await open(dir);
      const [a, b] = await Promise.all([store.tryLease("weekly", "replica-a", at(0), at(30)), store.tryLease("weekly", "replica-b", at(0), at(30))]);
      expect([a, b]).toEqual([true, false]);
      // The holder renews; the other still cannot take it while it is valid.
      expect(await store.tryLease("weekly", "replica-a", at(10), at(40))).toBe(true);
      expect(await store.tryLease("weekly", "replica-b", at(39), at(60))).toBe(false);
      // Expired: the other takes it.
      expect(await store.tryLease("weekly", "replica-b", at(41), at(60))).toBe(true);
      // Only the holder can release it.
      await store.releaseLease("weekly", "replica-a", at(42));
      expect(await store.tryLease("weekly", "replica-a", at(42), at(60))).toBe(false);
      await store.releaseLease("weekly", "replica-b", at(43));
      expect(await store.tryLease("weekly", "replica-a", at(43), at(60))).toBe(true);
      // Other leases are independent.
      expect(await store.tryLease("governance", "replica-b", at(43), at(60))).toBe(true);
      await store.close();
    });
  });

  it("keeps a lease across a restart (it is durable), and a lease value that is not JSON counts as free", async () => {
    await withTempDir(async (dir) => {
      const first = await open(dir);
      expect(await first.tryLease("weekly", "replica-a", at(0), at(30))).toBe(true);
      await first.commit({ deliveryId: "junk", receivedAt: at(0).toISOString(), ops: [{ op: "cursor", name: "lease:other", value: "{not json" }] });
      await first.close();
      const second = await open(dir);
      expect(await second.tryLease("weekly", "replica-b", at(5), at(30))).toBe(false);
      expect(await second.tryLease("other", "replica-b", at(5), at(30))).toBe(true);
      await second.close();
    });
  });
});
