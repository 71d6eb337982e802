import type { NewEvent } from "@dubstage/event-log";

/**
 * What the harness needs from a store under test. Each adapter maps the same `NewEvent`s onto its
 * store's own append call, so both sides write identical payloads, metadata and event ids.
 */
export interface BenchStore {
  /** Short label for tables, e.g. "ours" or "emmett". */
  readonly name: string;
  /** Appends without a version check ("any" on both sides). Throws when the store rejects the append. */
  append(streamId: string, events: readonly NewEvent[]): Promise<void>;
  /** Reads the global log from the start in batches, until its end or the deadline. */
  readAllFromStart(options: ReadAllPass): Promise<{ read: number; complete: boolean }>;
  /** How many events the store's table holds (to check the catch-up read saw every one). */
  countEvents(): Promise<number>;
  close(): Promise<void>;
}

export interface ReadAllPass {
  readonly batchSize: number;
  /** performance.now() after which the pass stops early (complete: false). */
  readonly deadline: number;
  /** When given, every event id read is added (the untimed check pass, to find skipped or repeated events). */
  readonly ids?: Set<string>;
}
