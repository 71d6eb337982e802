import { randomUUID } from "node:crypto";
import type { EventMetadata, NewEvent } from "../types.ts";

export const testMetadata: EventMetadata = {
  correlationId: "corr-1",
  causationId: "cause-1",
  actor: { userId: "user-1", role: "dialogue_editor" },
};

/** A valid NewEvent with a fresh id; override any field. */
export function newTestEvent<Data = Record<string, unknown>>(
  type: string,
  data: Data,
  overrides: Partial<NewEvent<Data>> = {},
): NewEvent<Data> {
  return { id: randomUUID(), type, data, metadata: testMetadata, ...overrides };
}

/** `count` events of one type with data `{ n: i }` (i from `start`). */
export function newTestEvents(count: number, type = "ClipAdded", start = 1): NewEvent<{ n: number }>[] {
  return Array.from({ length: count }, (_, i) => newTestEvent(type, { n: start + i }));
}

/** A unique stream id per test, so suites sharing storage do not see each other's streams. */
export function testStreamId(prefix = "session"): string {
  return `${prefix}-${randomUUID()}`;
}
