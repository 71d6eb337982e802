/**
 * Transport-neutral error kinds (STYLE.md, "Errors"): each transport adapter maps a kind to its own
 * status once. Branch on `kind` with the guards below rather than `instanceof` across packages.
 */
export type ErrorKind =
  | "validation"
  | "not-found"
  | "already-exists"
  | "concurrency"
  | "illegal-state"
  | "forbidden"
  | "unauthenticated"
  | "dependency-unavailable"
  | "deadline"
  | "cancelled"
  /** A size limit was reached (a response too large for a unary call, a quota); the message names it. */
  | "resource-exhausted";

export abstract class DubstageError extends Error {
  abstract readonly kind: ErrorKind;
}

/** The stream's version was not what the append expected. Nothing was written. */
export class StreamVersionConflictError extends DubstageError {
  override readonly name = "StreamVersionConflictError";
  readonly kind = "concurrency" as const;
  readonly streamId: string;
  readonly expected: string;
  readonly actual: number | "no-stream";
  constructor(streamId: string, expected: string, actual: number | "no-stream") {
    super(`stream ${streamId}: expected version ${expected}, but it is ${actual === "no-stream" ? "absent" : `at ${actual}`}`);
    this.streamId = streamId;
    this.expected = expected;
    this.actual = actual;
  }
}

/** An append or event that is malformed (empty id, bad type name, non-JSON payload...). Nothing was written. */
export class InvalidEventError extends DubstageError {
  override readonly name = "InvalidEventError";
  readonly kind = "validation" as const;
  /** Path of the offending input, e.g. `events[1].metadata.actor.role`. */
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.field = field;
  }
}

/** The database (or another dependency) could not be reached; the operation may be retried. */
export class EventLogUnavailableError extends DubstageError {
  override readonly name = "EventLogUnavailableError";
  readonly kind = "dependency-unavailable" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Some, but not all, event ids of an append are already in the log (or all are, but in another stream).
 * Nothing was written: an idempotent resend must repeat the original batch unchanged.
 */
export class EventIdConflictError extends DubstageError {
  override readonly name = "EventIdConflictError";
  readonly kind = "already-exists" as const;
  readonly streamId: string;
  readonly existingIds: readonly string[];
  constructor(streamId: string, existingIds: readonly string[], detail: string) {
    super(
      `append to stream ${streamId}: event ids ${existingIds.join(", ")} are already in the log ${detail}; resend the original batch unchanged, or use new ids`,
    );
    this.streamId = streamId;
    this.existingIds = existingIds;
  }
}

/** A read option is malformed (negative maxCount, a cursor that is not a position in the log...). */
export class InvalidReadOptionError extends DubstageError {
  override readonly name = "InvalidReadOptionError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.field = field;
  }
}

/** The caller's abort signal fired before the operation was sent; nothing was written. */
export class EventLogCancelledError extends DubstageError {
  override readonly name = "EventLogCancelledError";
  readonly kind = "cancelled" as const;
  constructor(options?: { cause?: unknown }) {
    super("the event log operation was cancelled before it was sent", options);
  }
}

export function isDubstageError(error: unknown): error is DubstageError {
  return error instanceof Error && typeof (error as { kind?: unknown }).kind === "string";
}

export function isErrorKind<K extends ErrorKind>(error: unknown, kind: K): error is DubstageError & { kind: K } {
  return isDubstageError(error) && error.kind === kind;
}
