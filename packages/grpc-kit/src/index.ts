export type { CallContext, HandlerOf, KitImplementation, ServerStreamHandler, UnaryHandler } from "./call-context.ts";
export { CallCancelledError, DeadlineExceededError, ServerShuttingDownError } from "./call-errors.ts";
export { type GracefulShutdownOptions, registerGracefulShutdown, type SignalSource } from "./graceful-shutdown.ts";
export { type CallSettings, type ClientOptions, createClient, serverStreamCall, unaryCall } from "./grpc-client.ts";
export {
  createGrpcServer,
  defineService,
  type GrpcServer,
  type GrpcServerOptions,
  type ServerState,
  type ServiceRegistration,
  type ShutdownOptions,
  type ShutdownResult,
} from "./grpc-server.ts";
export { createHealthState, type HealthState, OVERALL, type ServingStatus } from "./health-state.ts";
export { MESSAGE_LIMITS, messageLimitOptions } from "./message-limits.ts";
export { KIT_PROTO_DIR, loadProtoDescriptors, PROTO_LOADER_OPTIONS, type ProtoSource, REPO_PROTO_DIR } from "./proto-descriptors.ts";
export { fromServiceError, isServiceError, RemoteError, RemoteInternalError } from "./remote-error.ts";
export {
  decodeRichStatus,
  ERROR_INFO_TYPE_URL,
  type ErrorInfo,
  encodeRichStatus,
  type RichStatus,
  STATUS_DETAILS_KEY,
} from "./rich-error-details.ts";
export { ERROR_DOMAIN, errorToStatus, KIND_TO_STATUS, type MappedStatus, reasonOf } from "./status-mapping.ts";
