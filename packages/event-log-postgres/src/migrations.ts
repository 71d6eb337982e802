import { type Kysely, sql } from "kysely";
import { type PgPoolLike, pgConnection } from "./drivers/connection.ts";
import { sqlState } from "./pg-errors.ts";
import { grantRuntimeRole } from "./runtime-role.ts";
import { migrationFiles, sqlFile } from "./sql-files.ts";

/** The schema the event log owns. Nothing outside this package writes to it. */
export const DEFAULT_SCHEMA = "dubstage_eventlog";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names are spliced into DDL and function bodies, so only plain lower-case identifiers are allowed. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`event log schema name ${JSON.stringify(schema)} must match ${SCHEMA_NAME}`);
  return schema;
}

/**
 * Versioned migrations: `sql/migrations/NNNN_<slug>.sql`, applied in order inside one transaction under an
 * advisory lock. Never edit a released migration: add a new file. Versions and names are those the
 * migrations had when they were TypeScript strings, so databases migrated then upgrade in place.
 */
const MIGRATIONS = migrationFiles();

export const LATEST_MIGRATION = MIGRATIONS.length;

export interface MigrateOptions {
  readonly schema?: string;
  /** Stop after this version (tests of upgrades). */
  readonly upTo?: number;
  /**
   * The services' runtime role, given what they need and nothing more (`grantRuntimeRole`) after the
   * migrations; run as the owner. Unset: no grants (one role does everything, as on PGlite).
   */
  readonly runtimeRole?: string;
}

/**
 * Creates or upgrades the event log schema. Idempotent and safe to run from many processes at once
 * (an advisory lock serialises them); every service that opens the log runs it at start. When the schema
 * is already at the latest version it only reads, so the runtime role (which may not create anything)
 * passes; behind, it needs the owner, and a runtime role gets an error saying so.
 */
export async function migrateEventLog(db: Kysely<unknown>, options: MigrateOptions = {}): Promise<{ applied: number[] }> {
  try {
    return await migrateOnce(db, options);
  } catch (error) {
    // Waiting on an advisory lock does not refresh the backend's catalog cache, so `create ... if not exists`
    // right after another process's migration committed can still miss its objects and fail as a duplicate.
    // A new transaction sees them: try once more.
    if (!CATALOG_RACE_STATES.has(sqlState(error) ?? "")) throw error;
    return await migrateOnce(db, options);
  }
}

/** unique_violation (on a catalog), duplicate_schema, duplicate_table, duplicate_object. */
const CATALOG_RACE_STATES = new Set(["23505", "42P06", "42P07", "42710"]);

async function migrateOnce(db: Kysely<unknown>, options: MigrateOptions): Promise<{ applied: number[] }> {
  const s = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const wanted = MIGRATIONS.filter((m) => m.version <= (options.upTo ?? Number.POSITIVE_INFINITY));
  try {
    if (options.runtimeRole === undefined) {
      const have = await appliedVersions(db, s);
      if (have !== undefined && wanted.every((m) => have.has(m.version))) return { applied: [] };
    }
    return await db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`dubstage_eventlog.migrate:${s}`}, 0))`.execute(tx);
      await sql.raw(`create schema if not exists ${s}`).execute(tx);
      await sql
        .raw(
          `create table if not exists ${s}.schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
        )
        .execute(tx);
      const have = (await appliedVersions(tx, s)) ?? new Set<number>();
      const applied: number[] = [];
      for (const migration of wanted) {
        if (have.has(migration.version)) continue;
        await sql.raw(sqlFile(migration.path, s)).execute(tx);
        await sql`insert into ${sql.table(`${s}.schema_migrations`)} (version, name) values (${migration.version}, ${migration.name})`.execute(
          tx,
        );
        applied.push(migration.version);
      }
      if (options.runtimeRole !== undefined) await grantRuntimeRole(tx, { schema: s, role: options.runtimeRole });
      return { applied };
    });
  } catch (error) {
    if (sqlState(error) !== "42501") throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `event log schema ${s} needs migrating (or granting) and this role may not (${reason}): run the migrations as the schema's owner (DATABASE_MIGRATION_URL)`,
      { cause: error },
    );
  }
}

/** The versions recorded in `<schema>.schema_migrations`, or undefined when the table does not exist yet. */
async function appliedVersions(db: Kysely<unknown>, schema: string): Promise<Set<number> | undefined> {
  const table = `${schema}.schema_migrations`;
  const exists = await sql<{ t: string | null }>`select to_regclass(${table})::text as t`.execute(db);
  if (exists.rows[0]?.t == null) return undefined;
  const done = await sql<{ version: number }>`select version from ${sql.table(table)}`.execute(db);
  return new Set(done.rows.map((r) => Number(r.version)));
}

/** `migrateEventLog` on a caller's pool, e.g. a short-lived one on the owner's DATABASE_MIGRATION_URL. */
export async function migrateEventLogOnPool(pool: PgPoolLike, options: MigrateOptions = {}): Promise<{ applied: number[] }> {
  return await migrateEventLog(pgConnection(pool).db, options);
}
