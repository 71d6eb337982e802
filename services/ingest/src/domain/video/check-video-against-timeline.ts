import { type FrameRate, formatRational, frameRateFromRational, type Rational, rationalEquals, timecodeToFrames } from "@dubstage/timecode";
import { primaryVideoStream, type TimecodeCandidate, type VideoProbe } from "./probe-result.ts";

/** The timeline a video must line up with: its frame rate (with drop-frame flag) and start timecode. */
export interface TimelineTiming {
  readonly rate: FrameRate;
  /** E.g. "01:00:00:00", or "01:00:00;00" at a drop-frame rate. Must be valid at `rate`. */
  readonly startTimecode: string;
}

export type FindingSeverity = "error" | "warning";

/** One thing wrong, or doubtful, about the video against the timeline. Errors mean it must not be used as is. */
export type VideoTimelineFinding =
  | { readonly code: "no-video-stream"; readonly severity: "error"; readonly message: string }
  | { readonly code: "unknown-frame-rate"; readonly severity: "error"; readonly streamIndex: number; readonly message: string }
  | {
      readonly code: "rate-mismatch";
      readonly severity: "error";
      readonly videoRate: Rational;
      readonly timelineRate: Rational;
      readonly message: string;
    }
  | {
      readonly code: "drop-frame-mismatch";
      readonly severity: "error";
      readonly videoDropFrame: boolean;
      readonly timelineDropFrame: boolean;
      readonly message: string;
    }
  | { readonly code: "no-start-timecode"; readonly severity: "error"; readonly message: string }
  | { readonly code: "invalid-start-timecode"; readonly severity: "error"; readonly timecode: TimecodeCandidate; readonly message: string }
  | {
      readonly code: "start-timecode-mismatch";
      readonly severity: "error";
      readonly videoStartTimecode: string;
      readonly timelineStartTimecode: string;
      /**
       * Video start minus timeline start, in timeline frames: positive when the video starts later. Rounded to
       * the nearest frame when the rates differ (see `offsetExact`).
       */
      readonly offsetFrames: number;
      readonly offsetExact: boolean;
      readonly message: string;
    }
  | {
      readonly code: "conflicting-start-timecodes";
      readonly severity: "warning";
      readonly timecodes: readonly TimecodeCandidate[];
      readonly message: string;
    }
  | {
      readonly code: "variable-frame-rate";
      readonly severity: "warning";
      readonly frameRate: Rational;
      readonly averageFrameRate: Rational;
      readonly message: string;
    }
  | { readonly code: "no-guide-audio"; readonly severity: "warning"; readonly message: string };

export type VideoTimelineFindingCode = VideoTimelineFinding["code"];

export interface VideoTimelineReport {
  /** True when no finding is an error: the rate and the start timecode were both read and both match. */
  readonly ok: boolean;
  readonly findings: readonly VideoTimelineFinding[];
  /** What was compared, for display. */
  readonly video: {
    readonly streamIndex: number | undefined;
    readonly frameRate: Rational | undefined;
    /** The timecode used (the most trusted candidate) and its frame count since 00:00:00:00 at the video's rate. */
    readonly startTimecode: TimecodeCandidate | undefined;
    readonly startFrame: number | undefined;
  };
  readonly timeline: { readonly rate: FrameRate; readonly startTimecode: string; readonly startFrame: number };
}

/**
 * Compares a probed video with the timeline it is meant to sit against. Every difference becomes a typed
 * finding with a message; nothing is corrected or ignored. The start offset is counted in timeline frames.
 * @throws InvalidTimecodeError when the timeline's own start timecode is not valid at its rate (a caller bug).
 */
export function checkVideoAgainstTimeline(probe: VideoProbe, timeline: TimelineTiming): VideoTimelineReport {
  const timelineStartFrame = timecodeToFrames(timeline.startTimecode, timeline.rate, "timeline.startTimecode");
  const findings: VideoTimelineFinding[] = [];
  const video = primaryVideoStream(probe);
  const chosen = probe.timecodes[0];
  const result = (startFrame: number | undefined): VideoTimelineReport =>
    Object.freeze({
      ok: !findings.some((finding) => finding.severity === "error"),
      findings: Object.freeze(findings),
      video: { streamIndex: video?.index, frameRate: video?.frameRate, startTimecode: chosen, startFrame },
      timeline: { rate: timeline.rate, startTimecode: timeline.startTimecode, startFrame: timelineStartFrame },
    });

  if (probe.audioStreams.length === 0) {
    findings.push({
      code: "no-guide-audio",
      severity: "warning",
      message: "the video has no audio stream, so there is no guide track to sync by ear",
    });
  }
  if (!video) {
    findings.push({ code: "no-video-stream", severity: "error", message: "the file has no video stream (cover art does not count)" });
    return result(undefined);
  }
  if (!video.frameRate) {
    findings.push({
      code: "unknown-frame-rate",
      severity: "error",
      streamIndex: video.index,
      message: `video stream ${video.index} has no frame rate (ffprobe printed neither r_frame_rate nor avg_frame_rate)`,
    });
    return result(undefined);
  }
  const videoRate = video.frameRate;
  if (video.averageFrameRate && !rationalEquals(video.averageFrameRate, videoRate)) {
    findings.push({
      code: "variable-frame-rate",
      severity: "warning",
      frameRate: videoRate,
      averageFrameRate: video.averageFrameRate,
      message: `video stream ${video.index}: frame rate ${describeRate(videoRate)} but average ${describeRate(video.averageFrameRate)}; the picture may not be constant-rate`,
    });
  }
  const sameRate = rationalEquals(videoRate, timeline.rate.rate);
  if (!sameRate) {
    findings.push({
      code: "rate-mismatch",
      severity: "error",
      videoRate,
      timelineRate: timeline.rate.rate,
      message: `the video runs at ${describeRate(videoRate)}, the timeline at ${describeRate(timeline.rate.rate)}`,
    });
  }

  if (!chosen) {
    findings.push({
      code: "no-start-timecode",
      severity: "error",
      message: `the video carries no start timecode (no timecode track or tag), so its sync to the timeline start ${timeline.startTimecode} cannot be checked`,
    });
    return result(undefined);
  }
  const distinct = new Set(probe.timecodes.map((tc) => tc.text));
  if (distinct.size > 1) {
    findings.push({
      code: "conflicting-start-timecodes",
      severity: "warning",
      timecodes: probe.timecodes,
      message: `the video's timecodes disagree (${probe.timecodes.map((tc) => `${tc.text} from the ${describeSource(tc)}`).join(", ")}); using ${chosen.text} from the ${describeSource(chosen)}`,
    });
  }

  let videoFrameRate: FrameRate;
  let videoStartFrame: number;
  try {
    videoFrameRate = frameRateFromRational(videoRate, chosen.dropFrame, "video.frameRate");
    videoStartFrame = timecodeToFrames(chosen.text, videoFrameRate, "video.startTimecode");
  } catch (error) {
    findings.push({
      code: "invalid-start-timecode",
      severity: "error",
      timecode: chosen,
      message: `the video's start timecode "${chosen.text}" (${describeSource(chosen)}) cannot be read at ${describeRate(videoRate)}: ${(error as Error).message}`,
    });
    return result(undefined);
  }

  if (sameRate && videoFrameRate.dropFrame !== timeline.rate.dropFrame) {
    findings.push({
      code: "drop-frame-mismatch",
      severity: "error",
      videoDropFrame: videoFrameRate.dropFrame,
      timelineDropFrame: timeline.rate.dropFrame,
      message: `the video's timecode ${chosen.text} is ${videoFrameRate.dropFrame ? "drop-frame" : "non-drop-frame"}, the timeline's ${timeline.startTimecode} is ${timeline.rate.dropFrame ? "drop-frame" : "non-drop-frame"}`,
    });
  }

  const { frames: offsetFrames, exact: offsetExact } = sameRate
    ? { frames: videoStartFrame - timelineStartFrame, exact: true }
    : offsetInTimelineFrames(videoStartFrame, videoRate, timelineStartFrame, timeline.rate.rate);
  if (offsetFrames !== 0 || !offsetExact) {
    findings.push({
      code: "start-timecode-mismatch",
      severity: "error",
      videoStartTimecode: chosen.text,
      timelineStartTimecode: timeline.startTimecode,
      offsetFrames,
      offsetExact,
      message:
        `the video starts at ${chosen.text}, the timeline at ${timeline.startTimecode}: the video starts ` +
        `${offsetExact ? "" : "about "}${Math.abs(offsetFrames)} frame${Math.abs(offsetFrames) === 1 ? "" : "s"} ` +
        `${offsetFrames >= 0 ? "later" : "earlier"} (timeline frames at ${timeline.rate.id})`,
    });
  }
  return result(videoStartFrame);
}

/**
 * (videoFrame / videoRate) * timelineRate - timelineFrame, rounded to the nearest frame (halves away from the
 * timeline start). Exact integer arithmetic in BigInt: the only rounding is the one reported.
 */
function offsetInTimelineFrames(
  videoFrame: number,
  videoRate: Rational,
  timelineFrame: number,
  timelineRate: Rational,
): { frames: number; exact: boolean } {
  const numerator =
    BigInt(videoFrame) * BigInt(videoRate.denominator) * BigInt(timelineRate.numerator) -
    BigInt(timelineFrame) * BigInt(videoRate.numerator) * BigInt(timelineRate.denominator);
  const denominator = BigInt(videoRate.numerator) * BigInt(timelineRate.denominator);
  const sign = numerator < 0n ? -1n : 1n;
  const magnitude = numerator * sign;
  const rounded = (2n * magnitude + denominator) / (2n * denominator);
  return { frames: Number(sign * rounded), exact: magnitude % denominator === 0n };
}

/** "25 fps", "24000/1001 fps (23.976)": the decimal is for people reading the message, never for arithmetic. */
function describeRate(rate: Rational): string {
  if (rate.denominator === 1) return `${rate.numerator} fps`;
  const approx = Math.round((rate.numerator / rate.denominator) * 1000) / 1000;
  return `${formatRational(rate)} fps (${approx})`;
}

function describeSource(tc: TimecodeCandidate): string {
  return tc.source === "timecode-track"
    ? `timecode track (stream ${tc.streamIndex})`
    : tc.source === "video-stream-tag"
      ? `video stream ${tc.streamIndex} tag`
      : "container tag";
}
