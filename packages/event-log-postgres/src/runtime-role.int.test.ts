import { newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { requireEnv } from "@dubstage/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LATEST_MIGRATION, migrateEventLogOnPool } from "./migrations.ts";
import { createPostgresEventLog, type PostgresEventLog } from "./postgres-event-log.ts";
import { roleOfUrl } from "./runtime-role.ts";
import { createPostgresSnapshotStore } from "./snapshot-store.ts";
import { testDatabase } from "./testing/pg-test-schema.ts";

// The services run as a role that may append and read but owns nothing; the owner (not a superuser
// here) migrates. The global setup creates both roles (packages/testing, database-roles.ts).
const admin = testDatabase(2);
const ownerUrl = requireEnv("TEST_DATABASE_OWNER_URL");
const runtimeUrl = requireEnv("TEST_DATABASE_RUNTIME_URL");
const role = roleOfUrl(runtimeUrl);
const owner = new pg.Pool({ connectionString: ownerUrl, max: 2 });
const runtime = new pg.Pool({ connectionString: runtimeUrl, max: 4 });
const schema = admin.newSchema("roles");
let log: PostgresEventLog;

beforeAll(async () => {
  const { applied } = await migrateEventLogOnPool(owner, { schema, runtimeRole: role });
  expect(applied).toHaveLength(LATEST_MIGRATION);
  // As the runtime role: the schema is current, so opening the log migrates nothing and needs no DDL.
  log = await createPostgresEventLog({ pool: runtime, schema });
});
afterAll(async () => {
  await log?.close();
  await runtime.end();
  await owner.end();
  await admin.close();
});

/** The SQLSTATE the statement failed with, run as the runtime role. */
async function refusal(statement: string): Promise<string | undefined> {
  try {
    await runtime.query(statement);
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe("the runtime role", () => {
  it("is not the owner and not a superuser", async () => {
    const { rows } = await runtime.query(
      `select current_user as me, r.rolsuper as super, (select tableowner from pg_tables where schemaname = $1 and tablename = 'events') as owner
       from pg_roles r where r.rolname = current_user`,
      [schema],
    );
    expect(rows[0]).toEqual({ me: role, super: false, owner: roleOfUrl(ownerUrl) });
  });

  it("appends, reads, keeps checkpoints and snapshots", async () => {
    const stream = testStreamId();
    const events = newTestEvents(3);
    await log.append(stream, events, { expectedVersion: "no-stream" });
    await log.append(stream, newTestEvents(1), { expectedVersion: { exact: 3 } });
    expect((await log.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3, 4]);
    expect((await log.readAll()).map((e) => e.id)).toEqual(expect.arrayContaining(events.map((e) => e.id)));
    const seen: string[] = [];
    const subscription = log.subscribe("roles-consumer", async (event) => void seen.push(event.id), { pollIntervalMs: 50 });
    await subscription.caughtUp();
    await subscription.stop();
    expect(seen).toHaveLength(4);
    expect(await log.checkpoint("roles-consumer")).toBeGreaterThan(0);
    const snapshots = createPostgresSnapshotStore(log.db, schema, { keepEvery: 1 });
    for (const version of [1, 2, 3, 4]) await snapshots.save({ streamId: stream, version, schemaVersion: 1, state: { version } });
    expect((await snapshots.loadAtOrBefore(stream, 3))?.state).toEqual({ version: 3 });
  });

  it.each([
    ["disable the append-only trigger", `alter table ${schema}.events disable trigger events_append_only`],
    ["disable every trigger", `alter table ${schema}.events disable trigger all`],
    ["drop the trigger", `drop trigger events_append_only on ${schema}.events`],
    ["alter the table", `alter table ${schema}.events add column x int`],
    ["truncate", `truncate ${schema}.events`],
    ["update an event", `update ${schema}.events set type = 'x'`],
    ["delete an event", `delete from ${schema}.events`],
    ["drop the table", `drop table ${schema}.events`],
    [
      "replace the trigger function",
      `create or replace function ${schema}.reject_event_change() returns trigger language plpgsql as $$ begin return old; end $$`,
    ],
    ["create a table in the schema", `create table ${schema}.mine (x int)`],
  ])("may not %s", async (_what, statement) => {
    expect(await refusal(statement)).toBe("42501"); // insufficient_privilege / must be owner
  });

  it("is what makes those statements fail: the owner may disable the trigger and delete (rolled back)", async () => {
    const client = await owner.connect();
    try {
      await client.query("begin");
      await client.query(`alter table ${schema}.events disable trigger events_append_only`);
      const { rowCount } = await client.query(`delete from ${schema}.events`);
      expect(rowCount).toBeGreaterThan(0);
    } finally {
      await client.query("rollback");
      client.release();
    }
    expect((await log.readAll()).length).toBeGreaterThan(0);
  });

  it("is refused a pending migration with an error naming the owner's URL", async () => {
    const fresh = admin.newSchema("roles_fresh");
    await expect(migrateEventLogOnPool(runtime, { schema: fresh })).rejects.toThrow(
      new RegExp(`event log schema ${fresh} needs migrating .*DATABASE_MIGRATION_URL`),
    );
  });

  it("may not be the role migrating (it would revoke the owner's own rights)", async () => {
    await expect(migrateEventLogOnPool(owner, { schema, runtimeRole: roleOfUrl(ownerUrl) })).rejects.toThrow(
      /the runtime role dubstage_owner is the role migrating/,
    );
  });

  it("gets the same grants when the owner migrates again (idempotent)", async () => {
    expect(await migrateEventLogOnPool(owner, { schema, runtimeRole: role })).toEqual({ applied: [] });
    const { rows } = await runtime.query(
      `select table_name, string_agg(privilege_type, ',' order by privilege_type) as privileges
       from information_schema.role_table_grants where table_schema = $1 and grantee = $2 group by table_name order by table_name`,
      [schema, role],
    );
    expect(rows).toEqual([
      { table_name: "checkpoints", privileges: "DELETE,INSERT,SELECT,UPDATE" },
      { table_name: "events", privileges: "INSERT,SELECT" },
      { table_name: "parked_events", privileges: "DELETE,INSERT,SELECT,UPDATE" },
      { table_name: "schema_migrations", privileges: "SELECT" },
      { table_name: "snapshots", privileges: "DELETE,INSERT,SELECT,UPDATE" },
      { table_name: "streams", privileges: "INSERT,SELECT,UPDATE" },
    ]);
  });
});
