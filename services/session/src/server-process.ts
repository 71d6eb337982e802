// The session service's composition: pg pool, event log, service, gRPC server and graceful shutdown.
// main.ts imports this module only after starting telemetry, so `pg` and everything below load instrumented.
import { createTokenVerifier, importVerificationKey } from "@dubstage/auth";
import { reflectionMode } from "@dubstage/config";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import { registerGracefulShutdown } from "@dubstage/grpc-kit";
import { S3MediaStore } from "@dubstage/media-store-s3";
import type { Logger } from "@dubstage/telemetry";
import type { Telemetry } from "@dubstage/telemetry/node";
import pg from "pg";
import { migrateSessionDatabaseAsOwner } from "./adapters/postgres/migrate-as-owner.ts";
import type { SessionConfig } from "./config.ts";
import { createSessionService } from "./session-service.ts";

/** Serves until SIGTERM/SIGINT; on a startup failure logs it, releases what it holds and exits 1. */
export async function runSessionProcess(config: SessionConfig, telemetry: Telemetry, logger: Logger): Promise<void> {
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX });
  // An idle client losing its connection must not crash the process; the next query reports the outage.
  pool.on("error", (error) => logger.warn({ err: error }, "idle PostgreSQL connection lost"));

  try {
    if (config.DATABASE_MIGRATION_URL) {
      await migrateSessionDatabaseAsOwner({
        migrationUrl: config.DATABASE_MIGRATION_URL,
        runtimeUrl: config.DATABASE_URL,
        eventLogSchema: config.EVENT_LOG_SCHEMA,
        readModelSchema: config.SESSION_READ_MODEL_SCHEMA,
      });
    }
    const eventLog = await createPostgresEventLog({ pool, schema: config.EVENT_LOG_SCHEMA });
    const key = await importVerificationKey(config.DUBSTAGE_AUTH_PUBLIC_KEY, "DUBSTAGE_AUTH_PUBLIC_KEY");
    const media = config.S3_ENDPOINT
      ? await S3MediaStore.connect({
          endpoint: config.S3_ENDPOINT,
          accessKey: config.S3_ACCESS_KEY as string,
          secretKey: config.S3_SECRET_KEY as string,
          bucket: config.S3_BUCKET,
          region: config.S3_REGION,
        })
      : undefined;
    if (media === undefined)
      logger.warn("S3_ENDPOINT is not set: media keys of placed clips are checked for their form only, not that they exist");
    const service = await createSessionService({
      eventLog,
      ...(media && { media }),
      auth: createTokenVerifier({ key, issuer: config.DUBSTAGE_AUTH_ISSUER, audience: config.DUBSTAGE_AUTH_AUDIENCE }),
      readModelSchema: config.SESSION_READ_MODEL_SCHEMA,
      snapshotEvery: config.SESSION_SNAPSHOT_EVERY,
      logger,
    });
    const server = await service.serve({
      port: config.GRPC_PORT,
      host: config.GRPC_HOST,
      reflection: reflectionMode(config),
      async onClosed() {
        await eventLog.close();
        await media?.close();
        await pool.end();
        await telemetry.shutdown(); // flushes the spans of the last calls
      },
    });
    registerGracefulShutdown(server, {
      deadlineMs: config.SHUTDOWN_DEADLINE_MS,
      notServingDelayMs: config.SHUTDOWN_NOT_SERVING_DELAY_MS,
      logger,
    });
    logger.info({ port: server.port, read_model_schema: config.SESSION_READ_MODEL_SCHEMA }, "session service ready");
  } catch (error) {
    logger.fatal({ err: error }, "session service failed to start");
    await pool.end().catch(() => {});
    await telemetry.shutdown().catch(() => {});
    process.exit(1);
  }
}
