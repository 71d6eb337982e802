import { createInMemoryEventLog, type NewEvent } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { createInProcessEventBus } from "./in-process-event-bus.ts";
import { sessionStreamId } from "./session-streams.ts";
import { eventBusContract } from "./testing/event-bus-contract.ts";

eventBusContract("in-process over the in-memory event log", async () => {
  const log = createInMemoryEventLog();
  const bus = createInProcessEventBus({ eventLog: log, pollIntervalMs: 20 });
  return {
    bus,
    async append(sessionId: string, events: readonly NewEvent[]) {
      const streamId = sessionStreamId(sessionId);
      const result = await log.append(streamId, events, { expectedVersion: "any" });
      bus.notify();
      const from = result.streamVersion - events.length + 1;
      return await log.readStream(streamId, { fromVersion: from, maxCount: events.length });
    },
    async close() {
      await bus.close();
      await log.close();
    },
  };
});

describe("in-process bus specifics", () => {
  it("refuses a second active subscription of the same durable, and deleting an active durable", async () => {
    const bus = createInProcessEventBus({ eventLog: createInMemoryEventLog() });
    const sub = await bus.subscribe({ durableName: "one" }, async () => {});
    await expect(bus.subscribe({ durableName: "one" }, async () => {})).rejects.toMatchObject({ kind: "illegal-state" });
    await expect(bus.deleteDurable("one")).rejects.toMatchObject({ kind: "illegal-state" });
    await sub.stop();
    await bus.deleteDurable("one");
    await bus.close();
    await expect(bus.subscribe({}, async () => {})).rejects.toMatchObject({ kind: "illegal-state" });
  });

  it("skips events of streams that are not sessions", async () => {
    const log = createInMemoryEventLog();
    const bus = createInProcessEventBus({ eventLog: log, pollIntervalMs: 10 });
    const seen: string[] = [];
    await log.append(
      "library-1",
      [
        {
          id: crypto.randomUUID(),
          type: "FileIndexed",
          data: {},
          metadata: { correlationId: "c", causationId: "c", actor: { userId: "u", role: "system" } },
        },
      ],
      { expectedVersion: "any" },
    );
    await log.append(
      "session-s1",
      [
        {
          id: crypto.randomUUID(),
          type: "TrackAdded",
          data: {},
          metadata: { correlationId: "c", causationId: "c", actor: { userId: "u", role: "system" } },
        },
      ],
      { expectedVersion: "any" },
    );
    const sub = await bus.subscribe({}, async (d) => {
      seen.push(`${d.sessionId}:${d.event.type}`);
    });
    const deadline = Date.now() + 2000;
    while (seen.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    await sub.stop();
    await bus.close();
    expect(seen).toEqual(["s1:TrackAdded"]);
  });
});
