import type { TokenVerifier } from "@dubstage/auth";
import type { ReflectionMode } from "@dubstage/config";
import { createGrpcServer, type GrpcServer, loadProtoDescriptors, type ServiceRegistration } from "@dubstage/grpc-kit";
import type { MediaStore } from "@dubstage/media-store";
import { createSilentLogger, type Logger } from "@dubstage/telemetry";
import { ffmpegVideoIngestor } from "./adapters/ffmpeg/video-ingestor.ts";
import { ingestGrpcService } from "./adapters/grpc/ingest-grpc-service.ts";
import { downloadUpload } from "./adapters/media/download-upload.ts";
import { storeMediaInspector } from "./adapters/media/store-media-inspector.ts";
import { type ReaderLimits, workerTimelineReader } from "./adapters/readers/worker-timeline-reader.ts";
import { sessionGateway } from "./adapters/session-grpc/session-gateway.ts";
import { createIngestUseCases, type IngestUseCaseDependencies, type IngestUseCases } from "./app/ingest-use-cases.ts";

type PackageDefinition = ReturnType<typeof loadProtoDescriptors>;

/** The proto file reflection publishes for IngestService (relative to the repository's /proto). */
export const INGEST_SERVICE_PROTO = "dubstage/ingest/v1/ingest_service.proto";

export interface IngestServiceDependencies {
  /** Where uploads are read from and essences are stored (the same store the session service checks). */
  readonly media: MediaStore;
  /** host:port of the SessionService the results are applied to. */
  readonly sessionAddress: string;
  readonly auth: TokenVerifier;
  readonly logger?: Logger;
  readonly readerLimits?: ReaderLimits;
  /** Where uploads are copied for reading. @default os.tmpdir() */
  readonly workDir?: string;
  /** @default 2 */
  readonly maxConcurrentJobs?: number;
  readonly newId?: () => string;
  /**
   * The job queue: a JetStream work queue in a deployment (jobs survive the process: see README, "Jobs
   * survive a crash"); absent, an in-process queue (the embedded platform).
   */
  readonly queue?: IngestUseCaseDependencies["queue"];
  /** How long a running job may go without a sign of life before another process takes it. @default 60000 */
  readonly jobLeaseMs?: number;
}

export interface ServeOptions {
  readonly port: number;
  /** @default "0.0.0.0" */
  readonly host?: string;
  readonly onClosed?: () => Promise<void> | void;
  /** @default "open" */
  readonly reflection?: ReflectionMode;
}

export interface IngestService {
  readonly useCases: IngestUseCases;
  readonly registration: ServiceRegistration;
  readonly descriptors: PackageDefinition;
  serve(options: ServeOptions): Promise<GrpcServer>;
  /**
   * Stops taking jobs; running ones go back to a durable queue (another process runs them again), or with
   * the in-process queue record IngestFailed on their session. Then closes the session client.
   */
  stop(): Promise<void>;
}

/** Builds the ingest service from its dependencies; it holds no database of its own (see README). */
export function createIngestService(deps: IngestServiceDependencies): IngestService {
  const logger = deps.logger ?? createSilentLogger();
  const sessions = sessionGateway(deps.sessionAddress);
  const useCases = createIngestUseCases({
    media: deps.media,
    sessions,
    reader: workerTimelineReader(deps.readerLimits),
    inspector: storeMediaInspector(deps.media),
    video: ffmpegVideoIngestor(deps.media, deps.workDir ? { workDir: deps.workDir } : {}),
    download: downloadUpload(deps.media, deps.workDir),
    ...(deps.maxConcurrentJobs !== undefined && { maxConcurrentJobs: deps.maxConcurrentJobs }),
    ...(deps.newId && { newId: deps.newId }),
    ...(deps.queue && { queue: deps.queue }),
    ...(deps.jobLeaseMs !== undefined && { jobLeaseMs: deps.jobLeaseMs }),
    onDiagnostic: (message, details) => logger.warn(details, message),
  });
  const registration = ingestGrpcService(useCases);
  const descriptors = loadProtoDescriptors({ files: [INGEST_SERVICE_PROTO] });
  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await useCases.stop();
      sessions.close();
      logger.info({}, "ingest service stopped");
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
      server.onClose("stop ingest service", stop);
      return server;
    },
    stop,
  };
}
