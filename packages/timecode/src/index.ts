export {
  editUnitsToSamples,
  framesToSamples,
  rescale,
  samplesToEditUnits,
  samplesToFrames,
  samplesToTimecode,
  timecodeToSamples,
} from "./convert.ts";
export {
  InexactConversionError,
  InvalidRateError,
  InvalidTimecodeError,
  type InvalidTimecodeReason,
  TimeOutOfRangeError,
} from "./errors.ts";
export {
  FRAME_RATE_IDS,
  FRAME_RATES,
  type FrameRate,
  type FrameRateId,
  frameRate,
  frameRateFromRational,
  isFrameRateId,
} from "./frame-rate.ts";
export { formatRational, type Rational, rational, rationalEquals } from "./rational.ts";
export type { Rounding } from "./rounding.ts";
export { isSampleRate, SAMPLE_RATES, sampleRate } from "./sample-rate.ts";
export {
  formatTimecodeFields,
  framesPerDay,
  framesToTimecode,
  framesToTimecodeFields,
  isValidTimecode,
  parseTimecode,
  type TimecodeFields,
  timecodeToFrames,
} from "./timecode.ts";
export { timecodeLabel } from "./timecode-label.ts";
