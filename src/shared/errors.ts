/** A Node system error with this `code` (ENOENT, EEXIST, EPERM, …). */
export const isErrno = (e: unknown, code: string): boolean =>
  typeof e === "object" && e !== null && "code" in e && e.code === code;

/** The store refused or failed: a store error means nothing was acknowledged. */
export class StoreError extends Error {
  override readonly name = "StoreError";
}
