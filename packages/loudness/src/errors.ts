import { DubstageError } from "@dubstage/event-log";

/** A meter option, block of samples or energy sequence that cannot be measured as given. */
export class InvalidLoudnessInputError extends DubstageError {
  override readonly name = "InvalidLoudnessInputError";
  readonly kind = "validation" as const;
  /** The option or argument at fault, e.g. "sampleRate", "planes", "channelMask". */
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.field = field;
  }
}
