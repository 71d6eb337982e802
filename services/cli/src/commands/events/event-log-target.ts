import {
  DataDirInUseError,
  type DataDirLock,
  loadPlatformConfig,
  lockDataDir,
  openDatabase,
  type PlatformDatabase,
  pgliteDirOf,
} from "@dubstage/platform";
import type { CommandInput } from "../../framework/command.ts";
import { UsageError } from "../../framework/usage-error.ts";
import { chooseDataDir, requireDataDir, requireWritableDataDir } from "../shared/data-dir.ts";

export interface EventLogTarget {
  readonly database: PlatformDatabase;
  /** For the log line: what we are talking to. */
  readonly description: string;
  /** False for an embedded data directory: no subscription runs until a platform starts on it. */
  readonly live: boolean;
  close(): Promise<void>;
}

/**
 * The event log itself, for operators: `DATABASE_URL` (and `EVENT_LOG_SCHEMA`) when set, where the
 * services' subscriptions run; otherwise the embedded data directory's PGlite, which only one process can
 * open, so it is refused while a platform runs on it.
 */
export async function openEventLogTarget(input: CommandInput, helpHint: string): Promise<EventLogTarget> {
  const config = loadPlatformConfig(input.env);
  if (config.DATABASE_URL) {
    const database = await openDatabase({ databaseUrl: config.DATABASE_URL, poolMax: 2, eventLogSchema: config.EVENT_LOG_SCHEMA });
    return {
      database,
      description: `the event log ${config.EVENT_LOG_SCHEMA} on ${database.location}`,
      live: true,
      close: () => database.close(),
    };
  }
  const dataDir = await requireDataDir(chooseDataDir(input));
  await requireWritableDataDir(dataDir); // PGlite and the lock write there
  let lock: DataDirLock;
  try {
    lock = await lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof DataDirInUseError) {
      throw new UsageError(
        `the platform in process ${error.holder.pid} has the embedded database of ${dataDir} open (PGlite is single-process): ` +
          "stop it and run this again, or run the services on PostgreSQL and set DATABASE_URL",
        helpHint,
      );
    }
    throw error;
  }
  try {
    const database = await openDatabase({ pgliteDir: pgliteDirOf(dataDir), eventLogSchema: config.EVENT_LOG_SCHEMA });
    return {
      database,
      description: `the embedded event log in ${dataDir}`,
      live: false,
      async close() {
        await database.close();
        await lock.release();
      },
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}
