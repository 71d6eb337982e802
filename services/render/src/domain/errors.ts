import { DubstageError } from "@dubstage/event-log";

/** A render request or plan option that cannot be rendered; the message names the field. */
export class InvalidRenderRequestError extends DubstageError {
  override readonly name = "InvalidRenderRequestError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(message: string, field: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
