// The session service process: real PostgreSQL, gRPC with health and reflection, graceful shutdown.
// Configuration comes from the environment (see config.ts and README.md "Service").
// Only config and telemetry are imported statically: ESM evaluates static imports before this body, and the
// pg instrumentation can only patch `pg` (and pg-pool) if they load after startTelemetry, hence the dynamic import below.
import { loadConfigOrExit } from "@dubstage/config";
import { createLogger } from "@dubstage/telemetry";
import { startTelemetry } from "@dubstage/telemetry/node";
import { sessionConfigSchema } from "./config.ts";

const config = loadConfigOrExit(sessionConfigSchema, process.env);
// Silent unless OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) is set; grpc-kit starts a server span per call.
const telemetry = await startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? "session", instrumentPg: true, env: process.env });
const logger = createLogger({ service: "session", level: config.LOG_LEVEL });

try {
  const { runSessionProcess } = await import("./server-process.ts");
  await runSessionProcess(config, telemetry, logger);
} catch (error) {
  logger.fatal({ err: error }, "session service failed to load");
  await telemetry.shutdown().catch(() => {});
  process.exit(1);
}
