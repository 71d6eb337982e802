import { InvalidReadOptionError, type RecordedEvent, type SubscribeOptions } from "@dubstage/event-log";
import type { HorizonStall } from "./horizon-stall.ts";

export interface PostgresSubscribeOptions extends SubscribeOptions {
  /** Called with every failure (handler errors, database outages); the subscription keeps going. */
  readonly onError?: (error: unknown, event?: RecordedEvent) => void;
  /** Longest wait between retries after the database was unavailable, in ms. @default 5000 */
  readonly maxBackoffMs?: number;
  /**
   * A transaction commits once its handlers have run this long (in ms), even short of `maxBatchSize`, so
   * slow handlers neither hold events back nor keep a transaction (and the `$all` horizon) open. @default 250
   */
  readonly maxBatchMs?: number;
  /**
   * How long (in ms) committed events may wait behind one open transaction of this database before the
   * subscription reports a horizon stall (`stall`, `onHorizonStall`). @default 10000
   */
  readonly stallAfterMs?: number;
  /** Called when a horizon stall starts (with it) and when it ends (with undefined). */
  readonly onHorizonStall?: (stall: HorizonStall | undefined) => void;
}

const NUMERIC = ["batchSize", "maxBatchSize", "maxBatchMs", "maxAttempts", "pollIntervalMs", "maxBackoffMs", "stallAfterMs"] as const;

export type ResolvedOptions = Required<Pick<PostgresSubscribeOptions, (typeof NUMERIC)[number]>> & PostgresSubscribeOptions;

/** The options with their defaults; a value that is not a positive integer throws, naming the option. */
export function resolveOptions(options: PostgresSubscribeOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    batchSize: 500,
    maxBatchSize: 500,
    maxBatchMs: 250,
    maxAttempts: 5,
    pollIntervalMs: 1000,
    maxBackoffMs: 5000,
    stallAfterMs: 10_000,
    ...options,
  };
  for (const field of NUMERIC) {
    const value = resolved[field];
    if (!Number.isSafeInteger(value) || value < 1)
      throw new InvalidReadOptionError(`subscription option ${field} must be a positive integer, got ${value}`, field);
  }
  return resolved;
}

/** The consumer name is a checkpoint key: 1-200 characters. */
export function checkConsumer(consumer: string): string {
  if (consumer.length === 0 || consumer.length > 200) throw new Error("subscription consumer name must be 1-200 characters");
  return consumer;
}
