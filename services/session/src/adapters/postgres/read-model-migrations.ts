import { checkRoleName } from "@dubstage/event-log-postgres";
import { type Kysely, sql } from "kysely";
import { type Migration, Migrator } from "kysely/migration";
import { checkReadModelSchema, DEFAULT_READ_MODEL_SCHEMA } from "./read-model-schema.ts";

// Versioned kysely migrations of the read model. Never edit a released one: add the next.
function migrations(schema: string): Record<string, Migration> {
  return {
    "0001_sessions_tracks_clips": {
      async up(db: Kysely<unknown>) {
        const s = db.schema.withSchema(schema);
        await s
          .createTable("sessions")
          .addColumn("session_id", "text", (c) => c.primaryKey())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("template", "text", (c) => c.notNull())
          .addColumn("frame_rate", "text", (c) => c.notNull())
          .addColumn("sample_rate", "integer", (c) => c.notNull())
          .addColumn("start_timecode", "text", (c) => c.notNull())
          .addColumn("version", "bigint", (c) => c.notNull())
          .addColumn("created_position", "bigint", (c) => c.notNull().unique())
          .addColumn("created_at", "timestamptz", (c) => c.notNull())
          .addColumn("updated_at", "timestamptz", (c) => c.notNull())
          .execute();
        await s
          .createTable("tracks")
          .addColumn("session_id", "text", (c) => c.notNull().references(`${schema}.sessions.session_id`).onDelete("cascade"))
          .addColumn("track_id", "text", (c) => c.notNull())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("track_type", "text", (c) => c.notNull())
          .addColumn("channel_format", "text", (c) => c.notNull())
          .addColumn("display_index", "integer", (c) => c.notNull())
          .addPrimaryKeyConstraint("tracks_pk", ["session_id", "track_id"])
          .execute();
        await s
          .createTable("clips")
          .addColumn("session_id", "text", (c) => c.notNull().references(`${schema}.sessions.session_id`).onDelete("cascade"))
          .addColumn("clip_id", "text", (c) => c.notNull())
          .addColumn("track_id", "text", (c) => c.notNull())
          .addColumn("name", "text", (c) => c.notNull())
          .addColumn("position", "bigint", (c) => c.notNull())
          .addColumn("length", "bigint", (c) => c.notNull())
          .addColumn("media_key", "text", (c) => c.notNull())
          .addColumn("source_offset", "bigint", (c) => c.notNull())
          .addColumn("source_length", "bigint", (c) => c.notNull())
          .addColumn("channel", "integer", (c) => c.notNull())
          .addColumn("gain_db", "double precision", (c) => c.notNull())
          .addColumn("muted", "boolean", (c) => c.notNull())
          .addColumn("fade_in_length", "bigint")
          .addColumn("fade_in_shape", "text")
          .addColumn("fade_out_length", "bigint")
          .addColumn("fade_out_shape", "text")
          .addColumn("provenance", "jsonb")
          .addColumn("take", "jsonb")
          .addPrimaryKeyConstraint("clips_pk", ["session_id", "clip_id"])
          .execute();
        // Clips of a track in timeline order (UIs, conform) and media usage lookups.
        await s.createIndex("clips_track_position").on("clips").columns(["session_id", "track_id", "position"]).execute();
        await s.createIndex("clips_media_key").on("clips").column("media_key").execute();
        await sql`comment on table ${sql.table(`${schema}.sessions`)} is 'Read model of the session service, rebuilt from the event log'`.execute(
          db,
        );
      },
    },
  };
}

/**
 * Creates or upgrades the read model schema (idempotent; kysely's migration lock serialises processes).
 * When current, it only reads (the runtime role passes). `runtimeRole`: run as the owner, also grant that
 * role what the projection and the reads need: rows of the three tables, never DDL or TRUNCATE.
 */
export async function migrateReadModel(
  db: Kysely<unknown>,
  options: { schema?: string; runtimeRole?: string } = {},
): Promise<{ applied: string[] }> {
  const schema = checkReadModelSchema(options.schema ?? DEFAULT_READ_MODEL_SCHEMA);
  const migrator = new Migrator({
    db,
    migrationTableSchema: schema,
    provider: { getMigrations: async () => migrations(schema) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  if (options.runtimeRole !== undefined) await grantReadModel(db, schema, checkRoleName(options.runtimeRole));
  return { applied: (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName) };
}

/** The runtime role's rights on the read model: rows of its tables, and reading kysely's migration state. */
async function grantReadModel(db: Kysely<unknown>, schema: string, role: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const statement of [
      `revoke all on all tables in schema ${schema} from ${role}`,
      `grant usage on schema ${schema} to ${role}`,
      `grant select, insert, update, delete on ${schema}.sessions, ${schema}.tracks, ${schema}.clips to ${role}`,
      `grant select on ${schema}.kysely_migration, ${schema}.kysely_migration_lock to ${role}`,
    ]) {
      await sql.raw(statement).execute(tx);
    }
  });
}
