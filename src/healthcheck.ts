#!/usr/bin/env node
import { readEnvironment } from "./config/env-file.js";

/**
 * The container's HEALTHCHECK: GET /ping on the port the app listens on,
 * read as the app reads it (.env in the working directory over the
 * environment), so a PORT set in a mounted .env is honoured. Exit 0 healthy,
 * 1 not. No logic beyond that.
 */
const { env } = readEnvironment(process.env);
const port = env.PORT ?? "3000";
try {
  const res = await fetch(`http://127.0.0.1:${port}/ping`, { signal: AbortSignal.timeout(4_000) });
  process.exitCode = res.ok ? 0 : 1;
} catch {
  process.exitCode = 1;
}
