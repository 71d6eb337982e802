import { randomBytes } from "node:crypto";
import { newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { requireEnv, waitFor } from "@dubstage/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresEventLog, type PostgresEventLog } from "./postgres-event-log.ts";
import { describeStall, type HorizonStall } from "./subscription.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

const database = testDatabase(10);
const otherDatabase = `horizon_${randomBytes(5).toString("hex")}`;
let log: PostgresEventLog;

beforeAll(async () => {
  log = await createPostgresEventLog({ pool: database.pool, schema: database.newSchema("horizon") });
  await database.pool.query(`create database ${otherDatabase}`);
});
afterAll(async () => {
  await log.close();
  await database.pool.query(`drop database if exists ${otherDatabase} with (force)`);
  await database.close();
});

/** A session that writes something and then sits idle in its transaction, holding a transaction id. */
async function idleWriter(databaseName: string | undefined, applicationName: string): Promise<{ client: pg.Client; pid: number }> {
  const url = new URL(requireEnv("DATABASE_URL"));
  if (databaseName) url.pathname = `/${databaseName}`;
  const client = new pg.Client({ connectionString: url.toString(), application_name: applicationName });
  await client.connect();
  const { rows } = await client.query("select pg_backend_pid() as pid");
  await client.query("begin");
  await client.query("create temporary table held (x int)");
  await client.query("insert into held values (1)");
  return { client, pid: Number(rows[0].pid) };
}

/** Resolves with the promise's value, or rejects naming what did not happen within `ms`. */
function within<T>(what: string, ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms))]);
}

describe("the $all horizon", () => {
  it("is not held back by an idle-in-transaction session of another database: readAll and caughtUp go on", async () => {
    const { client: idle } = await idleWriter(otherDatabase, "idle-elsewhere");
    const seen: string[] = [];
    const subscription = log.subscribe("horizon-other-db", async (event) => void seen.push(event.id), { pollIntervalMs: 50 });
    try {
      const events = newTestEvents(3);
      await log.append(testStreamId(), events, { expectedVersion: "no-stream" });
      await within("caughtUp did not resolve", 5_000, subscription.caughtUp());
      expect(seen).toEqual(expect.arrayContaining(events.map((e) => e.id)));
      const all = await log.readAll();
      expect(all.map((e) => e.id)).toEqual(expect.arrayContaining(events.map((e) => e.id)));
      expect(subscription.stall).toBeUndefined();
    } finally {
      await subscription.stop();
      await idle.query("rollback");
      await idle.end();
    }
  });

  it("reports a stall behind an idle-in-transaction session of THIS database, naming its backend, and its end", async () => {
    const { client: idle, pid } = await idleWriter(undefined, "idle-here");
    const changes: (HorizonStall | undefined)[] = [];
    const subscription = log.subscribe("horizon-this-db", async () => {}, {
      pollIntervalMs: 50,
      stallAfterMs: 300,
      onHorizonStall: (stall) => changes.push(stall),
    });
    try {
      await log.append(testStreamId(), newTestEvents(2), { expectedVersion: "no-stream" });
      const caughtUp = subscription.caughtUp();
      caughtUp.catch(() => {});
      await waitFor("the stall report", async () => subscription.stall !== undefined, 10_000);
      const stall = subscription.stall as HorizonStall;
      expect(changes).toEqual([stall]);
      expect(stall.blocker).toMatchObject({ pid, applicationName: "idle-here", state: "idle in transaction" });
      expect(stall.blocker?.query).toContain("insert into held");
      expect(describeStall(stall)).toMatch(new RegExp(`pid ${pid} .*application "idle-here", idle in transaction`));

      await idle.query("rollback");
      await within("caughtUp did not resolve once the blocker ended", 5_000, caughtUp);
      await waitFor("the stall's end", async () => subscription.stall === undefined, 5_000);
      expect(changes.at(-1)).toBeUndefined();
    } finally {
      await subscription.stop();
      await idle.end();
    }
  });
});
