// The ingest service process: gRPC with health and reflection, the media store on S3, graceful shutdown.
// Configuration comes from the environment (see config.ts and README.md "Service").
import { loadConfigOrExit } from "@dubstage/config";
import { createLogger } from "@dubstage/telemetry";
import { startTelemetry } from "@dubstage/telemetry/node";
import { ingestConfigSchema } from "./config.ts";

const config = loadConfigOrExit(ingestConfigSchema, process.env);
const telemetry = await startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? "ingest", env: process.env });
const logger = createLogger({ service: "ingest", level: config.LOG_LEVEL });

try {
  const { runIngestProcess } = await import("./server-process.ts");
  await runIngestProcess(config, telemetry, logger);
} catch (error) {
  logger.fatal({ err: error }, "ingest service failed to load");
  await telemetry.shutdown().catch(() => {});
  process.exit(1);
}
