// The render service's composition: media store, job queues, session client, gRPC server and graceful shutdown.
import { createTokenVerifier, importVerificationKey } from "@dubstage/auth";
import { reflectionMode } from "@dubstage/config";
import { registerGracefulShutdown } from "@dubstage/grpc-kit";
import { S3MediaStore } from "@dubstage/media-store-s3";
import type { Logger } from "@dubstage/telemetry";
import type { Telemetry } from "@dubstage/telemetry/node";
import { createJetStreamWorkQueue } from "@dubstage/work-queue";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import type { ChunkJob } from "./app/chunk-job.ts";
import type { RenderJobMessage } from "./app/render-job.ts";
import type { RenderConfig } from "./config.ts";
import { createRenderService, type RenderQueues } from "./render-service.ts";

/** Serves until SIGTERM/SIGINT; on a startup failure logs it, releases what it holds and exits 1. */
export async function runRenderProcess(config: RenderConfig, telemetry: Telemetry, logger: Logger): Promise<void> {
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
    let queues: RenderQueues | undefined;
    if (config.NATS_URL) {
      nats = await connect({
        servers: config.NATS_URL,
        name: `dubstage-render-${config.RENDER_ROLE}`,
        maxReconnectAttempts: -1,
        waitOnFirstConnect: true,
      });
      queues = {
        renders: await createJetStreamWorkQueue<RenderJobMessage>({ nats, name: config.RENDER_QUEUE_NAME }),
        chunks: await createJetStreamWorkQueue<ChunkJob>({ nats, name: config.RENDER_CHUNK_QUEUE_NAME }),
      };
    } else if (config.RENDER_ROLE !== "all") {
      throw new Error(`RENDER_ROLE=${config.RENDER_ROLE} needs NATS_URL: without it the queues live in this one process`);
    }
    const connection = nats;
    const key = await importVerificationKey(config.DUBSTAGE_AUTH_PUBLIC_KEY, "DUBSTAGE_AUTH_PUBLIC_KEY");
    const service = createRenderService({
      media: store,
      sessionAddress: config.SESSION_SERVICE_ADDRESS,
      auth: createTokenVerifier({ key, issuer: config.DUBSTAGE_AUTH_ISSUER, audience: config.DUBSTAGE_AUTH_AUDIENCE }),
      logger,
      ...(queues && { queues }),
      coordinator: config.RENDER_ROLE !== "worker",
      workerConcurrency: config.RENDER_ROLE === "coordinator" ? 0 : config.RENDER_WORKER_CONCURRENCY,
      leaseMs: config.RENDER_LEASE_MS,
    });
    const server = await service.serve({
      port: config.GRPC_PORT,
      host: config.GRPC_HOST,
      reflection: reflectionMode(config),
      async onClosed() {
        await queues?.renders.close();
        await queues?.chunks.close();
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
        role: config.RENDER_ROLE,
        session_service: config.SESSION_SERVICE_ADDRESS,
        queues: queues ? "JetStream" : "in-process",
      },
      "render service ready",
    );
  } catch (error) {
    logger.fatal({ err: error }, "render service failed to start");
    await media?.close().catch(() => {});
    await nats?.close().catch(() => {});
    await telemetry.shutdown().catch(() => {});
    process.exit(1);
  }
}
