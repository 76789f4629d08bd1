import { z } from "zod";
import { SignalSchema, type Signal, type SignalKind } from "../signals/signal.js";

/** Insert or merge a signal (see signals/merge.ts). */
export const UpsertOpSchema = z.object({ op: z.literal("upsert"), signal: SignalSchema });
/** Remove a signal for good: later upserts of the same key are ignored. */
export const DeleteOpSchema = z.object({
  op: z.literal("delete"),
  key: z.string().min(1),
  at: z.iso.datetime({ offset: true }),
  /** Keep a tombstone so the object never comes back (deleted on GitHub, forgotten). Off for
   * retention and opt-out purges, which a later backfill may legitimately refill. */
  tombstone: z.boolean().optional(),
});
/** Save a resumable position (a backfill cursor) atomically with the signals it covers; null clears it. */
export const CursorOpSchema = z.object({
  op: z.literal("cursor"),
  name: z.string().min(1),
  value: z.string().nullable(),
});
export const SignalOpSchema = z.discriminatedUnion("op", [UpsertOpSchema, DeleteOpSchema, CursorOpSchema]);
export type SignalOp = z.infer<typeof SignalOpSchema>;

/** Everything one webhook delivery changes, committed atomically. */
export const TransactionSchema = z.object({
  deliveryId: z.string().min(1),
  receivedAt: z.iso.datetime({ offset: true }),
  ops: z.array(SignalOpSchema).min(1),
});
export type Transaction = z.infer<typeof TransactionSchema>;

export type CommitResult =
  | { status: "stored"; seq: number }
  /** This delivery id was committed before; nothing changed. */
  | { status: "duplicate" };

export interface SignalFilter {
  repo?: string;
  kind?: SignalKind;
}

export interface SignalStats {
  repos: Record<string, Partial<Record<SignalKind, number>>>;
  totals: Partial<Record<SignalKind, number>>;
}

/**
 * The one interface the core sees. Backends: lowdb (embedded default),
 * later postgres. `commit` resolves only once the transaction is durable.
 */
export interface SignalStore {
  commit(tx: Transaction): Promise<CommitResult>;
  get(key: string): Promise<Signal | undefined>;
  list(filter?: SignalFilter): Promise<Signal[]>;
  hasDelivery(deliveryId: string): Promise<boolean>;
  /** A saved cursor (see CursorOpSchema), or null. */
  getCursor(name: string): Promise<string | null>;
  /** Every saved cursor whose name starts with `prefix`. */
  listCursors(prefix: string): Promise<[string, string][]>;
  stats(): Promise<SignalStats>;
  /**
   * Take or renew the named lease for `holder` until `until`, unless another
   * holder's lease is still valid at `now`. Atomic: of two callers racing for
   * a free lease exactly one gets it. Only one replica runs the weekly job.
   */
  tryLease(name: string, holder: string, now: Date, until: Date): Promise<boolean>;
  /** Give the lease back early (only its holder can). */
  releaseLease(name: string, holder: string, now: Date): Promise<void>;
  close(): Promise<void>;
}

/** Where a lease is kept among the store's named values (cursors). */
export const leaseCursor = (name: string): string => `lease:${name}`;

const LeaseSchema = z.object({ holder: z.string(), until: z.iso.datetime({ offset: true }) });

/** The lease a cursor value describes, or null when it is free, expired or unreadable. */
export const activeLease = (value: string | null, now: Date): { holder: string; until: string } | null => {
  if (value === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return null;
  }
  const lease = LeaseSchema.safeParse(parsed);
  if (!lease.success || Date.parse(lease.data.until) <= now.getTime()) return null;
  return lease.data;
};

export const countSignals = (signals: Iterable<Signal>): SignalStats => {
  const stats: SignalStats = { repos: {}, totals: {} };
  for (const s of signals) {
    const repo = (stats.repos[s.repo] ??= {});
    repo[s.kind] = (repo[s.kind] ?? 0) + 1;
    stats.totals[s.kind] = (stats.totals[s.kind] ?? 0) + 1;
  }
  return stats;
};
