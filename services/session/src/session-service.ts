import type { TokenVerifier } from "@dubstage/auth";
import type { BusSubscription, EventBus } from "@dubstage/bus";
import type { ReflectionMode } from "@dubstage/config";
import type { PostgresEventLog, PostgresSubscription } from "@dubstage/event-log-postgres";
import { createGrpcServer, type GrpcServer, loadProtoDescriptors, type ServiceRegistration } from "@dubstage/grpc-kit";
import { createSilentLogger, type Logger } from "@dubstage/telemetry";
import type { Kysely } from "kysely";
import { notifyChangesFromBus } from "./adapters/bus/bus-change-notifier.ts";
import { sessionGrpcService } from "./adapters/grpc/session-grpc-service.ts";
import { migrateReadModel } from "./adapters/postgres/read-model-migrations.ts";
import { startReadModelProjection } from "./adapters/postgres/read-model-projection.ts";
import { checkReadModelSchema, DEFAULT_READ_MODEL_SCHEMA, type ReadModelDatabase } from "./adapters/postgres/read-model-schema.ts";
import { createPostgresSessionReadModel } from "./adapters/postgres/session-read-model.ts";
import type { MediaCatalog, SessionChangeFeed } from "./app/ports.ts";
import { createSessionChangeFeed } from "./app/session-change-feed.ts";
import { createSessionUseCases, type SessionUseCases } from "./app/session-use-cases.ts";

type PackageDefinition = ReturnType<typeof loadProtoDescriptors>;

/** The proto file reflection publishes for SessionService (relative to the repository's /proto). */
export const SESSION_SERVICE_PROTO = "dubstage/session/v1/session_service.proto";

export interface SessionServiceDependencies {
  /**
   * The event log, on a pg Pool or PGlite. The read model lives in the same database (its tables are
   * written in the log subscription's transactions), so the log's connections serve both.
   */
  readonly eventLog: PostgresEventLog;
  /** Verifies the bearer token of every call. */
  readonly auth: TokenVerifier;
  /**
   * The media store (its `exists`): a batch placing a clip on media it does not hold is refused. Absent,
   * only the key grammar is checked; production wiring always passes it (the platform, the container).
   */
  readonly media?: MediaCatalog;
  /** Optional: also wake watchers from the bus (events appended by processes this one does not follow). */
  readonly bus?: EventBus;
  /** @default "dubstage_session" */
  readonly readModelSchema?: string;
  /** Checkpoint name of the read-model subscription. @default "session-read-model" (+ ":<schema>" if not default) */
  readonly readModelConsumer?: string;
  /** @default a silent logger */
  readonly logger?: Logger;
  /** Ids for new sessions, events and unnamed tracks/clips/markers. @default crypto.randomUUID */
  readonly newId?: () => string;
  /** Save a session snapshot each time its version crosses a multiple of this. @default 500 */
  readonly snapshotEvery?: number;
  /** Longest wait of an idle WatchSession between reads of the log. @default 1000 */
  readonly watchPollIntervalMs?: number;
  /** Poll interval of the read-model subscription (LISTEN/NOTIFY wakes it sooner). @default 1000 */
  readonly projectionPollIntervalMs?: number;
}

export interface ServeOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** @default "0.0.0.0"; the embedded platform passes "127.0.0.1" */
  readonly host?: string;
  /** Runs at shutdown after the service has stopped (close pools, telemetry). */
  readonly onClosed?: () => Promise<void> | void;
  /** Server reflection: `reflectionMode(config)` of @dubstage/config. @default "open" */
  readonly reflection?: ReflectionMode;
}

export interface SessionService {
  readonly useCases: SessionUseCases;
  /** SessionService for a grpc-kit server (to host it beside other services in one server). */
  readonly registration: ServiceRegistration;
  /** Descriptors of SessionService for server reflection. */
  readonly descriptors: PackageDefinition;
  readonly changes: SessionChangeFeed;
  /** The read-model subscription; `caughtUp()` resolves once the list reflects everything committed. */
  readonly projection: PostgresSubscription<ReadModelDatabase>;
  /** Read model tables, scoped to their schema. */
  readonly readModelDb: Kysely<ReadModelDatabase>;
  /**
   * Starts a gRPC server (grpc-kit: auth, deadlines, health, reflection) serving this service. Its
   * shutdown drains calls, ends watches, then runs `stop()` and `onClosed`.
   */
  serve(options: ServeOptions): Promise<GrpcServer>;
  /** Stops the read-model subscription (its checkpoint is stored) and the bus subscription. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Builds the session service from its dependencies: migrates the read model, starts its projection and
 * returns the use cases, the gRPC registration and `serve`. Closing the event log and its pool or PGlite
 * stays with the caller (after `stop()`).
 */
export async function createSessionService(deps: SessionServiceDependencies): Promise<SessionService> {
  const logger = deps.logger ?? createSilentLogger();
  const schema = checkReadModelSchema(deps.readModelSchema ?? DEFAULT_READ_MODEL_SCHEMA);
  await migrateReadModel(deps.eventLog.db, { schema });
  const readModelDb = (deps.eventLog.db as Kysely<ReadModelDatabase>).withSchema(schema);
  const changes = createSessionChangeFeed();

  const projection = startReadModelProjection(deps.eventLog, {
    schema,
    ...(deps.readModelConsumer && { consumer: deps.readModelConsumer }),
    onSessionChanged: (sessionId) => changes.notify(sessionId),
    onError: (error, event) =>
      logger.error({ err: error, event_id: event?.id, stream_id: event?.streamId }, "session read model: event failed"),
    ...(deps.projectionPollIntervalMs !== undefined && { pollIntervalMs: deps.projectionPollIntervalMs }),
  });
  let busSubscription: BusSubscription | undefined;
  try {
    if (deps.bus) busSubscription = await notifyChangesFromBus(deps.bus, changes);
  } catch (error) {
    await projection.stop();
    throw error;
  }

  const useCases = createSessionUseCases({
    log: deps.eventLog,
    snapshots: deps.eventLog.snapshots,
    readModel: createPostgresSessionReadModel(readModelDb),
    changes,
    ...(deps.media && { media: deps.media }),
    ...(deps.newId && { newId: deps.newId }),
    ...(deps.snapshotEvery !== undefined && { snapshotEvery: deps.snapshotEvery }),
    ...(deps.watchPollIntervalMs !== undefined && { watchPollIntervalMs: deps.watchPollIntervalMs }),
    onDiagnostic: (message, details) => logger.info(details, message),
  });
  const registration = sessionGrpcService(useCases, deps.newId ? { newId: deps.newId } : {});
  const descriptors = loadProtoDescriptors({ files: [SESSION_SERVICE_PROTO] });

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      await busSubscription?.stop();
      await useCases.executeCommands.snapshotsSaved();
      await projection.stop();
      logger.info({ consumer: projection.consumer }, "session service stopped");
    })();
    return stopped;
  };

  return {
    useCases,
    registration,
    descriptors,
    changes,
    projection,
    readModelDb,
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
      // Hooks run in reverse order: the service stops before whatever it depends on is closed.
      if (options.onClosed) server.onClose("close dependencies", options.onClosed);
      server.onClose("stop session service", stop);
      return server;
    },
    stop,
  };
}
