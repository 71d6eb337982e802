import { resolve } from "node:path";
import { frameRateFromRational, isValidTimecode } from "@dubstage/timecode";
import {
  defaultAudioStream,
  primaryVideoStream,
  streamDurationMicroseconds,
  type TimecodeCandidate,
  type VideoProbe,
  type VideoStreamInfo,
} from "../../domain/video/index.ts";
import { MediaFileError } from "./errors.ts";
import { assertRegularFile, probeVideo } from "./probe-video.ts";
import { ProgressTracker } from "./progress.ts";
import { mediaTools } from "./resolve-media-tools.ts";
import { runTool } from "./run-tool.ts";
import { FFMPEG_BITEXACT, FFMPEG_PREAMBLE, FFMPEG_PROGRESS, localInput, type ToolRunOptions, transcodeTimeoutMs } from "./tool-options.ts";

/** The browse proxy's settings; see the README ("Video") for why each. */
export const PROXY_SETTINGS = Object.freeze({
  maxWidth: 640,
  crf: 28,
  preset: "veryfast",
  pixelFormat: "yuv420p",
  audioBitrate: "128k",
  audioChannels: 2,
});

export interface MakeProxyOptions extends ToolRunOptions {
  readonly probe?: VideoProbe;
  /** ffprobe index of the audio stream for the proxy's sound. @default the guide audio's default stream */
  readonly audioStreamIndex?: number;
  readonly onProgress?: (fraction: number) => void;
}

export interface Proxy {
  readonly path: string;
  readonly hasAudio: boolean;
  /** The source's start timecode, carried into the proxy's timecode track, when it had a readable one. */
  readonly startTimecode: string | undefined;
}

/**
 * A lightweight H.264 MP4 of the picture for browsing and review: at most 640 px wide (never upscaled, aspect
 * kept, even height), CRF 28, yuv420p, a keyframe every second for scrubbing, stereo AAC 128k at 48 kHz from the
 * guide audio stream, the source's start timecode, moov atom first (+faststart) so it plays while downloading.
 * @default timeoutMs one minute plus twice the video's duration
 */
export async function makeProxy(path: string, outPath: string, options: MakeProxyOptions = {}): Promise<Proxy> {
  await assertRegularFile(path);
  const tools = mediaTools(options.tools);
  const probe = options.probe ?? (await probeVideo(path, { tools, ...(options.signal ? { signal: options.signal } : {}) }));
  const video = primaryVideoStream(probe);
  if (!video) throw new MediaFileError(path, "has no video stream to make a proxy from");
  const audio =
    options.audioStreamIndex === undefined
      ? defaultAudioStream(probe)
      : probe.audioStreams.find((s) => s.index === options.audioStreamIndex);
  if (options.audioStreamIndex !== undefined && !audio)
    throw new MediaFileError(path, `stream ${options.audioStreamIndex} is not an audio stream`);
  const duration = streamDurationMicroseconds(probe, video);
  // Only a timecode that exists at the video's rate is carried over: ffmpeg refuses others.
  const timecode = probe.timecodes.find((tc) => isValidAtRate(tc, video));
  const keyframeInterval = video.frameRate ? Math.max(1, Math.ceil(video.frameRate.numerator / video.frameRate.denominator)) : 25;
  const progress = new ProgressTracker(duration, options.onProgress);
  await runTool({
    tool: "ffmpeg",
    path: tools.ffmpeg,
    args: [
      ...FFMPEG_PREAMBLE,
      ...localInput(path),
      ...["-map", `0:${video.index}`],
      ...(audio ? ["-map", `0:${audio.index}`] : []),
      "-sn",
      "-dn",
      ...["-vf", `scale=w=min(${PROXY_SETTINGS.maxWidth}\\,iw):h=-2`],
      ...["-c:v", "libx264", "-preset", PROXY_SETTINGS.preset, "-crf", String(PROXY_SETTINGS.crf), "-pix_fmt", PROXY_SETTINGS.pixelFormat],
      ...["-g", String(keyframeInterval)],
      ...(audio ? ["-c:a", "aac", "-b:a", PROXY_SETTINGS.audioBitrate, "-ac", String(PROXY_SETTINGS.audioChannels), "-ar", "48000"] : []),
      ...FFMPEG_BITEXACT,
      ...(timecode ? ["-timecode", timecode.text] : []),
      ...["-movflags", "+faststart"],
      ...FFMPEG_PROGRESS,
      ...["-f", "mp4", resolve(outPath)],
    ],
    input: path,
    timeoutMs: options.timeoutMs ?? transcodeTimeoutMs(duration),
    signal: options.signal,
    onStdoutLine: (line) => progress.line(line),
  });
  return Object.freeze({ path: outPath, hasAudio: audio !== undefined, startTimecode: timecode?.text });
}

function isValidAtRate(timecode: TimecodeCandidate, video: VideoStreamInfo): boolean {
  if (!video.frameRate) return false;
  try {
    return isValidTimecode(timecode.text, frameRateFromRational(video.frameRate, timecode.dropFrame));
  } catch {
    return false; // not a standard rate, or drop-frame at a rate that has none
  }
}
