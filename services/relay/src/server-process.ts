// The relay's composition: pg pool, event log, NATS connection, relay service, gRPC health and graceful shutdown.
// main.ts imports this module only after starting telemetry, so `pg` and everything below load instrumented.
import { connectNats, migrateRelaySchema } from "@dubstage/bus-nats";
import { createPostgresEventLog, migrateEventLogOnPool, roleOfUrl } from "@dubstage/event-log-postgres";
import { registerGracefulShutdown } from "@dubstage/grpc-kit";
import type { Logger } from "@dubstage/telemetry";
import type { Telemetry } from "@dubstage/telemetry/node";
import pg from "pg";
import type { RelayConfig } from "./config.ts";
import { startRelayService } from "./relay-service.ts";
import { natsConnectLogFields } from "./startup-log.ts";

/** Relays until SIGTERM/SIGINT; on a startup failure logs it and exits 1. */
export async function runRelayProcess(config: RelayConfig, telemetry: Telemetry, logger: Logger): Promise<void> {
  try {
    if (config.DATABASE_MIGRATION_URL) await migrateAsOwner(config.DATABASE_MIGRATION_URL, config);
    const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX, application_name: "dubstage-relay" });
    pool.on("error", (error) => logger.warn({ err: error }, "idle PostgreSQL connection failed"));
    // Migrating is idempotent and serialised by an advisory lock, so the relay does not depend on who starts first.
    const eventLog = await createPostgresEventLog({ pool, schema: config.EVENT_LOG_SCHEMA, notifyAppends: false });
    logger.info(natsConnectLogFields(config.NATS_URL), "connecting to NATS");
    const nats = await connectNats([...config.NATS_URL], `dubstage-relay-${process.pid}`);
    const service = await startRelayService({
      eventLog,
      nats,
      pool,
      eventLogSchema: config.EVENT_LOG_SCHEMA,
      relayName: config.RELAY_NAME,
      stream: { name: config.NATS_STREAM, subjectPrefix: config.NATS_SUBJECT_PREFIX, replicas: config.NATS_STREAM_REPLICAS },
      ...(config.RELAY_ATOMIC_BATCH !== undefined && { atomicBatchSize: config.RELAY_ATOMIC_BATCH }),
      standbyPollMs: config.RELAY_STANDBY_POLL_MS,
      healthCheckIntervalMs: config.HEALTH_CHECK_INTERVAL_MS,
      logger,
    });
    const server = await service.serve({
      port: config.GRPC_PORT,
      host: config.GRPC_HOST,
      async onClosed() {
        await eventLog.close();
        await nats.close();
        await pool.end();
        await telemetry.shutdown(); // flushes the last spans
      },
    });
    logger.info({ port: server.port, relay: config.RELAY_NAME, readiness: service.readiness() }, "relay started");
    registerGracefulShutdown(server, {
      deadlineMs: config.SHUTDOWN_DEADLINE_MS,
      notServingDelayMs: config.SHUTDOWN_NOT_SERVING_DELAY_MS,
      logger,
    });
  } catch (error) {
    logger.fatal({ err: error }, "relay failed to start");
    await telemetry.shutdown();
    process.exit(1);
  }
}

/** The event log's and the relay's schemas migrated as their owner, granting DATABASE_URL's role only rows. */
async function migrateAsOwner(migrationUrl: string, config: RelayConfig): Promise<void> {
  const runtimeRole = roleOfUrl(config.DATABASE_URL);
  if (roleOfUrl(migrationUrl) === runtimeRole) {
    throw new Error("DATABASE_MIGRATION_URL and DATABASE_URL log in as the same user: the runtime role must not own the schemas");
  }
  const owner = new pg.Pool({ connectionString: migrationUrl, max: 1, application_name: "dubstage-migrate" });
  owner.on("error", () => {});
  try {
    await migrateEventLogOnPool(owner, { schema: config.EVENT_LOG_SCHEMA, runtimeRole });
    await migrateRelaySchema(owner, { runtimeRole });
  } finally {
    await owner.end();
  }
}
