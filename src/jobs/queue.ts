import type { Log } from "../shared/logger.js";

/**
 * Background work off the webhook path, one job at a time (the app shares
 * its installation's rate limit). A job already waiting or running under the
 * same name is not queued twice. Failures are logged; the queue carries on.
 */
export interface JobQueue {
  enqueue(name: string, run: () => Promise<void>): boolean;
  /** Resolves when nothing is queued or running. */
  idle(): Promise<void>;
  pending(): string[];
}

export const createJobQueue = (log: Log): JobQueue => {
  const queue: { name: string; run: () => Promise<void> }[] = [];
  const names = new Set<string>();
  let running: Promise<void> | null = null;
  const drain = async (): Promise<void> => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      try {
        await job.run();
      } catch (e) {
        log.error({ job: job.name, err: e instanceof Error ? e.message : String(e) }, "background job failed");
      } finally {
        names.delete(job.name);
      }
    }
  };
  const kick = (): void => {
    running ??= drain().finally(() => {
      running = null;
      if (queue.length > 0) kick();
    });
  };
  return {
    enqueue: (name, run) => {
      if (names.has(name)) return false;
      names.add(name);
      queue.push({ name, run });
      kick();
      return true;
    },
    idle: async () => {
      while (running !== null) await running;
    },
    pending: () => [...names],
  };
};
