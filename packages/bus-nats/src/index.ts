export { connectNats } from "./connect.ts";
export {
  type AttachConsumerOptions,
  attachSessionEventConsumer,
  deleteSessionEventConsumer,
  sessionEventConsumerConfig,
} from "./consumers.ts";
export { InvalidNatsConfigError, MalformedEventMessageError, NatsUnavailableError } from "./errors.ts";
export {
  decodeEventBody,
  EventHeaders,
  encodeEventBody,
  eventMessageHeaders,
  globalPositionFromHeaders,
  toEventEnvelope,
  traceContextFromHeaders,
} from "./event-message.ts";
export { createNatsEventBus, type NatsEventBusOptions } from "./nats-event-bus.ts";
export { type AppendNotifications, appendChannel, listenForAppends } from "./relay/append-notifications.ts";
export { postgresRelayLeadership, relayLockKey } from "./relay/postgres-leadership.ts";
export { createRelay, DEFAULT_ATOMIC_BATCH, defaultAtomicBatch, defaultSubjectFor, Relay } from "./relay/relay.ts";
export {
  createMemoryRelayCheckpointStore,
  createPostgresRelayCheckpointStore,
  migrateRelaySchema,
  type Queryable,
  RELAY_SCHEMA,
  type RelayCheckpoint,
  type RelayCheckpointStore,
} from "./relay/relay-checkpoints.ts";
export { createRelayMetrics, type RelayMetricsSummary } from "./relay/relay-metrics.ts";
export type { RelayAck, RelayLeadership, RelayOptions, RelayRole, RelayStats } from "./relay/relay-options.ts";
export {
  ensureSessionEventStream,
  SESSION_EVENTS_STREAM,
  type SessionEventStreamOptions,
  sessionEventStreamConfig,
} from "./stream-config.ts";
export {
  DEFAULT_SUBJECT_PREFIX,
  escapeSubjectToken,
  MAX_FILTER_SUBJECTS,
  parseSessionEventSubject,
  sessionEventFilterSubjects,
  sessionEventSubject,
  unescapeSubjectToken,
  validateSubjectPrefix,
} from "./subjects.ts";
