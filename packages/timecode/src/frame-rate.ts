import { InvalidRateError } from "./errors.ts";
import { type Rational, rational, rationalEquals } from "./rational.ts";

export type FrameRateId = "23.976" | "24" | "25" | "29.97DF" | "29.97NDF" | "30" | "48" | "50" | "59.94DF" | "59.94NDF" | "60";

/** A picture frame rate: its exact rate, the integer frame count of one timecode second, and drop-frame rules. */
export interface FrameRate {
  readonly id: FrameRateId;
  /** Exact frames per second, e.g. 30000/1001. */
  readonly rate: Rational;
  /** Frame labels per timecode second (FF runs 0..timebase-1): 24 for 23.976, 30 for 29.97. */
  readonly timebase: number;
  readonly dropFrame: boolean;
  /** Labels skipped at the start of each minute not divisible by ten (2 at 29.97 DF, 4 at 59.94 DF, else 0). */
  readonly droppedPerMinute: number;
}

function define(id: FrameRateId, numerator: number, denominator: number, timebase: number, droppedPerMinute = 0): FrameRate {
  return Object.freeze({ id, rate: rational(numerator, denominator), timebase, dropFrame: droppedPerMinute > 0, droppedPerMinute });
}

export const FRAME_RATES: Readonly<Record<FrameRateId, FrameRate>> = Object.freeze({
  // 23.976 is a pull-down of 24 and is never drop-frame.
  "23.976": define("23.976", 24000, 1001, 24),
  "24": define("24", 24, 1, 24),
  "25": define("25", 25, 1, 25),
  "29.97DF": define("29.97DF", 30000, 1001, 30, 2),
  "29.97NDF": define("29.97NDF", 30000, 1001, 30),
  "30": define("30", 30, 1, 30),
  "48": define("48", 48, 1, 48),
  "50": define("50", 50, 1, 50),
  "59.94DF": define("59.94DF", 60000, 1001, 60, 4),
  "59.94NDF": define("59.94NDF", 60000, 1001, 60),
  "60": define("60", 60, 1, 60),
});

export const FRAME_RATE_IDS: readonly FrameRateId[] = Object.freeze(Object.keys(FRAME_RATES) as FrameRateId[]);

export function isFrameRateId(value: unknown): value is FrameRateId {
  return typeof value === "string" && Object.hasOwn(FRAME_RATES, value);
}

/** Looks a frame rate up by id; throws InvalidRateError naming the accepted ids. */
export function frameRate(id: string, field = "frameRate"): FrameRate {
  if (!isFrameRateId(id)) {
    throw new InvalidRateError(`${field}: unknown frame rate "${id}"; expected one of ${FRAME_RATE_IDS.join(", ")}`, field);
  }
  return FRAME_RATES[id];
}

/**
 * The frame rate with this exact rational rate (e.g. an AAF edit rate of 30000/1001) and drop-frame flag.
 * Throws InvalidRateError when none exists, e.g. 24000/1001 with dropFrame true.
 */
export function frameRateFromRational(rate: Rational, dropFrame = false, field = "frameRate"): FrameRate {
  const match = FRAME_RATE_IDS.map((id) => FRAME_RATES[id]).find((f) => rationalEquals(f.rate, rate) && f.dropFrame === dropFrame);
  if (match === undefined) {
    throw new InvalidRateError(
      `${field}: no ${dropFrame ? "drop-frame" : "non-drop-frame"} frame rate of ${rate.numerator}/${rate.denominator}`,
      field,
    );
  }
  return match;
}
