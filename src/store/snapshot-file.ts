import { open, readFile, rename } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Adapter } from "lowdb";
import { z } from "zod";
import { isErrno } from "../shared/errors.js";
import { SignalSchema } from "../signals/signal.js";

export const SNAPSHOT_FORMAT = 1;

export const SnapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  /** The last journal sequence number folded in. */
  seq: z.number().int().nonnegative(),
  signals: z.array(SignalSchema),
  /** [key, deleted at]: deleted signals that must not come back. */
  tombstones: z.array(z.tuple([z.string(), z.string()])),
  /** [delivery id, received at]: every delivery committed. */
  deliveries: z.array(z.tuple([z.string(), z.string()])),
  /** [name, value]: saved cursors. */
  cursors: z.array(z.tuple([z.string(), z.string()])).default([]),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export interface SnapshotFileOptions {
  /** Items serialised between two yields to the event loop. */
  chunkSize?: number;
  /** Rest between chunks as long as each took (background compaction). */
  pace?: boolean;
}

/**
 * A lowdb adapter for store snapshots. lowdb's own JSONFile stringifies the
 * whole document in one go, which blocks the event loop for as long as the
 * store is big; this one writes in chunks and yields between them, so a
 * snapshot of 100k signals can be taken while webhooks keep being
 * acknowledged. Writes go to a temp file that is fsynced and then renamed,
 * so a crash leaves either the old snapshot or the new one, never half.
 */
export class SnapshotFile implements Adapter<Snapshot> {
  readonly #path: string;
  readonly #chunkSize: number;
  readonly #pace: boolean;

  constructor(path: string, options: SnapshotFileOptions = {}) {
    this.#path = path;
    this.#chunkSize = options.chunkSize ?? 500;
    this.#pace = options.pace ?? false;
  }

  async read(): Promise<Snapshot | null> {
    let text: string;
    try {
      text = await readFile(this.#path, "utf8");
    } catch (e) {
      if (isErrno(e, "ENOENT")) return null;
      throw e;
    }
    return JSON.parse(text) as Snapshot;
  }

  async write(data: Snapshot): Promise<void> {
    const tmp = join(dirname(this.#path), `.${basename(this.#path)}.tmp`);
    const fh = await open(tmp, "w");
    try {
      const put = async (text: string): Promise<void> => {
        const buf = Buffer.from(text, "utf8");
        let written = 0;
        while (written < buf.length) written += (await fh.write(buf, written, buf.length - written, null)).bytesWritten;
      };
      const chunked = async (items: readonly unknown[]): Promise<void> => {
        for (let i = 0; i < items.length; i += this.#chunkSize) {
          const started = performance.now();
          const part = items.slice(i, i + this.#chunkSize).map((x) => JSON.stringify(x));
          await put((i === 0 ? "" : ",") + part.join(","));
          // Pace: rest as long as the chunk took, so a background snapshot
          // takes at most about half of the thread from webhooks.
          const spent = performance.now() - started;
          await new Promise<void>((resolve) => (this.#pace ? setTimeout(resolve, Math.min(spent, 50)) : setImmediate(resolve)));
        }
      };
      await put(`{"format":${String(data.format)},"seq":${String(data.seq)},"tombstones":[`);
      await chunked(data.tombstones);
      await put(`],"deliveries":[`);
      await chunked(data.deliveries);
      await put(`],"cursors":${JSON.stringify(data.cursors)},"signals":[`);
      await chunked(data.signals);
      await put("]}");
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, this.#path);
  }
}
