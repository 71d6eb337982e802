import { newTestEvent, newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresEventLog, type PostgresEventLog } from "./postgres-event-log.ts";
import { currentHorizon, currentXmax } from "./queries/read-all.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

const database = testDatabase(40);
let log: PostgresEventLog;
beforeAll(async () => {
  log = await createPostgresEventLog({ pool: database.pool, schema: database.newSchema("order") });
});
afterAll(async () => {
  await log.close();
  await database.close();
});

async function readUntilSome(log: PostgresEventLog, after: number) {
  for (let i = 0; i < 500; i++) {
    const events = await log.readAll({ after });
    if (events.length > 0) return events;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`nothing became readable after ${after}`);
}

/** Calls append_batch for one event inside a transaction the test controls (to hold it open). */
function appendSql(schema: string, streamId: string) {
  const e = newTestEvent("ClipAdded", { held: true });
  return {
    id: e.id,
    text: `select last_global_position from ${schema}.append_batch($1, '', '1', false, $2, '1', 'ClipAdded', '1', $3, 'c', 'c', 'u', 'system', '', '')`,
    values: [streamId, e.id, JSON.stringify(e.data)],
  };
}

describe("$all order without skips", () => {
  it("delivers an event whose transaction has the HIGHER xid but the LOWER global position, which position order would skip", async () => {
    const schema = log.schema;
    const start = await log.append(testStreamId(), newTestEvents(1), { expectedVersion: "no-stream" });
    const older = await database.pool.connect();
    const younger = await database.pool.connect();
    try {
      await older.query("begin");
      await older.query("select pg_current_xact_id()"); // older tx takes the lower xid first
      await younger.query("begin");
      await younger.query("select pg_current_xact_id()");
      const y = appendSql(schema, testStreamId("younger"));
      const yPos = Number((await younger.query(y.text, y.values)).rows[0].last_global_position); // lower position
      const o = appendSql(schema, testStreamId("older"));
      const oPos = Number((await older.query(o.text, o.values)).rows[0].last_global_position); // higher position
      expect(oPos).toBeGreaterThan(yPos);
      await older.query("commit");

      // The younger transaction is still open: the older one's event is already safe to read (once
      // unrelated transactions elsewhere in the cluster, which also hold the horizon, have finished).
      const first = await readUntilSome(log, start.lastGlobalPosition);
      expect(first.map((e) => e.id)).toEqual([o.id]);
      const cursor = first[0]!.globalPosition;

      await younger.query("commit");
      // Naive position order from the same cursor misses the younger event for good...
      const naive = await database.pool.query(`select id::text from ${schema}.events where global_position > $1 order by global_position`, [
        cursor,
      ]);
      expect(naive.rows).toEqual([]);
      // ...while (transaction_id, global_position) order delivers it.
      const next = await readUntilSome(log, cursor);
      expect(next.map((e) => e.id)).toEqual([y.id]);
      expect(await log.readAll({ after: next[0]!.globalPosition })).toEqual([]);
    } finally {
      await older.query("rollback").catch(() => {});
      await younger.query("rollback").catch(() => {});
      older.release();
      younger.release();
    }
  });

  it("gives a live reader exactly the events of 32 concurrent transactions, which commit out of position order", async () => {
    // No write combining: every append is its own transaction, up to 32 at once (the pool has 40).
    const concurrent = await createPostgresEventLog({ pool: database.pool, schema: log.schema, migrate: false, writeCombining: false });
    const schema = log.schema;
    const streams = Array.from({ length: 96 }, () => testStreamId("w"));
    const from = (await log.readAll()).at(-1)?.globalPosition ?? 0;
    const highest = await database.pool.query(`select coalesce(max(global_position), 0)::float8 as p from ${schema}.events`);
    const before = Number(highest.rows[0].p);
    const written: string[] = [];
    // Set when the writers are done: the xmax then; every append committed before it has a lower xid.
    let finishedBefore: bigint | undefined;
    const read: string[] = [];
    let polls = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    let writing = true;

    const reader = (async () => {
      let cursor = from;
      for (;;) {
        // The horizon is taken BEFORE the read: if it already passed the writers' end and the read is
        // empty, every written event has been read. (An empty read alone is not enough: unrelated
        // transactions elsewhere in the cluster can hold the horizon back for a moment.)
        const target = finishedBefore;
        const horizon = target === undefined ? undefined : await currentHorizon(log.db);
        const batch = await log.readAll({ after: cursor, maxCount: 200 });
        polls++;
        for (const e of batch) read.push(e.id);
        if (batch.length > 0) cursor = batch.at(-1)!.globalPosition;
        else if (target !== undefined && horizon !== undefined && horizon >= target) return;
        else await new Promise((r) => setTimeout(r, 1));
      }
    })();

    // Watches the committed positions with no horizon: a hole below the highest committed position is
    // an append with a LOWER position still in flight while a higher one has committed.
    let holesSeen = 0;
    const watcher = (async () => {
      while (writing) {
        const { rows } = await database.pool.query(
          `select count(*)::int as n, min(global_position)::float8 as lo, max(global_position)::float8 as hi from ${schema}.events where global_position > $1`,
          [before],
        );
        const { n, lo, hi } = rows[0] as { n: number; lo: number | null; hi: number | null };
        if (lo !== null && hi !== null && n < hi - lo + 1) holesSeen++;
      }
    })();

    const writers = Array.from({ length: 32 }, async (_, w) => {
      for (let i = 0; i < 20; i++) {
        const events = newTestEvents(1 + ((w + i) % 3));
        const stream = streams[(w * 7 + i * 13) % streams.length]!;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          await concurrent.append(stream, events, { expectedVersion: "any" });
        } finally {
          inFlight--;
        }
        for (const e of events) written.push(e.id);
      }
    });
    try {
      await Promise.all(writers);
    } finally {
      writing = false;
      await watcher;
      await concurrent.close();
    }
    finishedBefore = await currentXmax(log.db);
    await reader;

    let expected = 0;
    for (let w = 0; w < 32; w++) for (let i = 0; i < 20; i++) expected += 1 + ((w + i) % 3);
    expect(written.length).toBe(expected);
    expect(maxInFlight).toBe(32);
    // Commits did land out of position order while the reader was reading...
    expect(holesSeen).toBeGreaterThan(0);
    // ...and every hole was an append in flight, not a lost position: none is left.
    const { rows } = await database.pool.query(
      `select count(*)::int as n, (max(global_position) - min(global_position) + 1)::int as span from ${schema}.events where global_position > $1`,
      [before],
    );
    expect(rows[0]).toEqual({ n: expected, span: expected });
    expect(new Set(read).size).toBe(read.length); // no duplicates
    expect(read.length).toBe(written.length);
    expect(new Set(read)).toEqual(new Set(written));
    expect(polls).toBeGreaterThan(1);
  });
});
