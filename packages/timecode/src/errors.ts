import { DubstageError } from "@dubstage/event-log";

/** Why a timecode string was rejected. */
export type InvalidTimecodeReason =
  /** Not HH:MM:SS:FF (or HH:MM:SS;FF for drop-frame), or the wrong separator for the rate. */
  | "format"
  /** Minutes or seconds >= 60, hours >= 24. */
  | "field-out-of-range"
  /** FF is not below the rate's nominal frames per second. */
  | "frame-out-of-range"
  /** A drop-frame label that is skipped, e.g. 00:01:00;00 at 29.97 DF. */
  | "dropped-label";

/** A timecode string that does not name a frame at the given rate. */
export class InvalidTimecodeError extends DubstageError {
  override readonly name = "InvalidTimecodeError";
  readonly kind = "validation" as const;
  readonly reason: InvalidTimecodeReason;
  readonly input: string;
  /** The input field (command or parameter name) that held the timecode. */
  readonly field: string;
  constructor(message: string, reason: InvalidTimecodeReason, input: string, field = "timecode") {
    super(message);
    this.reason = reason;
    this.input = input;
    this.field = field;
  }
}

/** Base of the errors below: a validation error naming the offending field. */
abstract class TimeValidationError extends DubstageError {
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.field = field;
  }
}

/** An unknown frame rate, a malformed rational or an unsupported sample rate. */
export class InvalidRateError extends TimeValidationError {
  override readonly name = "InvalidRateError";
}

/** A conversion with rounding "exact" whose result is not an integer. */
export class InexactConversionError extends TimeValidationError {
  override readonly name = "InexactConversionError";
}

/** A value that is not a safe integer, or lies beyond 24 hours of timecode or beyond 2^53. */
export class TimeOutOfRangeError extends TimeValidationError {
  override readonly name = "TimeOutOfRangeError";
}
