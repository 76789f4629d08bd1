import { type Environment, withoutEmpty } from "../config/env-file.js";
import { SettingsError } from "../config/settings.js";
import type { Clock } from "../shared/clock.js";
import { SetupError, UsageError, isParseArgsError } from "./errors.js";
import { USAGE, commandUsage, isCommandName, type CommandName } from "./usage.js";

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
  /** Whether stderr is a terminal (progress redraws one line). */
  isTty?: boolean;
  /** "Now" for backfill windows and retention (default: the system clock); tests freeze it. */
  clock?: Clock;
  /** Where `env` came from (.env or the environment), for `doctor`. */
  environment?: Environment;
}

type Command = (args: string[], io: CliIo) => Promise<number>;

/** Each command is loaded when it runs, so `--help` and a mistyped command answer at once. */
const COMMANDS: Record<CommandName, () => Promise<Command>> = {
  doctor: async () => (await import("./doctor.js")).doctorCommand,
  stats: async () => (await import("./stats.js")).statsCommand,
  backfill: async () => (await import("./commands.js")).backfillCommand,
  export: async () => (await import("./commands.js")).exportCommand,
  analyze: async () => (await import("./analyze.js")).analyzeCommand,
  run: async () => (await import("./commands.js")).runCommand,
  check: async () => (await import("./check.js")).checkCommand,
  "validate-config": async () => (await import("./validate-config.js")).validateConfigCommand,
};

/** `--help` or `-h` among the options (not after a `--`). */
const asksForHelp = (args: readonly string[]): boolean => {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
};

/**
 * Runs one CLI command and returns the exit code: 0 success, 1 the command
 * found a problem, 2 it could not run as asked. Usage errors (including
 * node:util parseArgs' own) and setup errors (credentials, environment, no
 * store) are printed here as `review-reviewer <command>: <message>`; other
 * failures are thrown to the caller (bin.ts prints them, exit 1).
 */
export const runCli = async (argv: string[], io: CliIo): Promise<number> => {
  // Empty variables count as unset everywhere (the Actions example passes `APP_ID: ""`), as in the app's settings.
  const cli: CliIo = { ...io, env: withoutEmpty(io.env) };
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(USAGE);
    return 2;
  }
  if (command === "help" || command === "--help" || command === "-h") {
    const topic = command === "help" ? rest[0] : undefined;
    if (topic === undefined) {
      io.out(USAGE);
      return 0;
    }
    if (isCommandName(topic)) {
      io.out(commandUsage(topic));
      return 0;
    }
    io.err(`review-reviewer help: unknown command: ${topic}\n\n${USAGE}`);
    return 2;
  }
  if (!isCommandName(command)) {
    io.err(`review-reviewer: unknown command: ${command}\n\n${USAGE}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    io.out(commandUsage(command));
    return 0;
  }
  try {
    const run = await COMMANDS[command]();
    return await run(rest, cli);
  } catch (e) {
    if (e instanceof UsageError || isParseArgsError(e)) {
      io.err(`review-reviewer ${command}: ${e.message}\nRun 'review-reviewer ${command} --help' for usage.\n`);
      return 2;
    }
    if (e instanceof SetupError || e instanceof SettingsError) {
      io.err(`review-reviewer ${command}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
};
