import type { RecordedEvent } from "./types.ts";

/**
 * A durable consumer of `$all`: catch-up from its checkpoint, then live. Delivery is at least once;
 * handlers must be idempotent. A handler that needs exactly-once effects updates its read model inside
 * `context.transaction` (the checkpoint is stored in that same transaction).
 */
export type SubscriptionHandler<Tx = unknown> = (event: RecordedEvent, context: SubscriptionContext<Tx>) => Promise<void>;

export interface SubscriptionContext<Tx = unknown> {
  /** The transaction the checkpoint is stored in: write the read model here. */
  readonly transaction: Tx;
  readonly consumer: string;
  /**
   * Runs `callback` once the transaction holding this event has committed (never if it rolls back, e.g.
   * when a later event of the batch fails): the place for side effects outside the database, such as
   * waking watchers, so they never see state that is not committed yet.
   */
  afterCommit(callback: () => void): void;
  /**
   * Runs `callback` inside the transaction holding this event, after the last handler of that transaction
   * and before its checkpoint and commit; callbacks run in the order given, each awaited. The place to
   * flush writes a handler buffered (one multi-row statement instead of one per event). A callback that
   * throws rolls the transaction back as a failing handler would, blaming no single event: the events are
   * then delivered again one per transaction, so the one at fault shows itself.
   */
  beforeCommit(callback: () => Promise<void>): void;
}

export interface SubscribeOptions {
  /** Only these event types are delivered (the checkpoint still advances past others). */
  readonly types?: readonly string[];
  /** Events read per batch during catch-up. @default 500 */
  readonly batchSize?: number;
  /**
   * Most events handled in one transaction (their checkpoint is stored in it). Backends that commit per
   * event may ignore it. @default 500
   */
  readonly maxBatchSize?: number;
  /** Failures of one event before it is parked (dead-lettered) with its error. @default 5 */
  readonly maxAttempts?: number;
  /** How often to poll when no notification arrives, in ms. @default 1000 */
  readonly pollIntervalMs?: number;
}

export interface Subscription {
  readonly consumer: string;
  /** Resolves when the subscription has processed everything committed up to the call. */
  caughtUp(): Promise<void>;
  /** Stops after the current event; its checkpoint is stored. */
  stop(): Promise<void>;
}

export interface ParkedEvent {
  readonly consumer: string;
  readonly globalPosition: number;
  readonly eventId: string;
  readonly attempts: number;
  readonly error: string;
  readonly parkedAt: Date;
  /** Set when a retry was asked for and the consumer's running subscription has not made it yet. */
  readonly retryRequestedAt?: Date;
}
