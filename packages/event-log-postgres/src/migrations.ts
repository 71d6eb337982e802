import { type Kysely, sql } from "kysely";
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

/**
 * Creates or upgrades the event log schema. Idempotent and safe to run from many processes at once
 * (an advisory lock serialises them); every service that opens the log runs it at start.
 */
export async function migrateEventLog(
  db: Kysely<unknown>,
  options: { schema?: string /** Stop after this version (tests of upgrades). */; upTo?: number } = {},
): Promise<{ applied: number[] }> {
  const s = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  return await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`dubstage_eventlog.migrate:${s}`}, 0))`.execute(tx);
    await sql.raw(`create schema if not exists ${s}`).execute(tx);
    await sql
      .raw(
        `create table if not exists ${s}.schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
      )
      .execute(tx);
    const done = await sql<{ version: number }>`select version from ${sql.table(`${s}.schema_migrations`)}`.execute(tx);
    const have = new Set(done.rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (have.has(migration.version) || migration.version > (options.upTo ?? Number.POSITIVE_INFINITY)) continue;
      await sql.raw(sqlFile(migration.path, s)).execute(tx);
      await sql`insert into ${sql.table(`${s}.schema_migrations`)} (version, name) values (${migration.version}, ${migration.name})`.execute(
        tx,
      );
      applied.push(migration.version);
    }
    return { applied };
  });
}
