import { randomBytes } from "node:crypto";
import { type AppendResult, isErrorKind, type NewEvent } from "@dubstage/event-log";
import { newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { requireEnv } from "@dubstage/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresEventLog, type PostgresEventLog } from "./postgres-event-log.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

const database = testDatabase(20);
let log: PostgresEventLog;
beforeAll(async () => {
  // One batch at a time: appends made in the same tick all share the first batch.
  log = await createPostgresEventLog({ pool: database.pool, schema: database.newSchema("combine"), writeCombining: { maxInFlight: 1 } });
});
afterAll(async () => {
  await log.close();
  await database.close();
});

/** The distinct transactions that wrote these events: appends written together share one. */
async function transactionsOf(events: readonly NewEvent[]): Promise<string[]> {
  const { rows } = await database.pool.query(
    `select distinct transaction_id::text as xid from ${log.schema}.events where id = any($1::uuid[])`,
    [events.map((e) => e.id)],
  );
  return rows.map((r) => r.xid as string);
}

const settle = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: error as Error & Record<string, unknown> }),
  );

function failure(outcome: Awaited<ReturnType<typeof settle>>): Error & Record<string, unknown> {
  if (outcome.ok) throw new Error(`expected the append to fail, it returned ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

describe("write combining", () => {
  it("writes concurrent appends in one transaction; exactly the conflicting ones fail, the rest land", async () => {
    const a = testStreamId("a");
    const [b, c, d] = [testStreamId("b"), testStreamId("c"), testStreamId("d")];
    await log.append(a, newTestEvents(2), { expectedVersion: "no-stream" });
    const batch = {
      a1: newTestEvents(2, "ClipAdded", 3),
      a2: newTestEvents(1, "ClipMoved"),
      b1: newTestEvents(3),
      a3: newTestEvents(1, "ClipTrimmed", 5),
      c1: newTestEvents(1),
      d1: newTestEvents(2),
    };
    const [a1, a2, b1, a3, c1, d1] = await Promise.all([
      settle(log.append(a, batch.a1, { expectedVersion: { exact: 2 } })),
      settle(log.append(a, batch.a2, { expectedVersion: { exact: 2 } })), // stale once a1 is in
      settle(log.append(b, batch.b1, { expectedVersion: "no-stream" })),
      settle(log.append(a, batch.a3, { expectedVersion: { exact: 4 } })), // sees a1, unaffected by a2
      settle(log.append(c, batch.c1, { expectedVersion: { exact: 1 } })), // c does not exist
      settle(log.append(d, batch.d1, { expectedVersion: "any" })),
    ]);

    expect(a1).toMatchObject({ ok: true, value: { streamId: a, streamVersion: 4, duplicate: false } });
    expect(failure(a2)).toMatchObject({ name: "StreamVersionConflictError", streamId: a, expected: "2", actual: 4 });
    expect(b1).toMatchObject({ ok: true, value: { streamId: b, streamVersion: 3 } });
    expect(a3).toMatchObject({ ok: true, value: { streamId: a, streamVersion: 5 } });
    expect(failure(c1)).toMatchObject({ name: "StreamVersionConflictError", streamId: c, expected: "1", actual: "no-stream" });
    expect(d1).toMatchObject({ ok: true, value: { streamId: d, streamVersion: 2 } });

    const readA = await log.readStream(a);
    expect(readA.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(readA.slice(2).map((e) => e.id)).toEqual([...batch.a1, ...batch.a3].map((e) => e.id));
    expect(await log.readStream(c)).toEqual([]);
    expect(await log.streamVersion(c)).toBeUndefined();
    // Each result's position is its last event's, and the four written appends share ONE transaction.
    const [lastB] = await log.readStream(b, { direction: "backwards", maxCount: 1 });
    expect(b1.ok && b1.value.lastGlobalPosition).toBe(lastB?.globalPosition);
    expect(await transactionsOf([...batch.a1, ...batch.b1, ...batch.a3, ...batch.d1])).toHaveLength(1);
    expect(await transactionsOf(batch.a2)).toEqual([]);
  });

  it("answers resends and reused ids inside a batch per append, writing the others once", async () => {
    const x = testStreamId("x");
    const original = newTestEvents(3);
    const first = await log.append(x, original, { expectedVersion: "no-stream" });
    await log.append(x, newTestEvents(1), { expectedVersion: { exact: 3 } });
    const y = testStreamId("y");
    const fresh = newTestEvents(2);
    const partial = [original[0]!, ...newTestEvents(1)];
    const [resend, written, mixed, elsewhere, twice] = await Promise.all([
      settle(log.append(x, original, { expectedVersion: "no-stream" })), // stale version, but a resend
      settle(log.append(y, fresh, { expectedVersion: "no-stream" })),
      settle(log.append(x, partial, { expectedVersion: "any" })),
      settle(log.append(testStreamId("z"), original.slice(1), { expectedVersion: "any" })),
      settle(log.append(y, fresh, { expectedVersion: "no-stream" })), // the same append twice at once
    ]);
    expect(resend).toEqual({ ok: true, value: { ...first, duplicate: true } });
    expect(written).toMatchObject({ ok: true, value: { streamVersion: 2, duplicate: false } });
    expect(failure(mixed)).toMatchObject({ name: "EventIdConflictError", existingIds: [original[0]!.id.toLowerCase()] });
    expect(failure(elsewhere)).toMatchObject({ name: "EventIdConflictError" });
    expect(written.ok && twice).toEqual({ ok: true, value: { ...(written.ok ? written.value : {}), duplicate: true } });
    expect((await log.readStream(x)).map((e) => e.id)).toHaveLength(4);
    expect((await log.readStream(y)).map((e) => e.id)).toEqual(fresh.map((e) => e.id));
  });

  it("keeps every stream gap-free under many concurrent appends from two logs on the same schema", async () => {
    // Two instances stand for two processes: their batches lock overlapping streams concurrently.
    const other = await createPostgresEventLog({
      pool: database.pool,
      schema: log.schema,
      migrate: false,
      writeCombining: { maxInFlight: 3 },
    });
    try {
      const streams = Array.from({ length: 6 }, () => testStreamId("s"));
      const appends: Promise<AppendResult>[] = [];
      for (let i = 0; i < 240; i++) {
        const target = i % 2 === 0 ? log : other;
        const stream = streams[(i * 7) % streams.length] as string;
        appends.push(target.append(stream, newTestEvents(1 + (i % 3)), { expectedVersion: "any" }));
        if (i % 40 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      }
      const results = await Promise.all(appends);
      for (const stream of streams) {
        const events = await log.readStream(stream);
        expect(events.map((e) => e.streamVersion)).toEqual(events.map((_, i) => i + 1));
        const ends = results.filter((r) => r.streamId === stream).map((r) => r.streamVersion);
        expect(new Set(ends).size).toBe(ends.length);
        expect(Math.max(...ends)).toBe(events.length);
      }
      const expected = Array.from({ length: 240 }, (_, i) => 1 + (i % 3)).reduce((sum, n) => sum + n, 0);
      const total = await database.pool.query(`select count(*)::int as n from ${log.schema}.events where stream_id = any($1)`, [streams]);
      expect(total.rows[0].n).toBe(expected);
    } finally {
      await other.close();
    }
  });

  it("fails every append of a batch whose connection dies with EventLogUnavailableError; the retry writes each once", async () => {
    const appName = `evlog-combine-${randomBytes(4).toString("hex")}`;
    const pool = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), application_name: appName, max: 4 });
    pool.on("error", () => {});
    const victim = await createPostgresEventLog({ pool, schema: log.schema, migrate: false, writeCombining: { maxInFlight: 1 } });
    const held = testStreamId("held");
    await victim.append(held, newTestEvents(1), { expectedVersion: "no-stream" });
    const blocker = await database.pool.connect();
    const batch = [
      { stream: held, events: newTestEvents(2, "ClipAdded", 2) },
      { stream: testStreamId("p"), events: newTestEvents(1) },
      { stream: testStreamId("q"), events: newTestEvents(3) },
    ];
    try {
      await blocker.query("begin");
      await blocker.query(`select version from ${log.schema}.streams where stream_id = $1 for update`, [held]);
      const pending = batch.map((a) => settle(victim.append(a.stream, a.events, { expectedVersion: "any" })));
      // The batch waits on the held stream row inside its one statement: end that session.
      for (let i = 0; ; i++) {
        const { rows } = await database.pool.query(
          "select pid from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
          [appName],
        );
        if (rows[0]) {
          await database.pool.query("select pg_terminate_backend($1)", [rows[0].pid]);
          break;
        }
        if (i > 200) throw new Error("the batch never waited on the stream lock");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const outcomes = await Promise.all(pending);
      for (const outcome of outcomes) {
        const error = failure(outcome);
        expect(isErrorKind(error, "dependency-unavailable"), String(error)).toBe(true);
      }
    } finally {
      await blocker.query("rollback");
      blocker.release();
    }
    try {
      const retried = await Promise.all(batch.map((a) => victim.append(a.stream, a.events, { expectedVersion: "any" })));
      expect(retried.map((r) => [r.streamVersion, r.duplicate])).toEqual([
        [3, false],
        [1, false],
        [3, false],
      ]);
      for (const a of batch)
        expect((await log.readStream(a.stream)).map((e) => e.id)).toEqual(expect.arrayContaining(a.events.map((e) => e.id)));
      expect(await log.readStream(held)).toHaveLength(3);
    } finally {
      await victim.close();
      await pool.end();
    }
  });
});
