import type { Probot } from "probot";
import { recordDelivery, type IngestDeps } from "./ingest/record.js";
import { RECORDED_EVENTS } from "./ingest/to-signal.js";

export type AppDeps = IngestDeps;

/**
 * The Probot app: wiring only. Each recorded event goes through the same
 * thin handler (guard → map → durable commit); the per-event logic lives in
 * the pure mappers of ingest/to-signal.ts.
 */
export const createApp =
  (deps: AppDeps) =>
  (app: Probot): void => {
    app.on(RECORDED_EVENTS, async (context) => {
      await recordDelivery(deps, { id: context.id, name: context.name, payload: context.payload }, context.log);
    });
  };
