import { mkdir, open, readdir, readFile, rm, type FileHandle } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Low } from "lowdb";
import { z } from "zod";
import { mergeSignal } from "../signals/merge.js";
import type { Signal } from "../signals/signal.js";
import { SNAPSHOT_FORMAT, SnapshotFile, SnapshotSchema, type Snapshot } from "./snapshot-file.js";
import { decodeJournal, encodeEntry, type JournalEntry } from "./journal.js";
import {
  TransactionSchema,
  activeLease,
  leaseCursor,
  countSignals,
  type CommitResult,
  type SignalFilter,
  type SignalStats,
  type SignalStore,
  type Transaction,
} from "./store.js";
import { StoreError, isErrno } from "../shared/errors.js";
import { acquireLock, releaseLock } from "./lock.js";

/**
 * The embedded store: a lowdb snapshot plus a write-ahead journal.
 *
 *   <dir>/base-<seq>.json        lowdb file: every signal, tombstone and delivery id up to <seq>
 *   <dir>/journal-<seq>.jsonl    transactions from <seq> on, appended and fsynced (see journal.ts)
 *
 * Why not one lowdb file: lowdb rewrites the whole file on every write, so
 * per-event writes grow with the store (quadratic overall) and a 100k-signal
 * rewrite costs far more than a webhook's latency budget. Here a commit costs
 * one append of its own size, and concurrent commits share one write and one
 * fsync (group commit). Compaction folds the journal into a new snapshot on
 * open, and in the background whenever the journal rotates; the snapshot
 * adapter writes in chunks and yields, so commits continue meanwhile.
 *
 * Crash safety: a commit resolves only after its journal line is written and
 * fsynced. Snapshots are written to a temp file, fsynced and renamed, and only
 * then are the journals they cover deleted. On open, a torn last line is
 * dropped: it was never acknowledged.
 */
export interface LowdbStoreOptions {
  dataDir: string;
  /** Read without locking or compacting, e.g. the CLI while the app runs. */
  readOnly?: boolean;
  /** fsync each group commit (default true). Off only for throwaway stores. */
  fsync?: boolean;
  /** Rotate the journal (and compact in the background) after this many transactions… */
  journalRotateAfter?: number;
  /** …or after this many bytes. */
  journalRotateBytes?: number;
  /** At most this many transactions share one group commit. */
  maxGroupSize?: number;
  /** Called when open() dropped a torn journal tail. */
  onRecover?: (message: string) => void;
}

const pad = (n: number): string => String(n).padStart(12, "0");
const BASE_RE = /^base-(\d{12})\.json$/;
const JOURNAL_RE = /^journal-(\d{12})\.jsonl$/;

interface Pending {
  tx: Transaction;
  resolve: (r: CommitResult) => void;
  reject: (e: unknown) => void;
}

export class LowdbSignalStore implements SignalStore {
  readonly #dir: string;
  readonly #opts: Required<Omit<LowdbStoreOptions, "onRecover">> & Pick<LowdbStoreOptions, "onRecover">;
  readonly #signals = new Map<string, Signal>();
  readonly #tombstones = new Map<string, string>();
  readonly #deliveries = new Map<string, string>();
  readonly #cursors = new Map<string, string>();
  readonly #inflight = new Map<string, Promise<CommitResult>>();
  #seq = 0;
  #queue: Pending[] = [];
  #flushing: Promise<void> | null = null;
  #journal: FileHandle | null = null;
  #journalBytes = 0;
  #journalTx = 0;
  #closed = false;
  #failed: unknown = null;
  #groupCommits = 0;
  #compacting: Promise<void> | null = null;
  #compactions = 0;

  private constructor(opts: LowdbStoreOptions) {
    this.#dir = resolve(opts.dataDir);
    this.#opts = {
      dataDir: opts.dataDir,
      readOnly: opts.readOnly ?? false,
      fsync: opts.fsync ?? true,
      journalRotateAfter: opts.journalRotateAfter ?? 50_000,
      journalRotateBytes: opts.journalRotateBytes ?? 128 * 1024 * 1024,
      maxGroupSize: opts.maxGroupSize ?? 512,
      onRecover: opts.onRecover,
    };
  }

  static async open(opts: LowdbStoreOptions): Promise<LowdbSignalStore> {
    const store = new LowdbSignalStore(opts);
    await store.#open();
    return store;
  }

  async #open(): Promise<void> {
    if (this.#opts.readOnly) {
      // A running writer may compact (delete journals) while we read: retry.
      for (let attempt = 1; ; attempt++) {
        try {
          await this.#load();
          return;
        } catch (e) {
          if (!isErrno(e, "ENOENT") || attempt >= 5) throw e;
          this.#signals.clear();
          this.#tombstones.clear();
          this.#deliveries.clear();
          this.#cursors.clear();
          this.#seq = 0;
        }
      }
    }
    await mkdir(this.#dir, { recursive: true });
    await acquireLock(this.#dir);
    try {
      await this.#load();
      await this.#compact(this.#capture(), true);
      await this.#openJournal();
    } catch (e) {
      await releaseLock(this.#dir);
      throw e;
    }
  }

  /** Read the newest snapshot, then replay every journal after it. */
  async #load(): Promise<void> {
    const files = await listFiles(this.#dir);
    const bases = files.filter((f) => BASE_RE.test(f)).sort();
    const newestBase = bases[bases.length - 1];
    if (newestBase !== undefined) {
      const db = new Low<Snapshot>(new SnapshotFile(join(this.#dir, newestBase)), {
        format: SNAPSHOT_FORMAT,
        seq: -1, // stays -1 only if the file vanished between listing and reading
        signals: [],
        tombstones: [],
        deliveries: [],
        cursors: [],
      });
      await db.read();
      if (db.data.seq === -1) {
        throw Object.assign(new StoreError(`snapshot ${newestBase} vanished while opening`), { code: "ENOENT" });
      }
      const parsed = SnapshotSchema.safeParse(db.data);
      if (!parsed.success) {
        throw new StoreError(`snapshot ${newestBase} is invalid: ${z.prettifyError(parsed.error)}`);
      }
      const snap = parsed.data;
      for (const s of snap.signals) this.#signals.set(s.key, s);
      for (const [k, at] of snap.tombstones) this.#tombstones.set(k, at);
      for (const [d, at] of snap.deliveries) this.#deliveries.set(d, at);
      for (const [n, v] of snap.cursors) this.#cursors.set(n, v);
      this.#seq = snap.seq;
    }
    const journals = files.filter((f) => JOURNAL_RE.test(f)).sort();
    for (const [i, name] of journals.entries()) {
      const path = join(this.#dir, name);
      const buf = await readFile(path);
      const decoded = decodeJournal(buf);
      for (const entry of decoded.entries) {
        if (entry.seq <= this.#seq) continue;
        this.#apply(entry);
      }
      if (decoded.stoppedAt !== null) {
        const isLast = i === journals.length - 1;
        if (!isLast) {
          throw new StoreError(`journal ${name} is corrupt (${decoded.stoppedAt}) and is not the newest; refusing to open`);
        }
        if (!this.#opts.readOnly) {
          // A torn tail was never acknowledged: drop it.
          const fh = await open(path, "r+");
          try {
            await fh.truncate(decoded.validBytes);
            await fh.sync();
          } finally {
            await fh.close();
          }
          this.#opts.onRecover?.(`dropped a torn tail of ${buf.length - decoded.validBytes} bytes from ${name} (${decoded.stoppedAt})`);
        }
      }
    }
  }

  /**
   * The state at the current seq, by reference: signals are never mutated in
   * place (merges make new objects), so this stays a consistent picture while
   * later commits go on.
   */
  #capture(): Snapshot {
    return {
      format: SNAPSHOT_FORMAT,
      seq: this.#seq,
      signals: [...this.#signals.values()],
      tombstones: [...this.#tombstones.entries()],
      deliveries: [...this.#deliveries.entries()],
      cursors: [...this.#cursors.entries()],
    };
  }

  /**
   * Write `snap` as base-<seq>.json through lowdb, then delete the older
   * snapshots and every journal that starts at or before its seq. On open
   * (`atOpen`) nothing else runs; in the background, the active journal
   * starts after `snap.seq`, so it is never deleted.
   */
  async #compact(snap: Snapshot, atOpen: boolean): Promise<void> {
    const files = await listFiles(this.#dir);
    const name = `base-${pad(snap.seq)}.json`;
    if (atOpen) {
      for (const f of files) if (f.startsWith(".") && f.endsWith(".tmp")) await rm(join(this.#dir, f), { force: true });
      const journals = files.filter((f) => JOURNAL_RE.test(f));
      const bases = files.filter((f) => BASE_RE.test(f));
      if (journals.length === 0 && (bases.length === 0 || (bases.length === 1 && bases[0] === name))) return;
    }
    // At open nothing waits; in the background, webhooks keep most of the thread.
    const db = new Low<Snapshot>(new SnapshotFile(join(this.#dir, name), { pace: !atOpen }), snap);
    await db.write();
    await fsyncPath(this.#dir);
    for (const f of files) {
      const journal = JOURNAL_RE.exec(f);
      const base = BASE_RE.exec(f);
      const covered = journal !== null ? Number(journal[1]) <= snap.seq : base !== null && f !== name;
      if (covered) await rm(join(this.#dir, f), { force: true });
    }
    await fsyncPath(this.#dir);
    this.#compactions += 1;
  }

  /** Rotate the journal and fold the old ones into a snapshot without blocking commits. */
  async #rotate(): Promise<void> {
    await this.#journal?.close();
    await this.#openJournal();
    if (this.#compacting !== null) return;
    const snap = this.#capture();
    this.#compacting = this.#compact(snap, false)
      .catch((e: unknown) => {
        // The journals stay: nothing is lost, and the next rotation or open retries.
        this.#opts.onRecover?.(`background compaction failed: ${e instanceof Error ? e.message : String(e)}`);
      })
      .finally(() => {
        this.#compacting = null;
      });
  }

  async #openJournal(): Promise<void> {
    const path = join(this.#dir, `journal-${pad(this.#seq + 1)}.jsonl`);
    this.#journal = await open(path, "a");
    this.#journalBytes = (await this.#journal.stat()).size;
    this.#journalTx = 0;
    await fsyncPath(this.#dir);
  }

  #apply(entry: JournalEntry): void {
    this.#seq = entry.seq;
    this.#deliveries.set(entry.deliveryId, entry.receivedAt);
    for (const op of entry.ops) {
      if (op.op === "cursor") {
        if (op.value === null) this.#cursors.delete(op.name);
        else this.#cursors.set(op.name, op.value);
        continue;
      }
      if (op.op === "delete") {
        this.#signals.delete(op.key);
        if (op.tombstone !== false && !this.#tombstones.has(op.key)) this.#tombstones.set(op.key, op.at);
        continue;
      }
      const key = op.signal.key;
      if (this.#tombstones.has(key)) continue;
      this.#signals.set(key, mergeSignal(this.#signals.get(key), op.signal));
    }
  }

  commit(tx: Transaction): Promise<CommitResult> {
    if (this.#opts.readOnly) return Promise.reject(new StoreError("store is open read-only"));
    if (this.#closed) return Promise.reject(new StoreError("store is closed"));
    if (this.#failed !== null) return Promise.reject(new StoreError("store failed earlier and refuses writes", { cause: this.#failed }));
    const parsed = TransactionSchema.safeParse(tx);
    if (!parsed.success) return Promise.reject(new StoreError(`invalid transaction: ${z.prettifyError(parsed.error)}`));
    const id = tx.deliveryId;
    if (this.#deliveries.has(id)) return Promise.resolve({ status: "duplicate" });
    const inflight = this.#inflight.get(id);
    if (inflight !== undefined) {
      return inflight.then(
        () => ({ status: "duplicate" }),
        () => this.commit(tx),
      );
    }
    const promise = new Promise<CommitResult>((resolve, reject) => {
      this.#queue.push({ tx: parsed.data, resolve, reject });
    });
    this.#inflight.set(id, promise);
    const clear = (): void => {
      this.#inflight.delete(id);
    };
    promise.then(clear, clear);
    this.#kick();
    return promise;
  }

  /** Start the flush loop unless it runs; a commit queued while it was
   * finishing restarts it, so nothing waits forever. */
  #kick(): void {
    if (this.#flushing !== null) return;
    this.#flushing = this.#flushLoop().finally(() => {
      this.#flushing = null;
      if (this.#queue.length > 0) this.#kick();
    });
  }

  async #flushLoop(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#queue.splice(0, this.#opts.maxGroupSize);
      const entries = group.map((p, i) => ({ ...p.tx, seq: this.#seq + 1 + i }));
      const buf = Buffer.from(entries.map(encodeEntry).join(""), "utf8");
      const journal = this.#journal;
      if (journal === null) {
        for (const p of group) p.reject(new StoreError("store is closed"));
        continue;
      }
      try {
        let written = 0;
        while (written < buf.length) {
          const { bytesWritten } = await journal.write(buf, written, buf.length - written, null);
          written += bytesWritten;
        }
        if (this.#opts.fsync) await journal.datasync();
      } catch (error) {
        // Roll the journal back to its last good length so a partial
        // write can never be replayed; if even that fails, stop writing.
        try {
          await journal.truncate(this.#journalBytes);
        } catch (truncateError) {
          this.#failed = truncateError;
        }
        for (const p of group) p.reject(new StoreError("journal write failed", { cause: error }));
        continue;
      }
      this.#groupCommits += 1;
      this.#journalBytes += buf.length;
      this.#journalTx += entries.length;
      for (const e of entries) this.#apply(e);
      for (const [i, p] of group.entries()) p.resolve({ status: "stored", seq: entries[i]?.seq ?? this.#seq });
      if (this.#journalTx >= this.#opts.journalRotateAfter || this.#journalBytes >= this.#opts.journalRotateBytes) {
        await this.#rotate();
      }
    }
  }

  get(key: string): Promise<Signal | undefined> {
    return Promise.resolve(this.#signals.get(key));
  }

  list(filter: SignalFilter = {}): Promise<Signal[]> {
    const out: Signal[] = [];
    for (const s of this.#signals.values()) {
      if (filter.repo !== undefined && s.repo !== filter.repo) continue;
      if (filter.kind !== undefined && s.kind !== filter.kind) continue;
      out.push(s);
    }
    return Promise.resolve(out);
  }

  hasDelivery(deliveryId: string): Promise<boolean> {
    return Promise.resolve(this.#deliveries.has(deliveryId));
  }

  getCursor(name: string): Promise<string | null> {
    return Promise.resolve(this.#cursors.get(name) ?? null);
  }

  listCursors(prefix: string): Promise<[string, string][]> {
    return Promise.resolve([...this.#cursors.entries()].filter(([n]) => n.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  stats(): Promise<SignalStats> {
    return Promise.resolve(countSignals(this.#signals.values()));
  }

  /** Lease changes run one at a time: read, decide and commit are one step for this (only) writer. */
  #leaseChain: Promise<unknown> = Promise.resolve();

  #leaseStep<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#leaseChain.then(step, step);
    this.#leaseChain = next.catch(() => undefined);
    return next;
  }

  tryLease(name: string, holder: string, now: Date, until: Date): Promise<boolean> {
    return this.#leaseStep(async () => {
      const cursor = leaseCursor(name);
      const current = activeLease(this.#cursors.get(cursor) ?? null, now);
      if (current !== null && current.holder !== holder) return false;
      const value = JSON.stringify({ holder, until: until.toISOString() });
      await this.commit({ deliveryId: `${cursor}:${holder}:${now.toISOString()}:${String(process.hrtime.bigint())}`, receivedAt: now.toISOString(), ops: [{ op: "cursor", name: cursor, value }] });
      return true;
    });
  }

  releaseLease(name: string, holder: string, now: Date): Promise<void> {
    return this.#leaseStep(async () => {
      const cursor = leaseCursor(name);
      const value = this.#cursors.get(cursor) ?? null;
      if (activeLease(value, now)?.holder !== holder) return;
      await this.commit({ deliveryId: `${cursor}:${holder}:release:${now.toISOString()}:${String(process.hrtime.bigint())}`, receivedAt: now.toISOString(), ops: [{ op: "cursor", name: cursor, value: null }] });
    });
  }

  /** Journal writes so far: fewer than commits when commits were grouped. */
  get groupCommits(): number {
    return this.#groupCommits;
  }

  /** Snapshots written so far by this instance. */
  get compactions(): number {
    return this.#compactions;
  }

  /** How many deliveries are stored (for benchmarks and diagnostics). */
  get deliveryCount(): number {
    return this.#deliveries.size;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    while (this.#flushing !== null) await this.#flushing;
    while (this.#compacting !== null) await this.#compacting;
    if (this.#journal !== null) {
      await this.#journal.close();
      this.#journal = null;
    }
    if (!this.#opts.readOnly) await releaseLock(this.#dir);
  }
}

const listFiles = async (dir: string): Promise<string[]> => {
  try {
    return await readdir(dir);
  } catch (e) {
    if (isErrno(e, "ENOENT")) return [];
    throw e;
  }
};

const fsyncPath = async (path: string): Promise<void> => {
  const fh = await open(path, "r");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
};
