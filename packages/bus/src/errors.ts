import { DubstageError } from "@dubstage/event-log";

/** A subscribe call whose options are malformed; `field` names the offending option. */
export class InvalidSubscriptionError extends DubstageError {
  override readonly name = "InvalidSubscriptionError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`subscription option ${field} ${problem}`);
    this.field = field;
  }
}

/** The bus was closed, or a durable is already being consumed in a way this bus does not allow. */
export class BusStateError extends DubstageError {
  override readonly name = "BusStateError";
  readonly kind = "illegal-state" as const;
}
