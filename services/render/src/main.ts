// The render service process: a coordinator with gRPC RenderService, a chunk worker, or both (RENDER_ROLE).
// Configuration comes from the environment (see config.ts and README.md "Running it").
import { loadConfigOrExit } from "@dubstage/config";
import { createLogger } from "@dubstage/telemetry";
import { startTelemetry } from "@dubstage/telemetry/node";
import { renderConfigSchema } from "./config.ts";

const config = loadConfigOrExit(renderConfigSchema, process.env);
const telemetry = await startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? `render-${config.RENDER_ROLE}`, env: process.env });
const logger = createLogger({ service: "render", level: config.LOG_LEVEL });

try {
  const { runRenderProcess } = await import("./server-process.ts");
  await runRenderProcess(config, telemetry, logger);
} catch (error) {
  logger.fatal({ err: error }, "render service failed to load");
  await telemetry.shutdown().catch(() => {});
  process.exit(1);
}
