import { DubstageError } from "@dubstage/event-log";

/** A plan the engine cannot render: a malformed value or an inconsistent edit, naming the field at fault. */
export class InvalidMixPlanError extends DubstageError {
  override readonly name = "InvalidMixPlanError";
  readonly kind = "validation" as const;
  /** Path of the offending value, e.g. `tracks[2].clips[0].fadeIn.length`. */
  readonly field: string;
  constructor(message: string, field: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** A MediaReader answered a read with the wrong number of samples (or refused it). */
export class MediaReadError extends DubstageError {
  override readonly name = "MediaReadError";
  readonly kind = "illegal-state" as const;
  readonly mediaKey: string;
  readonly channel: number;
  readonly sourceStart: number;
  readonly length: number;
  constructor(message: string, mediaKey: string, channel: number, sourceStart: number, length: number) {
    super(`media ${mediaKey} channel ${channel} [${sourceStart}, ${sourceStart + length}): ${message}`);
    this.mediaKey = mediaKey;
    this.channel = channel;
    this.sourceStart = sourceStart;
    this.length = length;
  }
}
