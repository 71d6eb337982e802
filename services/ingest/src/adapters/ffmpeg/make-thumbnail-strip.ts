import { mkdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { primaryVideoStream, streamDurationMicroseconds, type VideoProbe } from "../../domain/video/index.ts";
import { MediaFileError } from "./errors.ts";
import { assertRegularFile, probeVideo } from "./probe-video.ts";
import { mediaTools } from "./resolve-media-tools.ts";
import { runTool } from "./run-tool.ts";
import { FFMPEG_BITEXACT, FFMPEG_PREAMBLE, type ToolRunOptions } from "./tool-options.ts";

export const MAX_THUMBNAILS = 100;

export interface MakeThumbnailStripOptions extends ToolRunOptions {
  /** How many frames. @default 8 @maximum 100 */
  readonly count?: number;
  /** Thumbnail width in pixels (never wider than the source; height keeps the aspect, even). @default 320 */
  readonly width?: number;
  readonly probe?: VideoProbe;
  /** Fraction done after each thumbnail. */
  readonly onProgress?: (fraction: number) => void;
}

export interface Thumbnail {
  readonly path: string;
  /** 0-based position in the strip. */
  readonly index: number;
  /** Where in the video the frame was taken, in microseconds from the stream start. */
  readonly timeMicroseconds: number;
}

/**
 * `count` JPEG frames evenly spread over the video, one file each (`thumb-001.jpg`, ... in `outDir`): frame i is
 * taken at the middle of the i-th of `count` equal slices, so the first and last are never black leader or
 * past the end. Each is a separate ffmpeg run seeking straight to its time (input-side `-ss`, frame-accurate
 * by decoding from the preceding keyframe), which costs a few keyframes per thumbnail instead of decoding the
 * whole reel.
 * @default timeoutMs 30000 per thumbnail
 */
export async function makeThumbnailStrip(path: string, outDir: string, options: MakeThumbnailStripOptions = {}): Promise<Thumbnail[]> {
  const count = options.count ?? 8;
  if (!Number.isInteger(count) || count < 1 || count > MAX_THUMBNAILS)
    throw new MediaFileError(path, `thumbnail count must be an integer from 1 to ${MAX_THUMBNAILS}, got ${count}`);
  const width = options.width ?? 320;
  if (!Number.isInteger(width) || width < 16 || width > 4096)
    throw new MediaFileError(path, `thumbnail width must be 16-4096 px, got ${width}`);
  await assertRegularFile(path);
  const tools = mediaTools(options.tools);
  const probe = options.probe ?? (await probeVideo(path, { tools, ...(options.signal ? { signal: options.signal } : {}) }));
  const video = primaryVideoStream(probe);
  if (!video) throw new MediaFileError(path, "has no video stream to take thumbnails from");
  const duration = streamDurationMicroseconds(probe, video);
  if (duration === undefined || duration <= 0) throw new MediaFileError(path, "has no known duration to spread thumbnails over");
  await mkdir(outDir, { recursive: true });

  const thumbnails: Thumbnail[] = [];
  for (let index = 0; index < count; index++) {
    const timeMicroseconds = Math.floor((duration * (2 * index + 1)) / (2 * count));
    const out = join(outDir, `thumb-${String(index + 1).padStart(3, "0")}.jpg`);
    await runTool({
      tool: "ffmpeg",
      path: tools.ffmpeg,
      args: [
        ...FFMPEG_PREAMBLE,
        ...["-ss", seconds(timeMicroseconds)],
        ...["-protocol_whitelist", "file", "-i", resolve(path)],
        ...["-map", `0:${video.index}`, "-an", "-sn", "-dn", "-frames:v", "1"],
        ...["-vf", `scale=w=min(${width}\\,iw):h=-2`, "-c:v", "mjpeg", "-q:v", "3", "-pix_fmt", "yuvj420p"],
        ...FFMPEG_BITEXACT,
        ...["-f", "image2", "-update", "1", resolve(out)],
      ],
      input: path,
      timeoutMs: options.timeoutMs ?? 30_000,
      signal: options.signal,
    });
    // ffmpeg exits 0 when a seek lands past the last decodable frame; an absent file is the only sign.
    const written = await stat(out).catch(() => undefined);
    if (!written || written.size === 0)
      throw new MediaFileError(path, `no frame could be decoded at ${seconds(timeMicroseconds)} s for thumbnail ${index + 1}`);
    thumbnails.push(Object.freeze({ path: out, index, timeMicroseconds }));
    options.onProgress?.((index + 1) / count);
  }
  return thumbnails;
}

/** Microseconds as ffmpeg's "S.ffffff" seconds, without floating point. */
function seconds(microseconds: number): string {
  return `${Math.floor(microseconds / 1_000_000)}.${String(microseconds % 1_000_000).padStart(6, "0")}`;
}
