export { createMemoryDurableCheckpointStore, type DurableCheckpointStore, type DurableCursor } from "./durable-checkpoints.ts";
export { BusStateError, InvalidSubscriptionError } from "./errors.ts";
export { createInProcessEventBus, type InProcessEventBus, type InProcessEventBusOptions } from "./in-process-event-bus.ts";
export { SESSION_STREAM_PREFIX, sessionIdOfStream, sessionStreamId } from "./session-streams.ts";
export {
  MAX_FILTER_VALUES,
  MAX_RETRY_DELAY_MS,
  type ResolvedSubscribeOptions,
  redeliveryDelayMs,
  resolveSubscribeOptions,
  validateDurableName,
} from "./subscribe-options.ts";
export type { BusDelivery, BusHandler, BusSubscribeOptions, BusSubscription, EventBus, StartPosition } from "./types.ts";
export { WakeSignal } from "./wake-signal.ts";
