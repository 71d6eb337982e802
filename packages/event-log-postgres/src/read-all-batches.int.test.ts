import { newTestEvent, newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresEventLog, type PostgresEventLog } from "./postgres-event-log.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

const database = testDatabase();
let pglite: PGlite;
const logs: Record<string, PostgresEventLog> = {};
beforeAll(async () => {
  pglite = await PGlite.create();
  logs.pg = await createPostgresEventLog({ pool: database.pool, schema: database.newSchema("batches") });
  logs.pglite = await createPostgresEventLog({ pglite, schema: "batches" });
}, 60_000);
afterAll(async () => {
  for (const log of Object.values(logs)) await log.close();
  await pglite.close();
  await database.close();
});

/** readAll once `count` events are readable: a transaction elsewhere in the cluster can hold the horizon back. */
async function settled(log: PostgresEventLog, after: number | undefined, count: number) {
  for (let i = 0; i < 500; i++) {
    const events = await log.readAll(after === undefined ? {} : { after });
    if (events.length >= count) return events;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`fewer than ${count} events became readable`);
}

async function collect(iterable: AsyncIterable<unknown[]>): Promise<unknown[][]> {
  const batches: unknown[][] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

describe.each(["pg", "pglite"])("readAllBatches on %s", (driver) => {
  it("yields the same events as readAll, in batches of maxCount, and ends at the end of the log", async () => {
    const log = logs[driver] as PostgresEventLog;
    const start = (await log.readAll()).at(-1)?.globalPosition;
    const traced = newTestEvent(
      "ClipAdded",
      { n: 0 },
      {
        metadata: {
          correlationId: "c",
          causationId: "k",
          actor: { userId: "u", role: "system" },
          trace: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" },
        },
      },
    );
    await log.append(testStreamId(), [traced, ...newTestEvents(9)], { expectedVersion: "no-stream" });
    for (let i = 0; i < 4; i++) await log.append(testStreamId(), newTestEvents(6, "ClipMoved"), { expectedVersion: "any" });
    const expected = await settled(log, start, 34);
    expect(expected).toHaveLength(34);

    const batches = await collect(log.readAllBatches({ ...(start === undefined ? {} : { after: start }), maxCount: 10 }));
    expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 4]);
    expect(batches.flat()).toEqual(expected);
    expect(batches[0]?.[0]).toMatchObject({
      id: traced.id,
      trace: { traceparent: traced.metadata.trace?.traceparent },
      recordedAt: expect.any(Date),
    });

    // An exact multiple ends with one empty read; a type filter applies to every batch.
    expect(
      (await collect(log.readAllBatches({ after: expected[23]?.globalPosition as number, maxCount: 10 }))).map((b) => b.length),
    ).toEqual([10]);
    const moved = await collect(log.readAllBatches({ after: expected[0]?.globalPosition as number, types: ["ClipMoved"], maxCount: 5 }));
    expect(moved.flat().map((e) => (e as { type: string }).type)).toEqual(Array(24).fill("ClipMoved"));
  });

  it("stops cleanly when the caller breaks off with a read-ahead in flight, and reports a bad cursor", async () => {
    const log = logs[driver] as PostgresEventLog;
    const events = newTestEvents(5);
    await log.append(testStreamId(), events, { expectedVersion: "no-stream" });
    await settled(log, undefined, 5);
    let seen = 0;
    for await (const batch of log.readAllBatches({ maxCount: 2 })) {
      seen += batch.length;
      break;
    }
    expect(seen).toBe(2);
    await expect(collect(log.readAllBatches({ after: 987_654_321 }))).rejects.toMatchObject({
      name: "InvalidReadOptionError",
      field: "after",
    });
    await expect(collect(log.readAllBatches({ maxCount: 0 }))).rejects.toMatchObject({ name: "InvalidReadOptionError", field: "maxCount" });
  });
});
