import { randomBytes } from "node:crypto";
import type { RecordedEvent } from "@dubstage/event-log";
import { newTestEvent, newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { requireEnv } from "@dubstage/testing";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresEventLog, type PostgresEventLog } from "./postgres-event-log.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

const database = testDatabase(20);
let schema: string;
let readModel: string;
let writer: PostgresEventLog;

beforeAll(async () => {
  schema = database.newSchema("subs");
  readModel = database.newSchema("readmodel");
  writer = await createPostgresEventLog({ pool: database.pool, schema });
  await database.pool.query(`create schema ${readModel}`);
  // Counts how often each event's effect was applied: exactly-once means every count is 1.
  await database.pool.query(
    `create table ${readModel}.applied (consumer text, event_id uuid, applications int not null, primary key (consumer, event_id))`,
  );
});
afterAll(async () => {
  await writer.close();
  await database.close();
});

async function applyOnce(
  tx: Parameters<Parameters<PostgresEventLog["subscribe"]>[1]>[1]["transaction"],
  consumer: string,
  event: RecordedEvent,
) {
  await sql`insert into ${sql.table(`${readModel}.applied`)} (consumer, event_id, applications) values (${consumer}, ${event.id}::uuid, 1)
    on conflict (consumer, event_id) do update set applications = applied.applications + 1`.execute(tx);
}

async function applications(consumer: string): Promise<Map<string, number>> {
  const { rows } = await database.pool.query(`select event_id::text as id, applications from ${readModel}.applied where consumer = $1`, [
    consumer,
  ]);
  return new Map(rows.map((r) => [r.id as string, Number(r.applications)]));
}

describe("subscriptions", () => {
  it("applies each event exactly once through a crash in the middle of a batch (connections killed) and a restart", async () => {
    const consumer = `crash-${randomBytes(4).toString("hex")}`;
    const stream = testStreamId();
    const events = newTestEvents(40);
    await writer.append(stream, events.slice(0, 30), { expectedVersion: "no-stream" });

    // Process A: its own pool, so the crash can kill exactly its sessions.
    const appName = `evlog-crash-${consumer}`;
    const poolA = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), application_name: appName, max: 3 });
    poolA.on("error", () => {});
    const logA = await createPostgresEventLog({ pool: poolA, schema, notifyAppends: false });
    const seenByA: number[] = [];
    let crashed!: () => void;
    const crash = new Promise<void>((resolve) => {
      crashed = resolve;
    });
    const subA = logA.subscribe(
      consumer,
      async (event, { transaction }) => {
        seenByA.push(event.streamVersion);
        await applyOnce(transaction, consumer, event);
        if (event.streamVersion === 15) {
          // Crash in the middle of the second batch (versions 11-20), before its commit: the pool refuses new work,
          // sessions die.
          void poolA.end().catch(() => {});
          await database.pool.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [appName]);
          crashed();
        }
      },
      { batchSize: 10, maxBatchSize: 10, maxBatchMs: 60_000, pollIntervalMs: 50, maxBackoffMs: 50 },
    );
    await crash;
    await subA.stop();
    await logA.close();
    expect(seenByA.at(-1)).toBe(15);
    // The first batch committed with its checkpoint; nothing of the second did.
    expect(await writer.checkpoint(consumer)).toBe((await writer.readStream(stream, { fromVersion: 10, maxCount: 1 }))[0]!.globalPosition);

    // More events while "down", then process B restarts from the stored checkpoint.
    await writer.append(stream, events.slice(30), { expectedVersion: { exact: 30 } });
    const seenByB: number[] = [];
    const subB = writer.subscribe(
      consumer,
      async (event, { transaction }) => {
        seenByB.push(event.streamVersion);
        await applyOnce(transaction, consumer, event);
      },
      { batchSize: 10 },
    );
    await subB.caughtUp();
    await subB.stop();

    expect(seenByB[0]).toBe(11); // the rolled-back batch is redelivered: at least once
    const counts = await applications(consumer);
    expect(counts.size).toBe(40);
    expect([...counts.values()].every((n) => n === 1)).toBe(true); // effect exactly once
    const last = (await writer.readStream(stream, { direction: "backwards", maxCount: 1 }))[0]!;
    expect(await writer.checkpoint(consumer)).toBe(last.globalPosition);
  });

  it("parks an event whose handler keeps failing, records the error and attempts, and moves on", async () => {
    const consumer = `poison-${randomBytes(4).toString("hex")}`;
    const stream = testStreamId();
    const poison = newTestEvent("CorruptClipImported", { clip: "bad" });
    await writer.append(stream, [...newTestEvents(2), poison, ...newTestEvents(2, "ClipAdded", 3)], { expectedVersion: "no-stream" });
    const errors: unknown[] = [];
    let poisonCalls = 0;
    const sub = writer.subscribe(
      consumer,
      async (event, { transaction }) => {
        await applyOnce(transaction, consumer, event);
        if (event.type === "CorruptClipImported") {
          poisonCalls++;
          throw new Error(`cannot import clip ${(event.data as { clip: string }).clip}`);
        }
      },
      { maxAttempts: 3, onError: (error) => errors.push(error) },
    );
    await sub.caughtUp();
    await sub.stop();

    expect(poisonCalls).toBe(3);
    expect(errors).toHaveLength(3);
    const parked = await writer.parkedEvents(consumer);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({ consumer, eventId: poison.id, attempts: 3, error: "Error: cannot import clip bad" });
    const counts = await applications(consumer);
    const streamIds = (await writer.readStream(stream)).map((e) => e.id);
    // Every event of the stream was applied except the poison one, whose writes were rolled back each time.
    expect(streamIds.filter((id) => counts.get(id) === 1)).toEqual(streamIds.filter((id) => id !== poison.id));
    expect(counts.has(poison.id)).toBe(false);
    const last = (await writer.readStream(stream, { direction: "backwards", maxCount: 1 }))[0]!;
    expect(await writer.checkpoint(consumer)).toBe(last.globalPosition);
  });

  it("wakes up on NOTIFY after an append commits (no polling), delivering only the subscribed types", async () => {
    const consumer = `live-${randomBytes(4).toString("hex")}`;
    const received: RecordedEvent[] = [];
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const sub = writer.subscribe(
      consumer,
      async (event) => {
        received.push(event);
        if (event.type === "MixRenderRequested") arrived();
      },
      { pollIntervalMs: 600_000, types: ["MixRenderRequested"] },
    );
    await sub.caughtUp();
    const before = received.length;
    const stream = testStreamId();
    const started = Date.now();
    await writer.append(stream, [newTestEvent("ClipAdded", {}), newTestEvent("MixRenderRequested", { reel: 2 })], {
      expectedVersion: "no-stream",
    });
    await arrival;
    expect(Date.now() - started).toBeLessThan(5_000);
    await sub.stop();
    expect(received.slice(before).map((e) => e.type)).toEqual(["MixRenderRequested"]);
  });
});
