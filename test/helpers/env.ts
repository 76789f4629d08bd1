import { createActorClassifier } from "../../src/signals/actor.js";
import type { MapperEnv } from "../../src/ingest/to-signal.js";

export const FROZEN_NOW = "2026-11-22T10:00:00.000Z";

export const testClassifier = createActorClassifier({ self: { appId: 4242, appSlug: "review-reviewer" } });

export const mapperEnv = (overrides: Partial<MapperEnv> = {}): MapperEnv => ({
  deliveryId: "delivery-1",
  receivedAt: FROZEN_NOW,
  classifier: testClassifier,
  ...overrides,
});
