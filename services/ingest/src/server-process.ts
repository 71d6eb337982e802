// The ingest service's composition: media store, job queue, session client, gRPC server and graceful shutdown.
import { createTokenVerifier, importVerificationKey } from "@dubstage/auth";
import { reflectionMode } from "@dubstage/config";
import { registerGracefulShutdown } from "@dubstage/grpc-kit";
import { S3MediaStore } from "@dubstage/media-store-s3";
import type { Logger } from "@dubstage/telemetry";
import type { Telemetry } from "@dubstage/telemetry/node";
import { createJetStreamWorkQueue } from "@dubstage/work-queue";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { IngestJobMessage } from "./app/ingest-queue.ts";
import type { IngestConfig } from "./config.ts";
import { createIngestService } from "./ingest-service.ts";

/** Serves until SIGTERM/SIGINT; on a startup failure logs it, releases what it holds and exits 1. */
export async function runIngestProcess(config: IngestConfig, telemetry: Telemetry, logger: Logger): Promise<void> {
  let media: S3MediaStore | undefined;
  let nats: NatsConnection | undefined;
  try {
    media = await S3MediaStore.connect({
      endpoint: config.S3_ENDPOINT,
      accessKey: config.S3_ACCESS_KEY,
      secretKey: config.S3_SECRET_KEY,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
    });
    const store = media;
    // With NATS, jobs wait in a JetStream work queue and outlive this process; without, in memory.
    if (config.NATS_URL) {
      nats = await connect({ servers: config.NATS_URL, name: "dubstage-ingest", maxReconnectAttempts: -1, waitOnFirstConnect: true });
    }
    const queue = nats && (await createJetStreamWorkQueue<IngestJobMessage>({ nats, name: config.INGEST_QUEUE_NAME }));
    const connection = nats;
    const key = await importVerificationKey(config.DUBSTAGE_AUTH_PUBLIC_KEY, "DUBSTAGE_AUTH_PUBLIC_KEY");
    const service = createIngestService({
      media: store,
      sessionAddress: config.SESSION_SERVICE_ADDRESS,
      auth: createTokenVerifier({ key, issuer: config.DUBSTAGE_AUTH_ISSUER, audience: config.DUBSTAGE_AUTH_AUDIENCE }),
      readerLimits: { maxHeapMb: config.INGEST_PARSE_MAX_HEAP_MB, timeoutMs: config.INGEST_PARSE_TIMEOUT_MS },
      maxConcurrentJobs: config.INGEST_MAX_CONCURRENT_JOBS,
      ...(queue && { queue: { queue, durable: true } }),
      jobLeaseMs: config.INGEST_JOB_LEASE_MS,
      ...(config.INGEST_WORK_DIR && { workDir: config.INGEST_WORK_DIR }),
      logger,
    });
    const server = await service.serve({
      port: config.GRPC_PORT,
      host: config.GRPC_HOST,
      reflection: reflectionMode(config),
      async onClosed() {
        await queue?.close();
        await connection?.drain();
        await store.close();
        await telemetry.shutdown();
      },
    });
    registerGracefulShutdown(server, {
      deadlineMs: config.SHUTDOWN_DEADLINE_MS,
      notServingDelayMs: config.SHUTDOWN_NOT_SERVING_DELAY_MS,
      logger,
    });
    logger.info(
      {
        port: server.port,
        session_service: config.SESSION_SERVICE_ADDRESS,
        job_queue: queue ? `JetStream ${config.INGEST_QUEUE_NAME}` : "in-process",
      },
      "ingest service ready",
    );
  } catch (error) {
    logger.fatal({ err: error }, "ingest service failed to start");
    await media?.close().catch(() => {});
    await nats?.close().catch(() => {});
    await telemetry.shutdown().catch(() => {});
    process.exit(1);
  }
}
