export {
  DubstageError,
  type ErrorKind,
  EventIdConflictError,
  EventLogCancelledError,
  EventLogUnavailableError,
  InvalidEventError,
  InvalidReadOptionError,
  isDubstageError,
  isErrorKind,
  StreamVersionConflictError,
} from "./errors.ts";
export type { EventLog } from "./event-log.ts";
export { createInMemoryEventLog, createInMemorySnapshotStore } from "./in-memory-event-log.ts";
export {
  DEFAULT_SNAPSHOT_KEEP_EVERY,
  type LoadedState,
  type LoadStateOptions,
  loadState,
  type Snapshot,
  type SnapshotQuery,
  type SnapshotStore,
  validateKeepEvery,
  validateSnapshot,
  validateSnapshotRead,
} from "./snapshots.ts";
export type { ParkedEvent, SubscribeOptions, Subscription, SubscriptionContext, SubscriptionHandler } from "./subscriptions.ts";
export type {
  Actor,
  ActorRole,
  AppendResult,
  EventMetadata,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadDirection,
  ReadStreamOptions,
  RecordedEvent,
  TraceContext,
} from "./types.ts";
export { type Upcaster, UpcasterRegistry, upcastWith } from "./upcasting.ts";
export {
  ACTOR_ROLES,
  describeExpected,
  EVENT_LOG_LIMITS,
  type SerializedPayloads,
  serializePayloads,
  unknownCursor,
  validateAppend,
  validateExpectedVersion,
  validateJson,
  validateReadAll,
  validateReadStream,
  validateStreamId,
} from "./validation.ts";
