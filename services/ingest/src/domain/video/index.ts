export {
  checkVideoAgainstTimeline,
  type FindingSeverity,
  type TimelineTiming,
  type VideoTimelineFinding,
  type VideoTimelineFindingCode,
  type VideoTimelineReport,
} from "./check-video-against-timeline.ts";
export { ProbeOutputError } from "./errors.ts";
export { parseProbeOutput } from "./parse-probe-output.ts";
export {
  type AudioStreamInfo,
  defaultAudioStream,
  primaryVideoStream,
  streamDurationMicroseconds,
  type TimecodeCandidate,
  type TimecodeSource,
  type VideoProbe,
  type VideoStreamInfo,
} from "./probe-result.ts";
