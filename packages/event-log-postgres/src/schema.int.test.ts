import { newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { Kysely, PostgresDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATEST_MIGRATION, migrateEventLog } from "./migrations.ts";
import { createPostgresEventLog, type PostgresEventLog } from "./postgres-event-log.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

const database = testDatabase();
let log: PostgresEventLog;
beforeAll(async () => {
  log = await createPostgresEventLog({ pool: database.pool, schema: database.newSchema("schema") });
});
afterAll(async () => {
  await log.close();
  await database.close();
});

const count = async (schema: string) => Number((await database.pool.query(`select count(*) as n from ${schema}.events`)).rows[0].n);

describe("schema", () => {
  it("rejects UPDATE, DELETE and TRUNCATE of events in the database itself", async () => {
    const stream = testStreamId();
    await log.append(stream, newTestEvents(2), { expectedVersion: "no-stream" });
    const s = log.schema;
    await expect(database.pool.query(`update ${s}.events set type = 'Tampered' where stream_id = $1`, [stream])).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(database.pool.query(`delete from ${s}.events where stream_id = $1`, [stream])).rejects.toThrow(/append-only: DELETE/);
    await expect(database.pool.query(`truncate ${s}.events`)).rejects.toThrow(/append-only: TRUNCATE/);
    expect((await log.readStream(stream)).map((e) => e.type)).toEqual(["ClipAdded", "ClipAdded"]);
  });

  it("leaves the table untouched on conflicting and malformed appends (counted in SQL)", async () => {
    const stream = testStreamId();
    await log.append(stream, newTestEvents(2), { expectedVersion: "no-stream" });
    const before = await count(log.schema);
    await expect(log.append(stream, newTestEvents(5), { expectedVersion: { exact: 1 } })).rejects.toMatchObject({ kind: "concurrency" });
    await expect(
      log.append(stream, [...newTestEvents(1), { ...newTestEvents(1)[0]!, data: "x" }], { expectedVersion: "any" }),
    ).rejects.toMatchObject({
      kind: "validation",
      field: "events[1].data",
    });
    expect(await count(log.schema)).toBe(before);
    const { rows } = await database.pool.query(`select version from ${log.schema}.streams where stream_id = $1`, [stream]);
    expect(Number(rows[0].version)).toBe(2);
  });

  it("migrates idempotently, also when several processes start at once", async () => {
    const schema = database.newSchema("migrate");
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: database.pool }) });
    const runs = await Promise.all([1, 2, 3].map(() => migrateEventLog(db, { schema })));
    const applied = runs.map((r) => r.applied);
    expect(applied.filter((a) => a.length > 0)).toEqual([Array.from({ length: LATEST_MIGRATION }, (_, i) => i + 1)]);
    expect(await migrateEventLog(db, { schema })).toEqual({ applied: [] });
    const { rows } = await database.pool.query(`select version from ${schema}.schema_migrations order by version`);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: LATEST_MIGRATION }, (_, i) => i + 1));
  });

  it("migrates a fresh schema from 8 processes at once, again and again (the lock does not refresh the catalog cache)", async () => {
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: database.pool }) });
    for (let round = 0; round < 5; round++) {
      const schema = database.newSchema(`race${round}`);
      const runs = await Promise.all(Array.from({ length: 8 }, () => migrateEventLog(db, { schema })));
      expect(runs.filter((r) => r.applied.length > 0)).toHaveLength(1);
    }
  });

  it("refuses schema names that are not plain identifiers", async () => {
    await expect(createPostgresEventLog({ pool: database.pool, schema: "x; drop table y" })).rejects.toThrow(/must match/);
  });
});
