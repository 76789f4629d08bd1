/** The errors that end a CLI command with exit code 2 (see main.ts's runCli). */

/** A mistake in the arguments: printed as `review-reviewer <command>: <message>` with a pointer to --help. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** What the command needs is missing or unusable (credentials, a store, an input file it cannot use): one line, no pointer to --help. */
export class SetupError extends Error {
  override readonly name = "SetupError";
}

/** node:util parseArgs' own errors (unknown option, missing value, stray argument), by code: they fail `instanceof` inside jest's VM context. */
export const isParseArgsError = (e: unknown): e is { code: string; message: string } =>
  typeof e === "object" && e !== null && "code" in e && typeof e.code === "string" && e.code.startsWith("ERR_PARSE_ARGS_") && "message" in e && typeof e.message === "string";

/** An exception's message; duck-typed, since Node's own errors fail `instanceof Error` inside jest's VM context. */
export const errorMessage = (e: unknown): string =>
  typeof e === "object" && e !== null && "message" in e && typeof e.message === "string" ? e.message : String(e);
