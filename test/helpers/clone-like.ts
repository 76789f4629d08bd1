import { existsSync } from "node:fs";
import { cp, mkdir, stat, symlink } from "node:fs/promises";
import { join } from "node:path";
import { cleanEnv, runCommand, tail } from "./run-command.js";

/**
 * The repository as a fresh clone of the work tree would have it (tracked and
 * new files, nothing .gitignore keeps out: no dist/, no data/), copied to
 * `to`, with this repository's node_modules linked in (never run `npm ci` or
 * `npm install` there: they would rewrite the linked folder). Builds in the
 * copy leave the repository's own dist/, which other test files run, alone.
 */
export const cloneLike = async (repo: string, to: string): Promise<void> => {
  const listed = await runCommand("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repo, env: cleanEnv() });
  if (listed.code !== 0) throw new Error(`git ls-files failed:\n${tail(listed)}`);
  for (const file of listed.stdout.split("\0").filter((f) => f !== "")) {
    const from = join(repo, file);
    if (!existsSync(from) || (await stat(from)).isDirectory()) continue; // deleted in the work tree; a submodule
    await mkdir(join(to, file, ".."), { recursive: true });
    await cp(from, join(to, file));
  }
  await symlink(join(repo, "node_modules"), join(to, "node_modules"), "dir");
};
