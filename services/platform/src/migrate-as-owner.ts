import { migrateRelaySchema } from "@dubstage/bus-nats";
import { roleOfUrl } from "@dubstage/event-log-postgres";
import { migrateSessionDatabaseAsOwner } from "@dubstage/session";
import pg from "pg";

export interface PlatformMigrationTarget {
  /** The schemas' owner (DATABASE_MIGRATION_URL). */
  readonly migrationUrl: string;
  /** The services' connection (DATABASE_URL): its user is the runtime role. */
  readonly runtimeUrl: string;
  readonly eventLogSchema: string;
  readonly readModelSchema: string;
  /** The relay runs (NATS_URL set): its checkpoint schema too. */
  readonly relay: boolean;
}

/**
 * Every schema the platform's services use, migrated as the owner, with the runtime role granted only
 * rows (never ALTER, TRIGGER, TRUNCATE or DROP); the services then connect as that role.
 */
export async function migratePlatformAsOwner(target: PlatformMigrationTarget): Promise<void> {
  await migrateSessionDatabaseAsOwner(target);
  if (!target.relay) return;
  const pool = new pg.Pool({ connectionString: target.migrationUrl, max: 1, application_name: "dubstage-migrate" });
  pool.on("error", () => {});
  try {
    await migrateRelaySchema(pool, { runtimeRole: roleOfUrl(target.runtimeUrl) });
  } finally {
    await pool.end();
  }
}
