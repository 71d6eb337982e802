import { randomUUID } from "node:crypto";
import { createInMemoryEventLog, type EventLog, type ReadAllOptions } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { PrefetchingReader } from "./prefetching-reader.ts";

async function logWith(count: number) {
  const log = createInMemoryEventLog();
  for (let i = 0; i < count; i++) {
    await log.append(
      "session-s",
      [
        {
          id: randomUUID(),
          type: "T",
          data: { i },
          metadata: { correlationId: "c", causationId: "c", actor: { userId: "u", role: "system" } },
        },
      ],
      { expectedVersion: "any" },
    );
  }
  return log;
}

/** Records every readAll call the reader makes. */
function spying(log: Pick<EventLog, "readAll">, calls: ReadAllOptions[]): Pick<EventLog, "readAll"> {
  return {
    readAll: (options = {}) => {
      calls.push(options);
      return log.readAll(options);
    },
  };
}

describe("PrefetchingReader", () => {
  it("reads every event once in order, starting the next read as soon as a full batch arrives", async () => {
    const log = await logWith(25);
    const calls: ReadAllOptions[] = [];
    const reader = new PrefetchingReader(spying(log, calls), 10, 0);
    const first = await reader.next();
    expect(first).toHaveLength(10);
    expect(calls).toHaveLength(2); // the second batch is already on its way
    expect(calls[1]?.after).toBe(first.at(-1)?.globalPosition);
    const second = await reader.next();
    const third = await reader.next(); // 5 left: a short batch, nothing read ahead after it
    expect(third).toHaveLength(5);
    expect(calls).toHaveLength(3);
    expect(await reader.next()).toEqual([]);
    const all = (await log.readAll()).map((e) => e.id);
    expect([...first, ...second, ...third].map((e) => e.id)).toEqual(all);
  });

  it("resumes after the given cursor and passes a failed read-ahead to the caller", async () => {
    const log = await logWith(12);
    const events = await log.readAll();
    let fail = false;
    const flaky: Pick<EventLog, "readAll"> = {
      readAll: async (options) => {
        if (fail) throw new Error("database unreachable");
        return await log.readAll(options);
      },
    };
    const reader = new PrefetchingReader(flaky, 5, events[1]!.globalPosition);
    const batch = await reader.next();
    expect(batch.map((e) => e.id)).toEqual(events.slice(2, 7).map((e) => e.id));
    fail = true; // the read-ahead has already started and succeeded; the one after it fails
    expect((await reader.next()).map((e) => e.id)).toEqual(events.slice(7, 12).map((e) => e.id));
    await expect(reader.next()).rejects.toThrow(/database unreachable/);
  });
});
