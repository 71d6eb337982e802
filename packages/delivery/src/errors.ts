import { DubstageError } from "@dubstage/event-log";

/** A delivery profile that is not well formed; the message names the field. */
export class InvalidDeliveryProfileError extends DubstageError {
  override readonly name = "InvalidDeliveryProfileError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`delivery profile: ${field} ${problem}`);
    this.field = field;
  }
}

/** A profile id that no built-in or given profile has. */
export class UnknownDeliveryProfileError extends DubstageError {
  override readonly name = "UnknownDeliveryProfileError";
  readonly kind = "not-found" as const;
  constructor(id: string, known: readonly string[]) {
    super(`no delivery profile ${JSON.stringify(id)}; known: ${known.join(", ")}`);
  }
}
