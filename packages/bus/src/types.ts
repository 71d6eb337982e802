import type { RecordedEvent, TraceContext } from "@dubstage/event-log";

/**
 * Where a new subscription (or a durable consumer seen for the first time) starts. A durable that
 * already exists resumes after its last acknowledged event and ignores this.
 */
export type StartPosition =
  | { readonly from: "beginning" }
  /** Only events committed after the subscription was created. */
  | { readonly from: "new" }
  /** From this bus sequence, inclusive (see `BusDelivery.sequence`): resume with `last.sequence + 1`. */
  | { readonly from: "sequence"; readonly sequence: number }
  /** From the first event recorded (in-process) or stored (JetStream) at or after this instant. */
  | { readonly from: "time"; readonly time: Date };

export interface BusSubscribeOptions {
  /**
   * Durable consumer name (1-64 of `A-Z a-z 0-9 _ -`). A durable remembers what it acknowledged across
   * subscriptions; without one the subscription is ephemeral and forgets everything when stopped.
   */
  readonly durableName?: string;
  /** Only events of these sessions (ids without the `session-` stream prefix). Absent = every session. */
  readonly sessionIds?: readonly string[];
  /** Only events of these types. Absent = every type. */
  readonly eventTypes?: readonly string[];
  /** @default { from: "beginning" } */
  readonly deliverFrom?: StartPosition;
  /** Deliveries of one event (first + redeliveries) before it is dead-lettered. @default 5 */
  readonly maxDeliver?: number;
  /** Delay before redelivering an event whose handler threw; doubles per attempt, capped at 30 s. @default 500 */
  readonly retryDelayMs?: number;
  /** Called once an event has failed `maxDeliver` times; it is then skipped (never redelivered). */
  readonly onDeadLetter?: (delivery: BusDelivery, error: unknown) => void;
}

/** One delivery of a committed session event. */
export interface BusDelivery {
  readonly event: RecordedEvent;
  /** The session id: the event's stream id without its `session-` prefix. */
  readonly sessionId: string;
  /**
   * Position of the event in this bus, increasing in delivery order: the JetStream stream sequence on
   * NATS, the event's global position in-process. Not comparable across implementations.
   */
  readonly sequence: number;
  /** 1 on the first delivery, then 2, 3... on redeliveries. */
  readonly deliveryCount: number;
  /** W3C trace context of the append that produced the event, when it had one. */
  readonly trace?: TraceContext;
}

/**
 * Handles one delivery. Resolving acknowledges the event (it will not be delivered again to this
 * durable); throwing asks for a redelivery after a delay. Delivery is at least once: handlers must be
 * idempotent (the event id is a natural key).
 */
export type BusHandler = (delivery: BusDelivery) => Promise<void>;

export interface BusSubscription {
  readonly durableName: string | undefined;
  /** Stops after the delivery in progress; resolves once no handler is running and acks are confirmed. */
  stop(): Promise<void>;
  /** Resolves when the subscription stops, rejects if it died of an unrecoverable error. */
  readonly closed: Promise<void>;
}

/** Receives committed session events. Implemented in-process (embedded mode) and on NATS JetStream. */
export interface EventBus {
  subscribe(options: BusSubscribeOptions, handler: BusHandler): Promise<BusSubscription>;
  /** Forgets a durable consumer (its position); a later subscribe starts again from `deliverFrom`. */
  deleteDurable(durableName: string): Promise<void>;
  /** Stops every subscription and releases the bus's resources. */
  close(): Promise<void>;
}
