import { randomBytes } from "node:crypto";
import type { RecordedEvent } from "@dubstage/event-log";
import { newTestEvent, newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { requireEnv, waitFor } from "@dubstage/testing";
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

  it("retries parked events on request: a failing retry parks again, a fixed handler applies it once, even after a restart", async () => {
    const consumer = `retry-${randomBytes(4).toString("hex")}`;
    const stream = testStreamId();
    const poison = newTestEvent("CorruptClipImported", { clip: "bad" });
    await writer.append(stream, [...newTestEvents(2), poison, ...newTestEvents(2, "ClipAdded", 3)], { expectedVersion: "no-stream" });
    const written = await writer.readStream(stream);
    const poisonPosition = written[2]!.globalPosition;
    let broken = true;
    const handledAt: string[] = [];
    const handler: Parameters<PostgresEventLog["subscribe"]>[1] = async (event, { transaction }) => {
      await applyOnce(transaction, consumer, event);
      if (event.id === poison.id && broken) throw new Error("the clip importer is broken");
      handledAt.push(event.id);
    };
    const options = { maxAttempts: 2, pollIntervalMs: 50, onError: () => {} };
    const first = writer.subscribe(consumer, handler, options);
    await first.caughtUp();
    const checkpoint = await writer.checkpoint(consumer);
    expect(checkpoint).toBe(written.at(-1)!.globalPosition);
    expect(await writer.parkedEvents(consumer)).toMatchObject([{ eventId: poison.id, attempts: 2 }]);

    // Asked while the handler is still broken: two more attempts, parked again, the request cleared.
    const requested = await writer.retryParkedEvents(consumer);
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ eventId: poison.id, globalPosition: poisonPosition });
    expect(requested[0]!.retryRequestedAt).toBeInstanceOf(Date);
    await waitFor("the failed retry", async () => (await writer.parkedEvents(consumer))[0]?.retryRequestedAt === undefined, 10_000);
    const again = await writer.parkedEvents(consumer);
    expect(again).toHaveLength(1);
    expect(again[0]).toMatchObject({ eventId: poison.id, attempts: 4, error: "Error: the clip importer is broken" });
    await first.stop();

    // Fixed, and asked while no subscription runs: the next one to start makes the retry.
    broken = false;
    expect(await writer.retryParkedEvents(consumer, [poisonPosition])).toHaveLength(1);
    const second = writer.subscribe(consumer, handler, options);
    await waitFor("the retry after the fix", async () => (await writer.parkedEvents(consumer)).length === 0, 10_000);
    await second.stop();

    expect(handledAt.filter((id) => id === poison.id)).toHaveLength(1);
    const counts = await applications(consumer);
    expect(written.map((e) => counts.get(e.id))).toEqual([1, 1, 1, 1, 1]); // the poison event's effect exactly once
    expect(await writer.checkpoint(consumer)).toBe(checkpoint); // already past it: unchanged
    expect(await writer.retryParkedEvents(consumer)).toEqual([]);
    expect(await writer.retryParkedEvents(`nobody-${consumer}`)).toEqual([]);
    await expect(writer.retryParkedEvents(consumer, [0])).rejects.toMatchObject({ name: "InvalidReadOptionError" });
  });

  it("rolls back a batch with a poison event, commits the events before it one by one, parks it and batches the rest", async () => {
    const consumer = `batch-poison-${randomBytes(4).toString("hex")}`;
    const stream = testStreamId();
    const poison = newTestEvent("CorruptClipImported", { clip: "bad" });
    await writer.append(stream, [...newTestEvents(4), poison, ...newTestEvents(5, "ClipAdded", 5)], { expectedVersion: "no-stream" });
    const written = await writer.readStream(stream);
    const before = written.slice(0, 4);
    const after = written.slice(5);
    const calls = new Map<string, number>();
    const committedIn = new Map<string, string>(); // event id -> transaction id of its last handling
    const seenAtPoison: { checkpoint: number | undefined; applied: number[] }[] = [];
    const errors: { error: unknown; event: RecordedEvent | undefined }[] = [];
    const afterCommitCalls = new Map<string, number>();
    const sub = writer.subscribe(
      consumer,
      async (event, { transaction, afterCommit }) => {
        calls.set(event.id, (calls.get(event.id) ?? 0) + 1);
        afterCommit(() => afterCommitCalls.set(event.id, (afterCommitCalls.get(event.id) ?? 0) + 1));
        const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(transaction);
        committedIn.set(event.id, rows[0]!.xid);
        await applyOnce(transaction, consumer, event);
        if (event.id === poison.id) {
          // What other sessions see while the poison event fails: the committed state.
          const counts = await applications(consumer);
          seenAtPoison.push({ checkpoint: await writer.checkpoint(consumer), applied: before.map((e) => counts.get(e.id) ?? 0) });
          throw new Error("cannot import clip bad");
        }
      },
      { maxAttempts: 3, batchSize: 100, maxBatchSize: 100, maxBatchMs: 60_000, onError: (error, event) => errors.push({ error, event }) },
    );
    await sub.caughtUp();
    await sub.stop();

    // First call inside the batch: nothing of this stream committed yet. The two retries run alone, after
    // the events before it were committed one per transaction with their checkpoint.
    expect(seenAtPoison).toHaveLength(3);
    expect(seenAtPoison[0]!.applied).toEqual([0, 0, 0, 0]);
    for (const seen of seenAtPoison.slice(1)) expect(seen).toEqual({ checkpoint: before.at(-1)!.globalPosition, applied: [1, 1, 1, 1] });
    expect(before.map((e) => calls.get(e.id))).toEqual([2, 2, 2, 2]); // once in the rolled-back batch, once alone
    expect(new Set(before.map((e) => committedIn.get(e.id))).size).toBe(4);
    expect(after.map((e) => calls.get(e.id))).toEqual([1, 1, 1, 1, 1]);
    expect(new Set(after.map((e) => committedIn.get(e.id))).size).toBe(1); // batched again after the poison event

    expect(errors.map((e) => e.event?.id)).toEqual([poison.id, poison.id, poison.id]);
    const parked = await writer.parkedEvents(consumer);
    expect(parked).toHaveLength(1);
    expect(parked[0]).toMatchObject({
      eventId: poison.id,
      globalPosition: written[4]!.globalPosition,
      attempts: 3,
      error: "Error: cannot import clip bad",
    });
    const counts = await applications(consumer);
    expect(written.filter((e) => counts.get(e.id) === 1).map((e) => e.id)).toEqual(
      written.filter((e) => e.id !== poison.id).map((e) => e.id),
    );
    expect(counts.has(poison.id)).toBe(false);
    expect(await writer.checkpoint(consumer)).toBe(written.at(-1)!.globalPosition);
    // afterCommit ran exactly once per committed handling: never for the rolled-back batch, nor the poison event.
    expect(written.map((e) => afterCommitCalls.get(e.id) ?? 0)).toEqual(written.map((e) => (e.id === poison.id ? 0 : 1)));
  });

  it("runs beforeCommit callbacks in order inside the batch's transaction; one that throws rolls it back and the events go alone", async () => {
    const consumer = `before-commit-${randomBytes(4).toString("hex")}`;
    const stream = testStreamId();
    const poison = newTestEvent("CorruptClipImported", { clip: "bad" });
    await writer.append(stream, [...newTestEvents(3), poison, ...newTestEvents(2, "ClipAdded", 3)], { expectedVersion: "no-stream" });
    const written = await writer.readStream(stream);
    const handledIn = new Map<string, string>(); // event id -> transaction id of its last handling
    const flushes: { xid: string; order: string[]; ids: string[] }[] = [];
    const afterCommitted: string[] = [];
    const errors: (string | undefined)[] = [];
    // A handler that buffers its writes per transaction and writes them all just before the commit.
    const buffers = new WeakMap<object, RecordedEvent[]>();
    const xidOf = async (tx: Parameters<typeof applyOnce>[0]) =>
      (await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(tx)).rows[0]!.xid;
    const sub = writer.subscribe(
      consumer,
      async (event, { transaction, beforeCommit, afterCommit }) => {
        if (event.streamId !== stream) return; // earlier tests' events
        handledIn.set(event.id, await xidOf(transaction));
        let buffer = buffers.get(transaction);
        if (buffer === undefined) {
          const opened: RecordedEvent[] = [];
          const order: string[] = [];
          buffer = opened;
          buffers.set(transaction, opened);
          beforeCommit(async () => {
            order.push("first");
            for (const e of opened) await applyOnce(transaction, consumer, e);
            if (opened.some((e) => e.id === poison.id)) throw new Error("cannot import clip bad");
          });
          beforeCommit(async () => {
            order.push("second");
            flushes.push({ xid: await xidOf(transaction), order, ids: opened.map((e) => e.id) });
          });
          afterCommit(() => afterCommitted.push(...opened.map((e) => e.id)));
        }
        buffer.push(event);
      },
      { maxAttempts: 3, batchSize: 100, maxBatchSize: 100, maxBatchMs: 60_000, onError: (_error, event) => errors.push(event?.id) },
    );
    await sub.caughtUp();
    await sub.stop();

    // The batch failed in its first callback (blaming no event): the second did not run; then every
    // event went alone, the good ones committing, the poison one failing 3 times and parked.
    expect(errors).toEqual([undefined, poison.id, poison.id, poison.id]);
    const good = written.filter((e) => e.id !== poison.id);
    expect(flushes.map((f) => f.ids)).toEqual(good.map((e) => [e.id]));
    for (const flush of flushes) {
      expect(flush.order).toEqual(["first", "second"]);
      expect(flush.xid).toBe(handledIn.get(flush.ids[0]!)); // inside the handler's transaction
    }
    expect(afterCommitted).toEqual(good.map((e) => e.id));
    const counts = await applications(consumer);
    expect(written.map((e) => counts.get(e.id) ?? 0)).toEqual(written.map((e) => (e.id === poison.id ? 0 : 1)));
    const parked = await writer.parkedEvents(consumer);
    expect(parked.map((p) => [p.eventId, p.attempts, p.error])).toEqual([[poison.id, 3, "Error: cannot import clip bad"]]);
    expect(await writer.checkpoint(consumer)).toBe(written.at(-1)!.globalPosition);
  });

  it("commits a batch early once its handlers ran maxBatchMs, so slow handlers do not hold a long transaction", async () => {
    const consumer = `slow-${randomBytes(4).toString("hex")}`;
    const stream = testStreamId();
    await writer.append(stream, newTestEvents(6), { expectedVersion: "no-stream" });
    const ids = new Set((await writer.readStream(stream)).map((e) => e.id));
    const transactions: string[] = [];
    const sub = writer.subscribe(
      consumer,
      async (event, { transaction }) => {
        if (!ids.has(event.id)) return;
        const { rows } = await sql<{ xid: string }>`select pg_current_xact_id()::text as xid`.execute(transaction);
        transactions.push(rows[0]!.xid);
        await applyOnce(transaction, consumer, event);
        await new Promise((resolve) => setTimeout(resolve, 40));
      },
      { maxBatchSize: 100, maxBatchMs: 150 },
    );
    await sub.caughtUp();
    await sub.stop();
    // At least 40 ms per event and a 150 ms cap: at most 4 events per transaction (fewer on a slow machine).
    expect(transactions).toHaveLength(6);
    const perTransaction = [...Map.groupBy(transactions, (xid) => xid).values()].map((group) => group.length);
    expect(perTransaction.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...perTransaction)).toBeLessThanOrEqual(4);
    expect([...(await applications(consumer)).values()]).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it("rejects subscription options that are not positive integers, naming the option", () => {
    expect(() => writer.subscribe("bad-options", async () => {}, { maxBatchSize: 0 })).toThrow(
      expect.objectContaining({ kind: "validation", field: "maxBatchSize", message: expect.stringContaining("maxBatchSize") }),
    );
    expect(() => writer.subscribe("bad-options", async () => {}, { maxBatchMs: 1.5 })).toThrow(
      expect.objectContaining({ field: "maxBatchMs" }),
    );
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
