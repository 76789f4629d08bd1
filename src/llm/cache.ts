import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { z } from "zod";
import { isErrno } from "../shared/errors.js";

/**
 * Where validated LLM answers are kept, keyed by a content hash. Values are
 * `unknown` on purpose: the reader re-validates them, so a stale or edited
 * cache can never inject anything the live path would have rejected.
 */
export interface RefineCache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** In-memory cache: for tests and for runs that should not touch the disk. */
export class MemoryRefineCache implements RefineCache {
  readonly entries = new Map<string, unknown>();
  get(key: string): unknown {
    return this.entries.get(key);
  }
  set(key: string, value: unknown): void {
    this.entries.set(key, value);
  }
}

const FileShape = z.object({ version: z.literal(1), entries: z.record(z.string(), z.unknown()) });

export interface FileRefineCacheOptions {
  log?: (msg: string) => void;
  /** Oldest-used entries beyond this are dropped on save, so the file cannot grow without bound. */
  maxEntries?: number;
}

/**
 * A JSON file read once at `open` and written back by `save`. Losing it only
 * costs API calls, so an unreadable or corrupt file is logged and ignored.
 */
export class FileRefineCache implements RefineCache {
  /** Insertion order doubles as recency: `get` and `set` move a key to the end. */
  private readonly entries: Map<string, unknown>;
  private dirty = false;

  private constructor(
    readonly path: string,
    entries: Map<string, unknown>,
    private readonly maxEntries: number,
  ) {
    this.entries = entries;
  }

  static async open(path: string, options: FileRefineCacheOptions = {}): Promise<FileRefineCache> {
    const log = options.log ?? (() => undefined);
    return new FileRefineCache(path, await readEntries(path, log), options.maxEntries ?? 5000);
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): unknown {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key);
    this.entries.delete(key);
    this.entries.set(key, value);
    this.dirty = true;
    return value;
  }

  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    this.dirty = true;
  }

  /** Writes a temp file next to the target and renames it: readers never see half a file. */
  async save(): Promise<void> {
    if (!this.dirty) return;
    const kept = [...this.entries].slice(-this.maxEntries);
    const body = JSON.stringify({ version: 1, entries: Object.fromEntries(kept) });
    await mkdir(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      await writeFile(tmp, body, "utf8");
      await rename(tmp, this.path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    this.dirty = false;
  }
}

const readEntries = async (path: string, log: (msg: string) => void): Promise<Map<string, unknown>> => {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if (!isErrno(e, "ENOENT")) log(`refine cache ${path} is unreadable (${errorCode(e)}); starting empty`);
    return new Map();
  }
  try {
    const parsed = FileShape.safeParse(JSON.parse(text));
    if (parsed.success) return new Map(Object.entries(parsed.data.entries));
  } catch {
    // fall through: not JSON
  }
  log(`refine cache ${path} is corrupt; ignoring it`);
  return new Map();
};

const errorCode = (e: unknown): string =>
  typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" ? e.code : "error";
