import type { FrameRate } from "./frame-rate.ts";
import { type Rational, rational } from "./rational.ts";
import { type Rounding, scale, toBigInt, toSafeNumber } from "./rounding.ts";
import { framesToTimecode, timecodeToFrames } from "./timecode.ts";

/**
 * Converts a position counted at rate `from` (units per second) to rate `to`:
 * position * to / from, in exact integer arithmetic, rounded by `rounding`. Positions may be negative
 * (an AAF start before zero); bigint input is accepted for int64 positions, the result must fit 2^53.
 */
export function rescale(position: number | bigint, from: Rational, to: Rational, rounding: Rounding, field = "position"): number {
  const value = toBigInt(position, field);
  const numerator = BigInt(to.numerator) * BigInt(from.denominator);
  const denominator = BigInt(to.denominator) * BigInt(from.numerator);
  return toSafeNumber(scale(value, numerator, denominator, rounding, field), field);
}

// Conversions accept any positive integer rate (library files at 32 kHz exist); sessions check SAMPLE_RATES.
function hz(sampleRate: number): Rational {
  return rational(sampleRate, 1, "sampleRate");
}

/** Samples at `sampleRate` for a frame count; 29.97 frames are 1601.6 samples at 48 kHz, so pick a rounding. */
export function framesToSamples(frames: number, rate: FrameRate, sampleRate: number, rounding: Rounding): number {
  return rescale(frames, rate.rate, hz(sampleRate), rounding, "frames");
}

/** Frames for a sample count; "floor" gives the frame that contains the sample. */
export function samplesToFrames(samples: number, rate: FrameRate, sampleRate: number, rounding: Rounding): number {
  return rescale(samples, hz(sampleRate), rate.rate, rounding, "samples");
}

/** Samples since 00:00:00:00 (a BWF time reference) for a timecode string at this rate. */
export function timecodeToSamples(timecode: string, rate: FrameRate, sampleRate: number, rounding: Rounding): number {
  return framesToSamples(timecodeToFrames(timecode, rate), rate, sampleRate, rounding);
}

/** The timecode of a sample position since 00:00:00:00; "floor" names the frame that contains the sample. */
export function samplesToTimecode(samples: number, rate: FrameRate, sampleRate: number, rounding: Rounding): string {
  return framesToTimecode(samplesToFrames(samples, rate, sampleRate, rounding), rate, "samples");
}

/**
 * Samples for a position in AAF/OMF edit units (a slot's edit rate, e.g. 25/1 or 30000/1001 or 48000/1).
 * Use rounding "exact" to reject positions that fall between samples.
 */
export function editUnitsToSamples(position: number | bigint, editRate: Rational, sampleRate: number, rounding: Rounding): number {
  return rescale(position, rational(editRate.numerator, editRate.denominator, "editRate"), hz(sampleRate), rounding, "position");
}

/** Edit units at `editRate` for a sample position (for writing AAF or EDL). */
export function samplesToEditUnits(samples: number | bigint, editRate: Rational, sampleRate: number, rounding: Rounding): number {
  return rescale(samples, hz(sampleRate), rational(editRate.numerator, editRate.denominator, "editRate"), rounding, "samples");
}
