import { randomBytes } from "node:crypto";
import { isErrorKind } from "@dubstage/event-log";
import { newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { freePort, requireEnv } from "@dubstage/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresEventLog, type PostgresEventLog } from "./postgres-event-log.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

const database = testDatabase();
const appName = `evlog-fault-${randomBytes(4).toString("hex")}`;
const pool = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), application_name: appName, max: 4 });
let log: PostgresEventLog;

beforeAll(async () => {
  log = await createPostgresEventLog({ pool, schema: database.newSchema("faults") });
});
afterAll(async () => {
  await log.close();
  await pool.end();
  await database.close();
});

const terminateLogSessions = () =>
  database.pool.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1", [appName]);

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("faults", () => {
  it("fails an append cleanly when its session is killed mid-statement; the retry writes the events exactly once", async () => {
    const stream = testStreamId();
    await log.append(stream, newTestEvents(1), { expectedVersion: "no-stream" });
    // Hold the stream row so the append waits inside its statement, then kill the append's session.
    const blocker = await database.pool.connect();
    const events = newTestEvents(3, "ClipAdded", 2);
    try {
      await blocker.query("begin");
      await blocker.query(`select version from ${log.schema}.streams where stream_id = $1 for update`, [stream]);
      const append = log.append(stream, events, { expectedVersion: { exact: 1 } });
      append.catch(() => {});
      const pid = await until("the append to wait on the stream lock", async () => {
        const { rows } = await database.pool.query(
          "select pid from pg_stat_activity where application_name = $1 and wait_event_type = 'Lock'",
          [appName],
        );
        return rows[0]?.pid as number | undefined;
      });
      await database.pool.query("select pg_terminate_backend($1)", [pid]);
      const error = await append.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isErrorKind(error, "dependency-unavailable"), `expected EventLogUnavailableError, got ${String(error)}`).toBe(true);
      expect((error as Error).name).toBe("EventLogUnavailableError");
    } finally {
      await blocker.query("rollback");
      blocker.release();
    }
    expect(await log.readStream(stream)).toHaveLength(1); // nothing of the failed append

    const retry = await log.append(stream, events, { expectedVersion: { exact: 1 } });
    expect(retry).toMatchObject({ streamVersion: 4, duplicate: false });
    const again = await log.append(stream, events, { expectedVersion: { exact: 1 } });
    expect(again).toEqual({ ...retry, duplicate: true });
    const read = await log.readStream(stream);
    expect(read.map((e) => e.id).slice(1)).toEqual(events.map((e) => e.id));
    expect(new Set((await log.readAll()).map((e) => e.id)).size).toBe((await log.readAll()).length);
  });

  it("recovers after every pooled session was terminated while idle", async () => {
    const stream = testStreamId();
    await log.append(stream, newTestEvents(1), { expectedVersion: "no-stream" });
    await terminateLogSessions();
    const events = newTestEvents(2, "ClipMoved");
    let result: Awaited<ReturnType<PostgresEventLog["append"]>> | undefined;
    for (let attempt = 1; attempt <= 5 && !result; attempt++) {
      try {
        result = await log.append(stream, events, { expectedVersion: { exact: 1 } });
      } catch (error) {
        // A pooled session that died while idle may be handed out once: that is a typed, retryable error.
        expect(isErrorKind(error, "dependency-unavailable"), String(error)).toBe(true);
      }
    }
    expect(result?.streamVersion).toBe(3);
    expect((await log.readStream(stream)).map((e) => e.type)).toEqual(["ClipAdded", "ClipMoved", "ClipMoved"]);
  });

  it("reports an unreachable database as EventLogUnavailableError for appends, reads and opening", async () => {
    const port = await freePort();
    const dead = new pg.Pool({ connectionString: `postgres://nobody@127.0.0.1:${port}/none`, connectionTimeoutMillis: 2_000 });
    try {
      const opening = await createPostgresEventLog({ pool: dead, schema: "unreachable" }).catch((e: unknown) => e);
      expect((opening as Error).name).toBe("EventLogUnavailableError");
      const unopened = await createPostgresEventLog({ pool: dead, schema: "unreachable", migrate: false });
      const append = await unopened.append(testStreamId(), newTestEvents(1), { expectedVersion: "any" }).catch((e: unknown) => e);
      expect(isErrorKind(append, "dependency-unavailable")).toBe(true);
      const read = await unopened.readAll().catch((e: unknown) => e);
      expect(isErrorKind(read, "dependency-unavailable")).toBe(true);
      await unopened.close();
    } finally {
      await dead.end();
    }
  });
});
