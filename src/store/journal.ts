import { crc32 } from "node:zlib";
import { TransactionSchema, type Transaction } from "./store.js";

/**
 * The write-ahead journal: one line per committed transaction,
 * `<crc32 hex> <json>\n`. A line is valid only if it ends in a newline, its
 * checksum matches and its JSON parses as a transaction, so a write torn by a
 * crash is recognised and dropped, never half-applied.
 */
export interface JournalEntry extends Transaction {
  seq: number;
}

export const encodeEntry = (entry: JournalEntry): string => {
  const json = JSON.stringify(entry);
  return `${crc32(json).toString(16).padStart(8, "0")} ${json}\n`;
};

export interface DecodedJournal {
  entries: JournalEntry[];
  /** Byte length of the valid prefix; anything after it is a torn tail. */
  validBytes: number;
  /** Why decoding stopped early, if it did. */
  stoppedAt: string | null;
}

export const decodeJournal = (buf: Buffer): DecodedJournal => {
  const entries: JournalEntry[] = [];
  let offset = 0;
  while (offset < buf.length) {
    const nl = buf.indexOf(0x0a, offset);
    if (nl === -1) return { entries, validBytes: offset, stoppedAt: `incomplete line at byte ${offset}` };
    const line = buf.toString("utf8", offset, nl);
    const entry = decodeLine(line);
    if (entry === null) return { entries, validBytes: offset, stoppedAt: `corrupt line at byte ${offset}` };
    entries.push(entry);
    offset = nl + 1;
  }
  return { entries, validBytes: offset, stoppedAt: null };
};

const decodeLine = (line: string): JournalEntry | null => {
  const space = line.indexOf(" ");
  if (space !== 8) return null;
  const json = line.slice(9);
  if (crc32(json).toString(16).padStart(8, "0") !== line.slice(0, 8)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return null;
  }
  const parsed = TransactionSchema.safeParse(raw);
  if (!parsed.success || typeof raw !== "object" || raw === null || !("seq" in raw)) return null;
  const seq = raw.seq;
  if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 1) return null;
  return { ...parsed.data, seq };
};
