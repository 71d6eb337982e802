// The session service process: real PostgreSQL, gRPC with health and reflection, graceful shutdown.
// Configuration comes from the environment (see config.ts and README.md "Service").
import { createTokenVerifier, importVerificationKey } from "@dubstage/auth";
import { loadConfigOrExit } from "@dubstage/config";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import { registerGracefulShutdown } from "@dubstage/grpc-kit";
import { createLogger } from "@dubstage/telemetry";
import { startTelemetry } from "@dubstage/telemetry/node";
import pg from "pg";
import { sessionConfigSchema } from "./config.ts";
import { createSessionService } from "./session-service.ts";

const config = loadConfigOrExit(sessionConfigSchema, process.env);
// grpc-kit starts a span per call; pg auto-instrumentation would need pg imported after this line.
const telemetry = await startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? "session" });
const logger = createLogger({ service: "session", level: config.LOG_LEVEL });

const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: config.DATABASE_POOL_MAX });
// An idle client losing its connection must not crash the process; the next query reports the outage.
pool.on("error", (error) => logger.warn({ err: error }, "idle PostgreSQL connection lost"));

try {
  const eventLog = await createPostgresEventLog({ pool, schema: config.EVENT_LOG_SCHEMA });
  const key = await importVerificationKey(config.DUBSTAGE_AUTH_PUBLIC_KEY, "DUBSTAGE_AUTH_PUBLIC_KEY");
  const service = await createSessionService({
    eventLog,
    auth: createTokenVerifier({ key, issuer: config.DUBSTAGE_AUTH_ISSUER, audience: config.DUBSTAGE_AUTH_AUDIENCE }),
    readModelSchema: config.SESSION_READ_MODEL_SCHEMA,
    snapshotEvery: config.SESSION_SNAPSHOT_EVERY,
    logger,
  });
  const server = await service.serve({
    port: config.GRPC_PORT,
    host: config.GRPC_HOST,
    async onClosed() {
      await eventLog.close();
      await pool.end();
      await telemetry.shutdown();
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
