// The relay process (container image SERVICE=relay): copies the event log to NATS JetStream. Configured by
// environment (see README.md); serves grpc.health.v1 on GRPC_PORT; SIGTERM stops it gracefully.
// Only config and telemetry are imported statically: ESM evaluates static imports before this body, and the
// pg instrumentation can only patch `pg` (and pg-pool) if they load after startTelemetry, hence the dynamic import.
import { loadConfigOrExit } from "@dubstage/config";
import { createLogger } from "@dubstage/telemetry";
import { startTelemetry } from "@dubstage/telemetry/node";
import { relayConfigSchema } from "./config.ts";

const config = loadConfigOrExit(relayConfigSchema, process.env);
// Silent unless OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT) is set.
const telemetry = await startTelemetry({ serviceName: config.OTEL_SERVICE_NAME, instrumentPg: true, env: process.env });
const logger = createLogger({ service: config.OTEL_SERVICE_NAME, level: config.LOG_LEVEL });

try {
  const { runRelayProcess } = await import("./server-process.ts");
  await runRelayProcess(config, telemetry, logger);
} catch (error) {
  logger.fatal({ err: error }, "relay failed to load");
  await telemetry.shutdown().catch(() => {});
  process.exit(1);
}
