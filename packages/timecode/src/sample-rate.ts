import { InvalidRateError } from "./errors.ts";

/** Audio sample rates a session or source can run at, in Hz. 48 kHz is the post-production standard. */
export const SAMPLE_RATES: readonly number[] = Object.freeze([44100, 48000, 88200, 96000, 176400, 192000]);

export function isSampleRate(value: unknown): value is number {
  return typeof value === "number" && SAMPLE_RATES.includes(value);
}

/** Returns the rate when it is one of SAMPLE_RATES; throws InvalidRateError otherwise. */
export function sampleRate(value: number, field = "sampleRate"): number {
  if (!isSampleRate(value)) {
    throw new InvalidRateError(`${field}: unsupported sample rate ${value} Hz; expected one of ${SAMPLE_RATES.join(", ")}`, field);
  }
  return value;
}
