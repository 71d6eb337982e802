import { resolve } from "node:path";
import {
  type AudioStreamInfo,
  defaultAudioStream,
  primaryVideoStream,
  streamDurationMicroseconds,
  type VideoProbe,
} from "../../domain/video/index.ts";
import { MediaFileError } from "./errors.ts";
import { assertRegularFile, probeVideo } from "./probe-video.ts";
import { ProgressTracker } from "./progress.ts";
import { mediaTools } from "./resolve-media-tools.ts";
import { runTool } from "./run-tool.ts";
import { FFMPEG_BITEXACT, FFMPEG_PREAMBLE, FFMPEG_PROGRESS, localInput, type ToolRunOptions, transcodeTimeoutMs } from "./tool-options.ts";

export const GUIDE_AUDIO_SAMPLE_RATE = 48_000;

export interface ExtractGuideAudioOptions extends ToolRunOptions {
  /** ffprobe index of the audio stream to take. @default the default-flagged audio stream, else the first */
  readonly streamIndex?: number;
  /** The file's probe when already known (saves running ffprobe again). */
  readonly probe?: VideoProbe;
  /** Fraction done, 0..1, from ffmpeg's progress output. */
  readonly onProgress?: (fraction: number) => void;
}

export interface GuideAudio {
  readonly path: string;
  readonly streamIndex: number;
  readonly channels: number;
  readonly sampleRate: typeof GUIDE_AUDIO_SAMPLE_RATE;
  readonly bitsPerSample: 16 | 24;
  readonly codec: "pcm_s16le" | "pcm_s24le";
}

/**
 * Writes one audio stream of the video as a 48 kHz PCM WAV with all its channels, in their order: 16-bit when
 * the source is integer PCM of 16 bits or fewer (nothing to gain from padding), otherwise 24-bit (deeper PCM,
 * float PCM, and lossy codecs such as AAC, whose decoded float output keeps more than 16 bits). The sample
 * rate is converted to 48 kHz when it differs (ffmpeg's swresample). RF64 takes over past 4 GiB.
 * Sample 0 of the WAV is the first picture frame: audio that starts after the picture is padded with silence,
 * audio before it is cut, and timestamp gaps inside the stream are filled (see alignToPictureFilter).
 * @default timeoutMs one minute plus twice the stream's duration
 * @throws MediaFileError when the file has no audio stream or not the one asked for, or ffmpeg fails on it.
 */
export async function extractGuideAudio(path: string, outPath: string, options: ExtractGuideAudioOptions = {}): Promise<GuideAudio> {
  await assertRegularFile(path);
  const tools = mediaTools(options.tools);
  const probe = options.probe ?? (await probeVideo(path, { tools, ...(options.signal ? { signal: options.signal } : {}) }));
  const stream = chooseAudioStream(path, probe, options.streamIndex);
  const bitsPerSample = guideAudioBitDepth(stream);
  const codec = bitsPerSample === 16 ? "pcm_s16le" : "pcm_s24le";
  const duration = streamDurationMicroseconds(probe, stream);
  const progress = new ProgressTracker(duration, options.onProgress);
  await runTool({
    tool: "ffmpeg",
    path: tools.ffmpeg,
    args: [
      ...FFMPEG_PREAMBLE,
      ...localInput(path),
      ...["-map", `0:${stream.index}`, "-vn", "-sn", "-dn"],
      ...["-af", alignToPictureFilter(probe), "-c:a", codec, "-ar", String(GUIDE_AUDIO_SAMPLE_RATE), "-rf64", "auto"],
      ...FFMPEG_BITEXACT,
      ...FFMPEG_PROGRESS,
      ...["-f", "wav", resolve(outPath)],
    ],
    input: path,
    timeoutMs: options.timeoutMs ?? transcodeTimeoutMs(duration),
    signal: options.signal,
    onStdoutLine: (line) => progress.line(line),
  });
  return Object.freeze({
    path: outPath,
    streamIndex: stream.index,
    channels: stream.channels,
    sampleRate: GUIDE_AUDIO_SAMPLE_RATE,
    bitsPerSample,
    codec,
  });
}

/**
 * A WAV has no timestamps, so a guide track that starts later than the picture (or has gaps) would slide out of
 * sync. `aresample` with `async=1:first_pts=0` pads or trims to the audio's own timestamps counted from the
 * container start; `atrim` then drops what lies before the first video frame when the picture starts later.
 */
export function alignToPictureFilter(probe: VideoProbe): string {
  const resample = `aresample=${GUIDE_AUDIO_SAMPLE_RATE}:async=1:first_pts=0`;
  const video = primaryVideoStream(probe);
  if (!video?.timeBase || video.startTicks === undefined || probe.startMicroseconds === undefined) return resample;
  // Video start minus container start, in 48 kHz samples, rounded down; integer arithmetic throughout.
  const videoStartSamples =
    (BigInt(video.startTicks) * BigInt(GUIDE_AUDIO_SAMPLE_RATE) * BigInt(video.timeBase.numerator)) / BigInt(video.timeBase.denominator);
  const containerStartSamples = (BigInt(probe.startMicroseconds) * BigInt(GUIDE_AUDIO_SAMPLE_RATE)) / 1_000_000n;
  const offset = videoStartSamples - containerStartSamples;
  return offset > 0n ? `${resample},atrim=start_sample=${offset},asetpts=PTS-STARTPTS` : resample;
}

/** 16 bits for integer PCM of at most 16 bits, else 24. */
export function guideAudioBitDepth(stream: AudioStreamInfo): 16 | 24 {
  const integerPcm = /^pcm_[su](8|16)/.test(stream.codec);
  return integerPcm && (stream.bitsPerSample ?? 16) <= 16 ? 16 : 24;
}

function chooseAudioStream(path: string, probe: VideoProbe, streamIndex: number | undefined): AudioStreamInfo {
  if (streamIndex === undefined) {
    const stream = defaultAudioStream(probe);
    if (!stream) throw new MediaFileError(path, "has no audio stream to take the guide track from");
    return stream;
  }
  const stream = probe.audioStreams.find((s) => s.index === streamIndex);
  if (!stream) {
    const available = probe.audioStreams.map((s) => s.index);
    throw new MediaFileError(
      path,
      `stream ${streamIndex} is not an audio stream (audio streams: ${available.length === 0 ? "none" : available.join(", ")})`,
    );
  }
  return stream;
}
