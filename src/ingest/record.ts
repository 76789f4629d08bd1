import type { ActorClassifier } from "../signals/actor.js";
import type { Signal } from "../signals/signal.js";
import type { Clock } from "../shared/clock.js";
import type { Log } from "../shared/logger.js";
import { isOptedOut } from "../store/state.js";
import type { SignalStore } from "../store/store.js";
import { EVENT_MAPPERS, type RecordedEvent } from "./to-signal.js";

export interface IngestDeps {
  store: SignalStore;
  classifier: ActorClassifier;
  clock: Clock;
}

export interface Delivery {
  id: string;
  name: string;
  payload: unknown;
}

export type RecordOutcome =
  | { status: "stored"; seq: number; ops: number; signals: Signal[] }
  | { status: "duplicate" }
  | { status: "ignored"; reason: string }
  | { status: "invalid"; reason: string };

/** `repository.full_name` of a payload, if it has one (the mappers validate the rest). */
const repositoryOf = (payload: unknown): string | null => {
  if (typeof payload !== "object" || payload === null || !("repository" in payload)) return null;
  const repository = payload.repository;
  if (typeof repository !== "object" || repository === null || !("full_name" in repository)) return null;
  return typeof repository.full_name === "string" ? repository.full_name : null;
};

const isRecordedEvent = (name: string): name is RecordedEvent => Object.hasOwn(EVENT_MAPPERS, name);

/**
 * The whole recording path: guard → map (pure) → commit (durable). No GitHub
 * API call happens here, so an API outage cannot lose or delay a signal.
 * Malformed payloads are logged with the delivery id and skipped; a store
 * failure throws, so the delivery is not acknowledged.
 */
export const recordDelivery = async (deps: IngestDeps, delivery: Delivery, log: Log): Promise<RecordOutcome> => {
  const ctx = { deliveryId: delivery.id, event: delivery.name };
  if (!isRecordedEvent(delivery.name)) return { status: "ignored", reason: "event not recorded" };
  const repo = repositoryOf(delivery.payload);
  if (repo !== null && (await isOptedOut(deps.store, repo))) {
    log.debug({ ...ctx, repo }, "repository opted out (harvest: false): not stored");
    return { status: "ignored", reason: "repository opted out" };
  }
  if (await deps.store.hasDelivery(delivery.id)) {
    log.debug(ctx, "delivery already recorded");
    return { status: "duplicate" };
  }
  const receivedAt = deps.clock().toISOString();
  const mapped = EVENT_MAPPERS[delivery.name](delivery.payload, {
    deliveryId: delivery.id,
    receivedAt,
    classifier: deps.classifier,
  });
  if (mapped.status === "invalid") {
    log.warn({ ...ctx, reason: mapped.reason }, "malformed payload skipped");
    return mapped;
  }
  if (mapped.status === "ignored") {
    log.debug({ ...ctx, reason: mapped.reason }, "delivery ignored");
    return mapped;
  }
  const result = await deps.store.commit({
    deliveryId: delivery.id,
    receivedAt,
    ops: mapped.ops,
  });
  if (result.status === "duplicate") return result;
  log.debug({ ...ctx, seq: result.seq, ops: mapped.ops.length }, "signals recorded");
  const signals = mapped.ops.flatMap((op) => (op.op === "upsert" ? [op.signal] : []));
  return { status: "stored", seq: result.seq, ops: mapped.ops.length, signals };
};
