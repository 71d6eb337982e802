import { sessionStreamId } from "@dubstage/bus";
import { eventBusContract } from "@dubstage/bus/testing";
import type { NewEvent } from "@dubstage/event-log";
import { requireEnv } from "@dubstage/testing";
import { describe, expect, it } from "vitest";
import { createNatsEventBus } from "./nats-event-bus.ts";
import { createRelayTestBed, eventually } from "./testing/relay-test-bed.ts";

eventBusContract("JetStream, fed by the relay from the PostgreSQL event log", async () => {
  const bed = await createRelayTestBed({ databaseUrl: requireEnv("DATABASE_URL"), natsUrl: requireEnv("NATS_URL") });
  const relay = bed.newRelay();
  relay.start();
  await eventually("relay leadership", () => relay.role === "leader");
  const bus = createNatsEventBus({ nats: bed.nats, stream: bed.stream.name, subjectPrefix: bed.stream.subjectPrefix });
  return {
    bus,
    async append(sessionId: string, events: readonly NewEvent[]) {
      const streamId = sessionStreamId(sessionId);
      const result = await bed.eventLog.append(streamId, events, { expectedVersion: "any" });
      await relay.waitUntilRelayed(result.lastGlobalPosition);
      return await bed.eventLog.readStream(streamId, { fromVersion: result.streamVersion - events.length + 1, maxCount: events.length });
    },
    async close() {
      await bus.close();
      await bed.close();
    },
  };
});

describe("JetStream bus specifics", () => {
  it("drops a malformed message with an error, and keeps delivering", async () => {
    const bed = await createRelayTestBed({ databaseUrl: requireEnv("DATABASE_URL"), natsUrl: requireEnv("NATS_URL") });
    try {
      const relay = bed.newRelay();
      relay.start();
      const sessionId = "malformed-test";
      const first = await bed.append(sessionId, 1);
      await relay.waitUntilRelayed(first.lastGlobalPosition);
      await relay.stop();
      // Something other than the relay wrote to the subject space.
      const { jetstream } = await import("@nats-io/jetstream");
      await jetstream(bed.nats).publish(`${bed.stream.subjectPrefix}.${sessionId}.ClipAdded`, new TextEncoder().encode("{not json"));
      relay.start();
      const second = await bed.append(sessionId, 1);
      const errors: unknown[] = [];
      const received: number[] = [];
      const bus = createNatsEventBus({
        nats: bed.nats,
        stream: bed.stream.name,
        subjectPrefix: bed.stream.subjectPrefix,
        onError: (e) => errors.push(e),
      });
      const sub = await bus.subscribe({ sessionIds: [sessionId] }, async (d) => {
        received.push(d.event.globalPosition);
      });
      await eventually("both valid events", () => received.length === 2, 10_000);
      await sub.stop();
      await bus.close();
      expect(received).toEqual([first.lastGlobalPosition, second.lastGlobalPosition]);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ name: "MalformedEventMessageError", kind: "validation" });
    } finally {
      await bed.close();
    }
  });
});
