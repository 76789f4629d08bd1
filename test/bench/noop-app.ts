import { run } from "probot";
import { RECORDED_EVENTS } from "../../src/ingest/to-signal.js";

/**
 * The ingest benchmark's baseline: the same Probot `run` and env-driven
 * server as dist/main.js, subscribed to the same events, but the handler does
 * nothing (no store, no mapping). The difference between the two apps is the
 * recording work.
 */
const server = await run((app) => {
  app.on(RECORDED_EVENTS, () => Promise.resolve());
});

process.once("SIGTERM", () => {
  server.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
