import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { StoreError, isErrno } from "../shared/errors.js";

const LOCK = "LOCK";

/** Directories this process holds. A lock file naming our own pid but not
 * listed here is left by an earlier process that had the same pid (pid 1 in
 * a restarted container), so it is stale. */
const heldHere = new Set<string>();

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return isErrno(e, "EPERM");
  }
};

/**
 * One writer per store directory. A lock left by a dead process (a crash or
 * kill -9) is taken over; a live one is an error naming its pid.
 */
export const acquireLock = async (dir: string): Promise<void> => {
  const path = join(dir, LOCK);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      if (heldHere.has(dir)) throw new StoreError(`store ${dir} is already open in this process`);
      await writeFile(path, String(process.pid), { flag: "wx" });
      heldHere.add(dir);
      return;
    } catch (e) {
      if (!isErrno(e, "EEXIST")) throw e;
      if (heldHere.has(dir)) throw new StoreError(`store ${dir} is already open in this process`);
      const pid = Number.parseInt(await readFile(path, "utf8").catch(() => ""), 10);
      if (Number.isInteger(pid) && pid !== process.pid && isAlive(pid)) {
        throw new StoreError(`store ${dir} is in use by process ${pid}; stop it first, or open read-only`);
      }
      await rm(path, { force: true });
    }
  }
  throw new StoreError(`could not lock store ${dir}`);
};

export const releaseLock = async (dir: string): Promise<void> => {
  const path = join(dir, LOCK);
  if (!heldHere.has(dir)) return;
  heldHere.delete(dir);
  const pid = await readFile(path, "utf8").catch(() => "");
  if (pid === String(process.pid)) await rm(path, { force: true });
};

/** Who holds a store directory's lock, for reports (`doctor`): nobody, a live process, or a dead one (taken over at the next open). */
export const lockState = async (dir: string): Promise<{ state: "free" | "held" | "stale"; pid: number | null }> => {
  const text = await readFile(join(dir, LOCK), "utf8").catch(() => null);
  const pid = text === null ? Number.NaN : Number.parseInt(text, 10);
  if (!Number.isInteger(pid)) return { state: "free", pid: null };
  return isAlive(pid) ? { state: "held", pid } : { state: "stale", pid };
};
