import type { TokenVerifier } from "@dubstage/auth";
import type { ReflectionMode } from "@dubstage/config";
import { createGrpcServer, type GrpcServer, loadProtoDescriptors, type ServiceRegistration } from "@dubstage/grpc-kit";
import type { MediaStore } from "@dubstage/media-store";
import { createSilentLogger, type Logger } from "@dubstage/telemetry";
import { createInProcessWorkQueue, type WorkQueue } from "@dubstage/work-queue";
import { renderGrpcService } from "./adapters/grpc/render-grpc-service.ts";
import { checkPlanMedia } from "./adapters/media/check-media.ts";
import { storeMediaReader } from "./adapters/media/store-media-reader.ts";
import { sessionSource } from "./adapters/session-grpc/session-source.ts";
import type { ChunkJob } from "./app/chunk-job.ts";
import type { RenderJobMessage } from "./app/render-job.ts";
import { createRenderUseCases, type RenderUseCases } from "./app/render-use-cases.ts";

type PackageDefinition = ReturnType<typeof loadProtoDescriptors>;

/** The proto file reflection publishes for RenderService (relative to the repository's /proto). */
export const RENDER_SERVICE_PROTO = "dubstage/render/v1/render_service.proto";

export interface RenderQueues {
  readonly renders: WorkQueue<RenderJobMessage>;
  readonly chunks: WorkQueue<ChunkJob>;
}

export interface RenderServiceDependencies {
  /** Where the session's media is read and the renders are written (the same store the session service checks). */
  readonly media: MediaStore;
  /** host:port of the SessionService. */
  readonly sessionAddress: string;
  readonly auth: TokenVerifier;
  readonly logger?: Logger;
  /** JetStream work queues in a deployment; absent, in-process ones (the embedded platform). */
  readonly queues?: RenderQueues;
  /** Take render jobs here. @default true */
  readonly coordinator?: boolean;
  /** Chunk jobs rendered at once here; 0 for a coordinator-only process. @default 1 */
  readonly workerConcurrency?: number;
  readonly leaseMs?: number;
}

export interface ServeOptions {
  readonly port: number;
  readonly host?: string;
  readonly reflection?: ReflectionMode;
  readonly onClosed?: () => Promise<void> | void;
}

export interface RenderService {
  readonly useCases: RenderUseCases;
  readonly registration: ServiceRegistration;
  readonly descriptors: PackageDefinition;
  serve(options: ServeOptions): Promise<GrpcServer>;
  /** Stops taking jobs (running ones go back to the queue) and closes the session client. */
  stop(): Promise<void>;
}

export function createRenderService(deps: RenderServiceDependencies): RenderService {
  const logger = deps.logger ?? createSilentLogger();
  const sessions = sessionSource(deps.sessionAddress);
  const own = deps.queues === undefined;
  const queues = deps.queues ?? {
    renders: createInProcessWorkQueue<RenderJobMessage>({ name: "render" }),
    chunks: createInProcessWorkQueue<ChunkJob>({ name: "render-chunks" }),
  };
  const useCases = createRenderUseCases({
    sessions,
    store: deps.media,
    renderQueue: queues.renders,
    chunkQueue: queues.chunks,
    mediaReader: (plan) => storeMediaReader(deps.media, plan.sampleRate),
    checkMedia: (plan) => checkPlanMedia(deps.media, plan),
    ...(deps.coordinator !== undefined && { coordinator: deps.coordinator }),
    ...(deps.workerConcurrency !== undefined && { workerConcurrency: deps.workerConcurrency }),
    ...(deps.leaseMs !== undefined && { leaseMs: deps.leaseMs }),
    onDiagnostic: (message, details) => logger.warn(details, message),
  });
  const registration = renderGrpcService(useCases);
  const descriptors = loadProtoDescriptors({ files: [RENDER_SERVICE_PROTO] });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await useCases.stop();
      if (own) await Promise.all([queues.renders.close(), queues.chunks.close()]);
      sessions.close();
      logger.info({}, "render service stopped");
    })();
    return stopped;
  };
  return {
    useCases,
    registration,
    descriptors,
    async serve(options) {
      const server = await createGrpcServer({
        port: options.port,
        ...(options.host && { host: options.host }),
        services: [registration],
        auth: deps.auth,
        reflection: options.reflection === "off" ? false : descriptors,
        reflectionRequiresToken: options.reflection === "token",
        logger,
      });
      if (options.onClosed) server.onClose("close dependencies", options.onClosed);
      server.onClose("stop render service", stop);
      return server;
    },
    stop,
  };
}
