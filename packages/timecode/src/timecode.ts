import { InvalidTimecodeError, TimeOutOfRangeError } from "./errors.ts";
import type { FrameRate } from "./frame-rate.ts";

/** The four fields of a timecode label. */
export interface TimecodeFields {
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly frames: number;
}

const PATTERN = /^(\d{2}):(\d{2}):(\d{2})([:;])(\d{2})$/;

function framesPerTenMinutes(rate: FrameRate): number {
  return 600 * rate.timebase - 9 * rate.droppedPerMinute;
}

/** Number of frames in 24 hours of timecode (labels 00:00:00:00 up to 23:59:59:FF) at this rate. */
export function framesPerDay(rate: FrameRate): number {
  return 144 * framesPerTenMinutes(rate);
}

/**
 * Splits a timecode string into fields and checks it names a frame at this rate. Drop-frame rates need `;`
 * before the frames, other rates `:`. Throws InvalidTimecodeError with the reason.
 */
export function parseTimecode(text: string, rate: FrameRate, field = "timecode"): TimecodeFields {
  const match = typeof text === "string" ? PATTERN.exec(text) : null;
  if (match === null) {
    throw new InvalidTimecodeError(
      `${field}: "${String(text)}" is not a timecode; expected HH:MM:SS${rate.dropFrame ? ";" : ":"}FF`,
      "format",
      String(text),
      field,
    );
  }
  const [, hh, mm, ss, separator, ff] = match;
  if ((separator === ";") !== rate.dropFrame) {
    const expected = rate.dropFrame
      ? `drop-frame ${rate.id} timecode is written HH:MM:SS;FF`
      : `${rate.id} timecode is written HH:MM:SS:FF`;
    throw new InvalidTimecodeError(`${field}: "${text}": ${expected}`, "format", text, field);
  }
  const fields = { hours: Number(hh), minutes: Number(mm), seconds: Number(ss), frames: Number(ff) };
  if (fields.hours > 23 || fields.minutes > 59 || fields.seconds > 59) {
    throw new InvalidTimecodeError(
      `${field}: "${text}": hours must be 00-23, minutes and seconds 00-59`,
      "field-out-of-range",
      text,
      field,
    );
  }
  if (fields.frames >= rate.timebase) {
    throw new InvalidTimecodeError(
      `${field}: "${text}": frame ${ff} does not exist at ${rate.id} (frames run 00-${rate.timebase - 1})`,
      "frame-out-of-range",
      text,
      field,
    );
  }
  if (rate.dropFrame && fields.seconds === 0 && fields.frames < rate.droppedPerMinute && fields.minutes % 10 !== 0) {
    throw new InvalidTimecodeError(
      `${field}: "${text}" does not exist at ${rate.id}: drop-frame skips frames 00-${String(rate.droppedPerMinute - 1).padStart(2, "0")} ` +
        "at the start of every minute except every tenth",
      "dropped-label",
      text,
      field,
    );
  }
  return fields;
}

/** Frames elapsed since 00:00:00:00 for a timecode string at this rate (drop-frame labels are counted out). */
export function timecodeToFrames(text: string, rate: FrameRate, field = "timecode"): number {
  const { hours, minutes, seconds, frames } = parseTimecode(text, rate, field);
  const labels = (hours * 3600 + minutes * 60 + seconds) * rate.timebase + frames;
  const totalMinutes = hours * 60 + minutes;
  return labels - rate.droppedPerMinute * (totalMinutes - Math.floor(totalMinutes / 10));
}

/** The timecode fields of a frame count since 00:00:00:00. Throws TimeOutOfRangeError outside 0..24h. */
export function framesToTimecodeFields(frameCount: number, rate: FrameRate, field = "frames"): TimecodeFields {
  if (!Number.isSafeInteger(frameCount) || frameCount < 0 || frameCount >= framesPerDay(rate)) {
    throw new TimeOutOfRangeError(
      `${field}: ${frameCount} is not a frame count within 24 hours of timecode at ${rate.id} (0-${framesPerDay(rate) - 1})`,
      field,
    );
  }
  let labels = frameCount;
  if (rate.dropFrame) {
    // Add back the labels skipped before this frame: none in the first minute of each ten-minute block,
    // `drop` for each later minute started.
    const drop = rate.droppedPerMinute;
    const perTen = framesPerTenMinutes(rate);
    const perMinute = 60 * rate.timebase - drop;
    const tens = Math.floor(frameCount / perTen);
    const rest = frameCount % perTen;
    const minutesStarted = rest < 60 * rate.timebase ? 0 : Math.floor((rest - 60 * rate.timebase) / perMinute) + 1;
    labels += drop * (9 * tens + minutesStarted);
  }
  const frames = labels % rate.timebase;
  const totalSeconds = Math.floor(labels / rate.timebase);
  return { hours: Math.floor(totalSeconds / 3600), minutes: Math.floor(totalSeconds / 60) % 60, seconds: totalSeconds % 60, frames };
}

export function formatTimecodeFields(fields: TimecodeFields, rate: FrameRate): string {
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(fields.hours)}:${two(fields.minutes)}:${two(fields.seconds)}${rate.dropFrame ? ";" : ":"}${two(fields.frames)}`;
}

/** The timecode string (HH:MM:SS:FF, or HH:MM:SS;FF for drop-frame) of a frame count since 00:00:00:00. */
export function framesToTimecode(frameCount: number, rate: FrameRate, field = "frames"): string {
  return formatTimecodeFields(framesToTimecodeFields(frameCount, rate, field), rate);
}

/** True when the string names a frame at this rate. */
export function isValidTimecode(text: string, rate: FrameRate): boolean {
  try {
    parseTimecode(text, rate);
    return true;
  } catch {
    return false;
  }
}
