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
  | "cancelled";

export abstract class DubstageError extends Error {
  abstract readonly kind: ErrorKind;
}

/** The stream's version was not what the append expected. Nothing was written. */
export class StreamVersionConflictError extends DubstageError {
  override readonly name = "StreamVersionConflictError";
  readonly kind = "concurrency" as const;
  constructor(
    readonly streamId: string,
    readonly expected: string,
    readonly actual: number | "no-stream",
  ) {
    super(`stream ${streamId}: expected version ${expected}, but it is ${actual === "no-stream" ? "absent" : `at ${actual}`}`);
  }
}

/** An append or event that is malformed (empty id, bad type name, non-JSON payload...). Nothing was written. */
export class InvalidEventError extends DubstageError {
  override readonly name = "InvalidEventError";
  readonly kind = "validation" as const;
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
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

export function isDubstageError(error: unknown): error is DubstageError {
  return error instanceof Error && typeof (error as { kind?: unknown }).kind === "string";
}

export function isErrorKind<K extends ErrorKind>(error: unknown, kind: K): error is DubstageError & { kind: K } {
  return isDubstageError(error) && error.kind === kind;
}
