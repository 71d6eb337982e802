// The ingest service's composition: media store, session client, gRPC server and graceful shutdown.
import { createTokenVerifier, importVerificationKey } from "@dubstage/auth";
import { reflectionMode } from "@dubstage/config";
import { registerGracefulShutdown } from "@dubstage/grpc-kit";
import { S3MediaStore } from "@dubstage/media-store-s3";
import type { Logger } from "@dubstage/telemetry";
import type { Telemetry } from "@dubstage/telemetry/node";
import type { IngestConfig } from "./config.ts";
import { createIngestService } from "./ingest-service.ts";

/** Serves until SIGTERM/SIGINT; on a startup failure logs it, releases what it holds and exits 1. */
export async function runIngestProcess(config: IngestConfig, telemetry: Telemetry, logger: Logger): Promise<void> {
  let media: S3MediaStore | undefined;
  try {
    media = await S3MediaStore.connect({
      endpoint: config.S3_ENDPOINT,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
    });
    const store = media;
    const key = await importVerificationKey(config.DUBSTAGE_AUTH_PUBLIC_KEY, "DUBSTAGE_AUTH_PUBLIC_KEY");
    const service = createIngestService({
      media: store,
      sessionAddress: config.SESSION_SERVICE_ADDRESS,
      auth: createTokenVerifier({ key, issuer: config.DUBSTAGE_AUTH_ISSUER, audience: config.DUBSTAGE_AUTH_AUDIENCE }),
      readerLimits: { maxHeapMb: config.INGEST_PARSE_MAX_HEAP_MB, timeoutMs: config.INGEST_PARSE_TIMEOUT_MS },
      maxConcurrentJobs: config.INGEST_MAX_CONCURRENT_JOBS,
      ...(config.INGEST_WORK_DIR && { workDir: config.INGEST_WORK_DIR }),
      logger,
    });
    const server = await service.serve({
      port: config.GRPC_PORT,
      host: config.GRPC_HOST,
      reflection: reflectionMode(config),
      async onClosed() {
        await store.close();
        await telemetry.shutdown();
      },
    });
    registerGracefulShutdown(server, {
      deadlineMs: config.SHUTDOWN_DEADLINE_MS,
      notServingDelayMs: config.SHUTDOWN_NOT_SERVING_DELAY_MS,
      logger,
    });
    logger.info({ port: server.port, session_service: config.SESSION_SERVICE_ADDRESS }, "ingest service ready");
  } catch (error) {
    logger.fatal({ err: error }, "ingest service failed to start");
    await media?.close().catch(() => {});
    await telemetry.shutdown().catch(() => {});
    process.exit(1);
  }
}
