import { DubstageError } from "@dubstage/event-log";

/**
 * An essence that cannot be streamed as WAV: unknown name, linked rather than embedded, a stored header that
 * is not what its descriptor says, or a format this reader does not convert. The message names the essence.
 */
export class AafEssenceError extends DubstageError {
  override readonly name = "AafEssenceError";
  readonly kind: "validation" | "not-found";
  constructor(message: string, kind: "validation" | "not-found" = "validation") {
    super(message);
    this.kind = kind;
  }
}
