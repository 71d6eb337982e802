import { DubstageError } from "@dubstage/event-log";

/** A subject, prefix, stream or consumer setting that NATS would refuse or that breaks the scheme. */
export class InvalidNatsConfigError extends DubstageError {
  override readonly name = "InvalidNatsConfigError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field} ${problem}`);
    this.field = field;
  }
}

/** A NATS message on the session-event stream that is not a valid event envelope. */
export class MalformedEventMessageError extends DubstageError {
  override readonly name = "MalformedEventMessageError";
  readonly kind = "validation" as const;
  readonly streamSequence: number | undefined;
  constructor(message: string, streamSequence?: number, options?: { cause?: unknown }) {
    super(streamSequence === undefined ? message : `stream sequence ${streamSequence}: ${message}`, options);
    this.streamSequence = streamSequence;
  }
}

/** NATS (or JetStream) could not be reached or did not confirm; the operation may be retried. */
export class NatsUnavailableError extends DubstageError {
  override readonly name = "NatsUnavailableError";
  readonly kind = "dependency-unavailable" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
