import type { AppendResult, ExpectedVersion, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent } from "./types.ts";

/**
 * The append-only event log. Each session (one reel's tracklay) is a stream; `$all` is every stream in
 * commit-safe global order.
 */
export interface EventLog {
  /**
   * Appends events to a stream atomically. Throws StreamVersionConflictError (kind "concurrency") when
   * the stream is not at `expectedVersion`, InvalidEventError (kind "validation") for a malformed event;
   * in both cases nothing is written. Resending an append whose event ids are all in the log returns the
   * original result with `duplicate: true` and writes nothing.
   */
  append(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedVersion: ExpectedVersion; signal?: AbortSignal },
  ): Promise<AppendResult>;

  /** Reads one stream's events (upcast to their current schema). An absent stream reads as empty. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /**
   * The event with this id (any stream, upcast), or undefined. Ids are unique across the log, so a
   * client-derived id (an idempotency key's) tells whether a batch was already recorded.
   */
  readEvent(eventId: string): Promise<RecordedEvent | undefined>;

  /** The stream's current version, or undefined when it has no events. */
  streamVersion(streamId: string): Promise<number | undefined>;

  /**
   * Reads `$all` after a cursor. Only events below the oldest in-flight transaction are returned, so a
   * reader never skips an event that a slower transaction commits later.
   */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  close(): Promise<void>;
}
