import type { Rational } from "@dubstage/timecode";

/** What ffprobe tells us about a picture editor's video, reduced to what ingest and sync checks need. */
export interface VideoProbe {
  /** ffprobe's demuxer names, e.g. "mov,mp4,m4a,3gp,3g2,mj2" for QuickTime and MP4. */
  readonly formatName: string;
  readonly formatLongName: string | undefined;
  /**
   * Container duration in whole microseconds, exactly as ffprobe prints it (it prints 6 decimals); undefined
   * when ffprobe says N/A. For frame-exact lengths use a stream's `durationTicks` and `timeBase`.
   */
  readonly durationMicroseconds: number | undefined;
  /** Container start time in microseconds (may be negative, e.g. AAC priming); undefined when N/A. */
  readonly startMicroseconds: number | undefined;
  readonly sizeBytes: number | undefined;
  readonly videoStreams: readonly VideoStreamInfo[];
  readonly audioStreams: readonly AudioStreamInfo[];
  /**
   * Every start timecode found, in order of trust: the QuickTime/MP4 timecode track (`tmcd` data stream),
   * then the video streams' `timecode` tags, then the container's (MXF puts it there). Empty when none.
   */
  readonly timecodes: readonly TimecodeCandidate[];
}

/** The timestamps of a stream count in ticks of its time base (e.g. 1/12800 for ffmpeg-written MOV at 25 fps). */
interface StreamTiming {
  /** ffprobe's stream index, as `-map 0:<index>` uses it. */
  readonly index: number;
  readonly codec: string;
  readonly timeBase: Rational | undefined;
  /** Length in `timeBase` ticks: an exact duration. */
  readonly durationTicks: number | undefined;
  /** First timestamp in `timeBase` ticks (negative when an edit list hides pre-roll). */
  readonly startTicks: number | undefined;
  /** Whether the stream is flagged default in the container. */
  readonly isDefault: boolean;
}

export interface VideoStreamInfo extends StreamTiming {
  readonly width: number;
  readonly height: number;
  /**
   * The frame rate: `r_frame_rate` when it agrees with `avg_frame_rate`, else whichever of the two is a
   * standard rate (FRAME_RATES), else `r_frame_rate`; see `frameRateSource`. Undefined when ffprobe has neither.
   */
  readonly frameRate: Rational | undefined;
  readonly frameRateSource: "r_frame_rate" | "avg_frame_rate" | undefined;
  /** `avg_frame_rate` as printed (undefined for 0/0): differs from `frameRate` for variable-rate video. */
  readonly averageFrameRate: Rational | undefined;
  readonly pixelFormat: string | undefined;
  /** ffprobe's `nb_frames` when the container records it. */
  readonly frameCount: number | undefined;
  /** Cover art or a poster frame (disposition attached_pic): not the picture to sync against. */
  readonly attachedPicture: boolean;
}

export interface AudioStreamInfo extends StreamTiming {
  readonly channels: number;
  readonly sampleRate: number;
  /** ffprobe's layout name ("stereo", "5.1", "7.1") or undefined when unknown (discrete channels). */
  readonly channelLayout: string | undefined;
  /** Bits per sample of PCM (or the decoder's raw sample size); undefined when not meaningful (AAC). */
  readonly bitsPerSample: number | undefined;
  /** ffprobe's sample_fmt, e.g. "s16", "s32", "fltp". */
  readonly sampleFormat: string | undefined;
}

export type TimecodeSource = "timecode-track" | "video-stream-tag" | "format-tag";

export interface TimecodeCandidate {
  readonly source: TimecodeSource;
  /** The stream carrying the tag; undefined for the container tag. */
  readonly streamIndex: number | undefined;
  /** As tagged, with a drop-frame separator normalised to ";" (some writers use "."). */
  readonly text: string;
  /** ffmpeg writes drop-frame timecode with ";" before the frames (the tmcd flag is not in ffprobe's JSON). */
  readonly dropFrame: boolean;
}

/** The video stream to sync against: the first one that is not cover art. */
export function primaryVideoStream(probe: VideoProbe): VideoStreamInfo | undefined {
  return probe.videoStreams.find((stream) => !stream.attachedPicture);
}

/** The audio stream guide audio comes from by default: the one flagged default, else the first. */
export function defaultAudioStream(probe: VideoProbe): AudioStreamInfo | undefined {
  return probe.audioStreams.find((stream) => stream.isDefault) ?? probe.audioStreams[0];
}

/**
 * The exact duration of a stream in microseconds, rounded down, from its ticks and time base; falls back to
 * the container's. Integer arithmetic (BigInt) so long files at odd time bases stay exact.
 */
export function streamDurationMicroseconds(probe: VideoProbe, stream: StreamTiming | undefined): number | undefined {
  if (stream?.durationTicks !== undefined && stream.timeBase !== undefined && stream.durationTicks >= 0) {
    const micros = (BigInt(stream.durationTicks) * 1_000_000n * BigInt(stream.timeBase.numerator)) / BigInt(stream.timeBase.denominator);
    return Number(micros);
  }
  return probe.durationMicroseconds;
}
