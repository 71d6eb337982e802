import { DubstageError } from "@dubstage/event-log";

/**
 * Stable machine-readable reasons (for google.rpc.ErrorInfo.reason and client branching):
 * - validation: the command is wrong in itself or against fixed facts of what it names (a clip's length,
 *   its source media);
 * - not-found: it names a session, track, clip, marker, ingest job, render or session version that does not exist;
 * - already-exists: it creates something whose id is taken;
 * - illegal-state: it conflicts with the rest of the session (another clip, another track's name, a fade).
 */
export type SessionErrorReason =
  | "invalid-value"
  | "invalid-media-key"
  | "beyond-source"
  | "fade-too-long"
  | "split-outside-clip"
  | "gain-out-of-range"
  | "insufficient-handles"
  | "session-not-found"
  | "track-not-found"
  | "clip-not-found"
  | "session-exists"
  | "duplicate-id"
  | "duplicate-name"
  | "clip-overlap"
  | "track-not-empty"
  | "channel-format-mismatch"
  | "not-adjacent"
  | "fade-conflict"
  | "split-inside-fade"
  | "media-conflict"
  | "ingest-not-found"
  | "ingest-conflict"
  | "ingest-not-running"
  | "render-not-found"
  | "render-conflict"
  | "render-not-running"
  | "render-deliverables-mismatch"
  | "session-version-not-found";

export interface SessionErrorOptions {
  /** Position of the failing command in its batch. */
  readonly commandIndex?: number;
}

/** Base of the session domain errors: a kind, a reason and the command field at fault. */
export abstract class SessionDomainError extends DubstageError {
  abstract override readonly kind: "validation" | "not-found" | "already-exists" | "illegal-state";
  readonly reason: SessionErrorReason;
  /** Path of the offending command field, e.g. "clip.source.sourceOffset"; prefixed "commands[i]." in a batch. */
  readonly field: string;
  readonly commandIndex: number | undefined;
  constructor(message: string, reason: SessionErrorReason, field: string, options: SessionErrorOptions = {}) {
    super(options.commandIndex === undefined ? message : `command ${options.commandIndex}: ${message}`);
    this.reason = reason;
    this.field = options.commandIndex === undefined ? field : `commands[${options.commandIndex}].${field}`;
    this.commandIndex = options.commandIndex;
  }
}

export class SessionValidationError extends SessionDomainError {
  override readonly name = "SessionValidationError";
  readonly kind = "validation" as const;
}

export class SessionNotFoundError extends SessionDomainError {
  override readonly name = "SessionNotFoundError";
  readonly kind = "not-found" as const;
}

export class SessionAlreadyExistsError extends SessionDomainError {
  override readonly name = "SessionAlreadyExistsError";
  readonly kind = "already-exists" as const;
}

export class SessionIllegalStateError extends SessionDomainError {
  override readonly name = "SessionIllegalStateError";
  readonly kind = "illegal-state" as const;
}

type ErrorClass = new (message: string, reason: SessionErrorReason, field: string, options?: SessionErrorOptions) => SessionDomainError;

/** The same error, attributed to command `index` of a batch. */
export function atCommand(error: SessionDomainError, index: number): SessionDomainError {
  if (error.commandIndex !== undefined) return error;
  const Class = error.constructor as ErrorClass;
  return new Class(error.message, error.reason, error.field, { commandIndex: index });
}

/** An event that cannot apply to the state: the stream is corrupt or out of order. Never caused by a command. */
export class SessionEventApplyError extends DubstageError {
  override readonly name = "SessionEventApplyError";
  readonly kind = "illegal-state" as const;
  readonly eventType: string;
  constructor(eventType: string, message: string) {
    super(`cannot apply ${eventType}: ${message}`);
    this.eventType = eventType;
  }
}
