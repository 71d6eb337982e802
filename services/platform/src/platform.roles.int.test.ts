import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectNats } from "@dubstage/bus-nats";
import { sessionTimeline } from "@dubstage/proto";
import { requireEnv, waitFor } from "@dubstage/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectSessionClient } from "./session-client.ts";
import { type Platform, startPlatform } from "./start-platform.ts";

// The platform on PostgreSQL with the roles separated: DATABASE_MIGRATION_URL (the owner, not a
// superuser) migrates, and every service connects as DATABASE_URL's runtime role, which may not
// disable the append-only trigger. Roles from the global setup (packages/testing, database-roles.ts).
const suffix = randomBytes(4).toString("hex");
const ownerUrl = requireEnv("TEST_DATABASE_OWNER_URL");
const runtimeUrl = requireEnv("TEST_DATABASE_RUNTIME_URL");
const env = {
  DATABASE_URL: runtimeUrl,
  DATABASE_MIGRATION_URL: ownerUrl,
  NATS_URL: requireEnv("NATS_URL"),
  EVENT_LOG_SCHEMA: `roles_log_${suffix}`,
  SESSION_READ_MODEL_SCHEMA: `roles_rm_${suffix}`,
  RELAY_NAME: `roles-${suffix}`,
  NATS_STREAM: `ROLES_${suffix.toUpperCase()}`,
  NATS_SUBJECT_PREFIX: `r${suffix}.session`,
};
const admin = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), max: 2 });
let dataDir: string;
let platform: Platform;

beforeAll(async () => {
  // The relay's schema is one per database, shared with suites that create it as the superuser: hand it
  // to the owner, as a deployment's owner would have created it (under the relay's migration lock).
  const client = await admin.connect();
  try {
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(hashtextextended('bus-nats.relay.migrations', 0))");
    await client.query(`do $$ begin
      if exists (select 1 from pg_namespace where nspname = 'dubstage_relay') then
        alter schema dubstage_relay owner to dubstage_owner;
        execute (select coalesce(string_agg(format('alter table dubstage_relay.%I owner to dubstage_owner;', tablename), ' '), '')
                 from pg_tables where schemaname = 'dubstage_relay');
      end if;
    end $$`);
    await client.query("commit");
  } finally {
    client.release();
  }
  dataDir = await mkdtemp(join(tmpdir(), "dubstage-platform-roles-"));
  platform = await startPlatform({ env, dataDir, print: () => {} });
});
afterAll(async () => {
  await platform?.close();
  for (const schema of [env.EVENT_LOG_SCHEMA, env.SESSION_READ_MODEL_SCHEMA]) await admin.query(`drop schema if exists ${schema} cascade`);
  await admin.query("delete from dubstage_relay.checkpoints where relay_name = $1", [env.RELAY_NAME]).catch(() => {});
  await admin.end();
  const nats = await connectNats(env.NATS_URL, "platform-roles-cleanup");
  await (await jetstreamManager(nats)).streams.delete(env.NATS_STREAM).catch(() => {});
  await nats.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("platform with the owner migrating and the services on the runtime role", () => {
  it("creates and edits a session, read back from the read model, and relays it", async () => {
    const client = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
    try {
      const created = await client.createSession({
        name: "Roles",
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
        frameRate: 3, // FRAME_RATE_25
        sampleRate: 48000,
        startTimecode: "01:00:00:00",
      });
      const sessionId = created.session?.sessionId as string;
      await waitFor("the read model to list the session", async () => {
        const list = await client.listSessions({ pageSize: 10, pageToken: "" });
        return list.sessions.some((s) => s.sessionId === sessionId);
      });
      await waitFor("the relay to publish it", async () => (platform.relay?.relay.stats().published ?? 0) >= 1, 20_000);
    } finally {
      client.close();
    }
  });

  it("owns nothing: the tables belong to the owner and the runtime role may not disable the trigger", async () => {
    const { rows } = await admin.query(
      "select distinct tableowner from pg_tables where schemaname = any($1::text[]) or (schemaname = 'dubstage_relay' and tablename = 'checkpoints')",
      [[env.EVENT_LOG_SCHEMA, env.SESSION_READ_MODEL_SCHEMA]],
    );
    expect(rows).toEqual([{ tableowner: "dubstage_owner" }]);
    const runtime = new pg.Client({ connectionString: runtimeUrl });
    await runtime.connect();
    try {
      await expect(runtime.query(`alter table ${env.EVENT_LOG_SCHEMA}.events disable trigger events_append_only`)).rejects.toMatchObject({
        code: "42501",
      });
      await expect(runtime.query(`truncate ${env.SESSION_READ_MODEL_SCHEMA}.sessions cascade`)).rejects.toMatchObject({ code: "42501" });
    } finally {
      await runtime.end();
    }
  });
});
