import { join } from "node:path";
import { redactUrl } from "@dubstage/config";
import { createPostgresEventLog, type PostgresEventLog } from "@dubstage/event-log-postgres";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export type DatabaseKind = "postgres" | "pglite" | "pglite-memory";

export interface PlatformDatabase {
  readonly kind: DatabaseKind;
  /** Where it is, for people: the URL without its password, the directory, or "memory". */
  readonly location: string;
  readonly eventLog: PostgresEventLog;
  /** Set for `postgres`: leadership and LISTEN need real sessions. */
  readonly pool?: pg.Pool;
  /** Set for the PGlite kinds. */
  readonly pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** A real PostgreSQL; otherwise PGlite. */
  readonly databaseUrl?: string;
  readonly poolMax?: number;
  /** PGlite's directory (persisted); undefined keeps PGlite in memory. */
  readonly pgliteDir?: string;
  readonly eventLogSchema: string;
}

/** Opens PostgreSQL or PGlite and the event log on it (migrated: the same migrations and queries either way). */
export async function openDatabase(options: OpenDatabaseOptions): Promise<PlatformDatabase> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolMax ?? 10, application_name: "dubstage-platform" });
    pool.on("error", () => {}); // an idle client's lost session; the next query reports it
    try {
      const eventLog = await createPostgresEventLog({ pool, schema: options.eventLogSchema });
      return {
        kind: "postgres",
        location: redactUrl(options.databaseUrl),
        eventLog,
        pool,
        async close() {
          await eventLog.close();
          await pool.end();
        },
      };
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
  }
  const dir = options.pgliteDir;
  const pglite = dir ? await PGlite.create(dir) : await PGlite.create();
  try {
    const eventLog = await createPostgresEventLog({ pglite, schema: options.eventLogSchema });
    return {
      kind: dir ? "pglite" : "pglite-memory",
      location: dir ?? "memory",
      eventLog,
      pglite,
      async close() {
        await eventLog.close();
        if (!pglite.closed) await pglite.close();
      },
    };
  } catch (error) {
    await pglite.close().catch(() => {});
    throw error;
  }
}

/** `<dataDir>/pglite`: PGlite's own files. */
export function pgliteDirOf(dataDir: string): string {
  return join(dataDir, "pglite");
}
