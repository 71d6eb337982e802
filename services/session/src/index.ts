// The session service as a library: compose it (embedded platform, tests) or run src/main.ts.
export { notifyChangesFromBus } from "./adapters/bus/bus-change-notifier.ts";
export { CORRELATION_ID_KEY, REQUEST_ID_KEY } from "./adapters/grpc/call-request-context.ts";
export { fromProtoCommand, fromProtoCommands, fromProtoCreateSession } from "./adapters/grpc/command-mapping.ts";
export { toProtoCommand, toProtoCommands } from "./adapters/grpc/command-to-proto.ts";
export {
  type EnumMapping,
  frameRateProto,
  mediaOriginProto,
  sessionTemplateProto,
  trackTypeProto,
} from "./adapters/grpc/enum-mapping.ts";
export { ResponseTooLargeError, sessionGrpcService } from "./adapters/grpc/session-grpc-service.ts";
export {
  toProtoIngest,
  toProtoRender,
  toProtoSession,
  toProtoSessionEvent,
  toProtoSessionSummary,
} from "./adapters/grpc/session-mapping.ts";
export { migrateSessionDatabaseAsOwner, type OwnerMigrationOptions } from "./adapters/postgres/migrate-as-owner.ts";
export { migrateReadModel } from "./adapters/postgres/read-model-migrations.ts";
export {
  READ_MODEL_CONSUMER,
  type ReadModelProjectionOptions,
  startReadModelProjection,
} from "./adapters/postgres/read-model-projection.ts";
export { DEFAULT_READ_MODEL_SCHEMA, type ReadModelDatabase } from "./adapters/postgres/read-model-schema.ts";
export { createPostgresSessionReadModel } from "./adapters/postgres/session-read-model.ts";
export type { CreatedSession, CreateSessionInput } from "./app/create-session.ts";
export { CommandForbiddenError, InvalidRequestError, SessionVersionNotFoundError } from "./app/errors.ts";
export { type ExecuteCommandsInput, type ExecutedBatch, MAX_BATCH_SIZE } from "./app/execute-commands.ts";
export type { GetSessionInput, SessionAtVersion } from "./app/get-session.ts";
export { IdempotencyKeyReusedError, KeyedIds, MAX_IDEMPOTENCY_KEY_LENGTH } from "./app/idempotency.ts";
export { DEFAULT_PAGE_SIZE, type ListSessionsInput, MAX_PAGE_SIZE } from "./app/list-sessions.ts";
export { type LoadedSession, loadSession } from "./app/load-session.ts";
export type { MediaCatalog, SessionChangeFeed, SessionPage, SessionReadModel, SessionSummary } from "./app/ports.ts";
export { CLIP_PAGE, STREAM_CLIP_CHUNK, TRACK_PAGE } from "./app/read-tracklay.ts";
export { actorRoleOf, type RequestContext } from "./app/request-context.ts";
export { createSessionChangeFeed } from "./app/session-change-feed.ts";
export { sessionIdOfStream, sessionStreamId } from "./app/session-stream.ts";
export { createSessionUseCases, type SessionUseCaseDependencies, type SessionUseCases } from "./app/session-use-cases.ts";
export { MediaNotFoundError } from "./app/verify-media.ts";
export type { WatchSessionInput } from "./app/watch-session.ts";
export { loadSessionConfig, type SessionConfig, sessionConfigSchema } from "./config.ts";
export {
  createSessionService,
  SESSION_SERVICE_PROTO,
  type ServeOptions,
  type SessionService,
  type SessionServiceDependencies,
} from "./session-service.ts";
