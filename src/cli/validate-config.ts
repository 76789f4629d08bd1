import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { parseConfig } from "../config/load.js";
import type { CliIo } from "./main.js";
import { errorMessage, UsageError } from "./errors.js";

/** `review-reviewer validate-config FILE`: names every invalid path of a `.github/review-reviewer.yml`. */
export const validateConfigCommand = async (args: string[], io: CliIo): Promise<number> => {
  const { positionals } = parseArgs({ args, allowPositionals: true, strict: true });
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError("needs a FILE");
  if (extra.length > 0) throw new UsageError(`takes one FILE; unexpected: ${extra.join(" ")}`);
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(file, "utf8"));
  } catch (e) {
    io.err(`${file}: ${errorMessage(e)}\n`);
    return 1;
  }
  const result = parseConfig(raw ?? {});
  if (result.ok) {
    io.out(`${file}: valid\n`);
    return 0;
  }
  for (const issue of result.issues) io.err(`${file}: ${issue.path === "" ? "(root)" : issue.path}: ${issue.message}\n`);
  return 1;
};
