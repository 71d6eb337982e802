import { migrateEventLogOnPool, roleOfUrl } from "@dubstage/event-log-postgres";
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { migrateReadModel } from "./read-model-migrations.ts";

export interface OwnerMigrationOptions {
  /** The schemas' owner (DATABASE_MIGRATION_URL): creates, alters and grants. */
  readonly migrationUrl: string;
  /** What the service connects with (DATABASE_URL); its user becomes the runtime role. */
  readonly runtimeUrl: string;
  readonly eventLogSchema: string;
  readonly readModelSchema: string;
}

/**
 * Migrates the event log and the session read model as their owner on one short-lived connection, and
 * grants the runtime role (DATABASE_URL's user) only what the service needs. The service then opens both
 * as the runtime role, whose own migration step finds them current and only reads.
 */
export async function migrateSessionDatabaseAsOwner(options: OwnerMigrationOptions): Promise<void> {
  const runtimeRole = roleOfUrl(options.runtimeUrl);
  const pool = new pg.Pool({ connectionString: options.migrationUrl, max: 1, application_name: "dubstage-migrate" });
  pool.on("error", () => {}); // an idle client's lost session; the next query reports it
  try {
    if (roleOfUrl(options.migrationUrl) === runtimeRole) {
      throw new Error("DATABASE_MIGRATION_URL and DATABASE_URL log in as the same user: the runtime role must not own the schemas");
    }
    await migrateEventLogOnPool(pool, { schema: options.eventLogSchema, runtimeRole });
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
    await migrateReadModel(db, { schema: options.readModelSchema, runtimeRole });
  } finally {
    await pool.end();
  }
}
