#!/usr/bin/env node
import { readEnvironment } from "../config/env-file.js";
import { runCli } from "./main.js";

// `review-reviewer analyze … | head`: a closed pipe ends the output, not the process with a stack trace.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw e;
});

try {
  // The same environment as the app: .env in the working directory over the exported variables, empty = unset.
  const environment = readEnvironment(process.env);
  process.exitCode = await runCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    env: environment.env,
    environment,
    isTty: process.stderr.isTTY,
  });
} catch (e) {
  process.stderr.write(`review-reviewer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
