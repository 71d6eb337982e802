import { DubstageError } from "@dubstage/event-log";

/**
 * Thrown by a handler for a failure that retrying cannot mend (a malformed file, a plan that cannot be
 * rendered): the job is dead-lettered at once, with this message.
 */
export class TerminalJobError extends DubstageError {
  override readonly name = "TerminalJobError";
  readonly kind = "validation" as const;
  /** Branch on this rather than `instanceof` across package copies. */
  readonly terminal = true as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** True for a `TerminalJobError` (from any copy of this package). */
export function isTerminalJobError(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { terminal?: unknown }).terminal === true;
}

/** A queue name, job id, priority or option the queue refuses. */
export class InvalidWorkQueueRequestError extends DubstageError {
  override readonly name = "InvalidWorkQueueRequestError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.field = field;
  }
}

/** The queue handle was closed. */
export class WorkQueueClosedError extends DubstageError {
  override readonly name = "WorkQueueClosedError";
  readonly kind = "illegal-state" as const;
  constructor(queue: string) {
    super(`work queue ${queue} is closed`);
  }
}
