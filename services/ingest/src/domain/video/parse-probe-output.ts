import { FRAME_RATE_IDS, FRAME_RATES, type Rational, rational, rationalEquals } from "@dubstage/timecode";
import { ProbeOutputError } from "./errors.ts";
import type { AudioStreamInfo, TimecodeCandidate, VideoProbe, VideoStreamInfo } from "./probe-result.ts";

/** More streams than any real turnover has (Avid MXF OP-Atom: 1; QuickTime with discrete audio: ~20). */
const MAX_STREAMS = 1024;
/** 64 channels covers every layout ffmpeg names (22.2 is 24) and discrete multichannel guide tracks. */
const MAX_CHANNELS = 64;
/** 16K is the largest picture a production video reaches. */
const MAX_DIMENSION = 16_384;
const MAX_SAMPLE_RATE = 768_000;

type Json = Record<string, unknown>;

/**
 * Parses the output of `ffprobe -print_format json -show_format -show_streams` (text, or the already parsed
 * value). Streams of other types (subtitles, data streams other than timecode tracks) are skipped.
 * @throws ProbeOutputError naming the field, e.g. `streams[0].width: missing`.
 */
export function parseProbeOutput(output: string | unknown): VideoProbe {
  let document: unknown = output;
  if (typeof output === "string") {
    try {
      document = JSON.parse(output);
    } catch (error) {
      throw new ProbeOutputError("$", `not JSON (${(error as Error).message})`, { cause: error });
    }
  }
  const root = object(document, "$");
  const format = object(root.format, "format");
  const streams = root.streams ?? [];
  if (!Array.isArray(streams)) throw new ProbeOutputError("streams", `expected an array, got ${describe(streams)}`);
  if (streams.length > MAX_STREAMS)
    throw new ProbeOutputError("streams", `${streams.length} streams, more than the ${MAX_STREAMS} accepted`);

  const videoStreams: VideoStreamInfo[] = [];
  const audioStreams: AudioStreamInfo[] = [];
  const trackTimecodes: TimecodeCandidate[] = [];
  const videoTimecodes: TimecodeCandidate[] = [];
  streams.forEach((value, position) => {
    const path = `streams[${position}]`;
    const stream = object(value, path);
    const type = optionalString(stream.codec_type, `${path}.codec_type`);
    if (type === "video") {
      const video = parseVideoStream(stream, path);
      videoStreams.push(video);
      const tc = timecodeTag(stream, path, "video-stream-tag", video.index);
      if (tc) videoTimecodes.push(tc);
    } else if (type === "audio") {
      audioStreams.push(parseAudioStream(stream, path));
    } else if (type === "data") {
      // QuickTime/MP4 timecode tracks: codec tag "tmcd"; ffprobe puts the start label in tags.timecode.
      const tc = timecodeTag(stream, path, "timecode-track", integer(stream.index, `${path}.index`, 0));
      if (tc) trackTimecodes.push(tc);
    }
  });
  const formatTimecode = timecodeTag(format, "format", "format-tag", undefined);

  return Object.freeze({
    formatName: requiredString(format.format_name, "format.format_name"),
    formatLongName: optionalString(format.format_long_name, "format.format_long_name"),
    durationMicroseconds: decimalMicroseconds(format.duration, "format.duration"),
    startMicroseconds: decimalMicroseconds(format.start_time, "format.start_time"),
    sizeBytes: optionalInteger(format.size, "format.size", 0),
    videoStreams: Object.freeze(videoStreams),
    audioStreams: Object.freeze(audioStreams),
    timecodes: Object.freeze([...trackTimecodes, ...videoTimecodes, ...(formatTimecode ? [formatTimecode] : [])]),
  });
}

function parseVideoStream(stream: Json, path: string): VideoStreamInfo {
  const realRate = rateText(stream.r_frame_rate, `${path}.r_frame_rate`);
  const averageRate = rateText(stream.avg_frame_rate, `${path}.avg_frame_rate`);
  const { frameRate, frameRateSource } = chooseFrameRate(realRate, averageRate);
  const disposition = stream.disposition === undefined ? {} : object(stream.disposition, `${path}.disposition`);
  return Object.freeze({
    ...streamTiming(stream, path),
    width: integer(stream.width, `${path}.width`, 1, MAX_DIMENSION),
    height: integer(stream.height, `${path}.height`, 1, MAX_DIMENSION),
    frameRate,
    frameRateSource,
    averageFrameRate: averageRate,
    pixelFormat: optionalString(stream.pix_fmt, `${path}.pix_fmt`),
    frameCount: optionalInteger(stream.nb_frames, `${path}.nb_frames`, 0),
    attachedPicture: disposition.attached_pic === 1,
  });
}

function parseAudioStream(stream: Json, path: string): AudioStreamInfo {
  // bits_per_sample is the stored size (24 for pcm_s24le); bits_per_raw_sample what the decoder keeps.
  const bits = optionalInteger(stream.bits_per_sample, `${path}.bits_per_sample`, 0, 64);
  const rawBits = optionalInteger(stream.bits_per_raw_sample, `${path}.bits_per_raw_sample`, 0, 64);
  const layout = optionalString(stream.channel_layout, `${path}.channel_layout`);
  return Object.freeze({
    ...streamTiming(stream, path),
    channels: integer(stream.channels, `${path}.channels`, 1, MAX_CHANNELS),
    sampleRate: integer(stream.sample_rate, `${path}.sample_rate`, 1, MAX_SAMPLE_RATE),
    channelLayout: layout === "" ? undefined : layout,
    bitsPerSample: bits || rawBits || undefined,
    sampleFormat: optionalString(stream.sample_fmt, `${path}.sample_fmt`),
  });
}

function streamTiming(stream: Json, path: string) {
  const disposition = stream.disposition === undefined ? {} : object(stream.disposition, `${path}.disposition`);
  return {
    index: integer(stream.index, `${path}.index`, 0, MAX_STREAMS * 64),
    codec: requiredString(stream.codec_name, `${path}.codec_name`),
    timeBase: rateText(stream.time_base, `${path}.time_base`),
    durationTicks: optionalInteger(stream.duration_ts, `${path}.duration_ts`, 0),
    startTicks: optionalInteger(stream.start_pts, `${path}.start_pts`, Number.MIN_SAFE_INTEGER),
    isDefault: disposition.default === 1,
  };
}

/**
 * r_frame_rate is the rate all timestamps fit (right for constant-rate picture); avg_frame_rate is frames over
 * duration. They disagree for variable-rate video and for some interlaced files (r = field rate); prefer the
 * one that is a standard picture rate, since that is what a timeline can run at.
 */
function chooseFrameRate(
  realRate: Rational | undefined,
  averageRate: Rational | undefined,
): Pick<VideoStreamInfo, "frameRate" | "frameRateSource"> {
  if (realRate && (!averageRate || rationalEquals(realRate, averageRate))) return { frameRate: realRate, frameRateSource: "r_frame_rate" };
  if (!realRate)
    return averageRate
      ? { frameRate: averageRate, frameRateSource: "avg_frame_rate" }
      : { frameRate: undefined, frameRateSource: undefined };
  if (!isStandardRate(realRate) && averageRate && isStandardRate(averageRate))
    return { frameRate: averageRate, frameRateSource: "avg_frame_rate" };
  return { frameRate: realRate, frameRateSource: "r_frame_rate" };
}

function isStandardRate(rate: Rational): boolean {
  return FRAME_RATE_IDS.some((id) => rationalEquals(FRAME_RATES[id].rate, rate));
}

const TIMECODE_TAG = /^(\d{2}):(\d{2}):(\d{2})([:;.])(\d{2})$/;

function timecodeTag(
  holder: Json,
  path: string,
  source: TimecodeCandidate["source"],
  streamIndex: number | undefined,
): TimecodeCandidate | undefined {
  if (holder.tags === undefined) return undefined;
  const tags = object(holder.tags, `${path}.tags`);
  const value = optionalString(tags.timecode, `${path}.tags.timecode`);
  if (value === undefined) return undefined;
  const match = TIMECODE_TAG.exec(value.trim());
  // A malformed label is kept verbatim: the file is still usable, and the timeline check reports it.
  if (!match) return Object.freeze({ source, streamIndex, text: value, dropFrame: false });
  const dropFrame = match[4] !== ":";
  return Object.freeze({ source, streamIndex, text: `${match[1]}:${match[2]}:${match[3]}${dropFrame ? ";" : ":"}${match[5]}`, dropFrame });
}

function object(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ProbeOutputError(path, value === undefined ? "missing" : `expected an object, got ${describe(value)}`);
  }
  return value as Json;
}

function requiredString(value: unknown, path: string): string {
  if (value === undefined) throw new ProbeOutputError(path, "missing");
  const text = optionalString(value, path);
  if (!text) throw new ProbeOutputError(path, "empty");
  return text;
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new ProbeOutputError(path, `expected a string, got ${describe(value)}`);
  return value;
}

/** ffprobe prints some integers as JSON numbers (width, channels) and others as strings (sample_rate, nb_frames). */
function integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) throw new ProbeOutputError(path, "missing");
  const parsed = typeof value === "number" ? value : typeof value === "string" && /^-?\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(parsed)) throw new ProbeOutputError(path, `expected an integer, got ${describe(value)}`);
  if (parsed < min || parsed > max) throw new ProbeOutputError(path, `${parsed} is outside ${min}..${max}`);
  return parsed;
}

function optionalInteger(value: unknown, path: string, min: number, max?: number): number | undefined {
  return value === undefined || value === "N/A" ? undefined : integer(value, path, min, max);
}

/** "24000/1001" as an exact rational; "0/0" (ffprobe's "unknown") and absence are undefined. */
function rateText(value: unknown, path: string): Rational | undefined {
  const text = optionalString(value, path);
  if (text === undefined || text === "0/0" || text === "N/A") return undefined;
  const match = /^(\d{1,15})\/(\d{1,15})$/.exec(text);
  if (!match) throw new ProbeOutputError(path, `expected a rational such as "24000/1001", got ${describe(value)}`);
  const [numerator, denominator] = [Number(match[1]), Number(match[2])];
  if (numerator === 0 || denominator === 0) return undefined;
  return rational(numerator, denominator, path);
}

/** Seconds printed as a decimal ("2.002000", "-0.021333") to whole microseconds, without floating point. */
function decimalMicroseconds(value: unknown, path: string): number | undefined {
  const text = optionalString(value, path);
  if (text === undefined || text === "N/A") return undefined;
  const match = /^(-?)(\d{1,10})(?:\.(\d{1,6}))?$/.exec(text);
  if (!match) throw new ProbeOutputError(path, `expected seconds with at most 6 decimals, got ${describe(value)}`);
  const micros = Number(match[2]) * 1_000_000 + Number((match[3] ?? "").padEnd(6, "0"));
  return match[1] === "-" ? -micros : micros;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
