import { mkdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { primaryVideoStream, streamDurationMicroseconds, type VideoProbe } from "../../domain/video/index.ts";
import { MediaFileError } from "./errors.ts";
import { assertRegularFile, probeVideo } from "./probe-video.ts";
import { mediaTools } from "./resolve-media-tools.ts";
import { runTool } from "./run-tool.ts";
import { FFMPEG_BITEXACT, FFMPEG_PREAMBLE, type ToolRunOptions } from "./tool-options.ts";

export const MAX_THUMBNAILS = 100;
/** Thumbnails made by one ffmpeg process: each holds its own open decoder, so a batch bounds memory. */
const THUMBNAILS_PER_RUN = 10;

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
 * past the end. Each thumbnail seeks straight to its time (input-side `-ss`, frame-accurate by decoding from
 * the preceding keyframe), which costs one GOP per thumbnail instead of decoding the whole reel; up to 10
 * thumbnails share one ffmpeg process (one input and one output each).
 * @default timeoutMs 30000 per thumbnail (per batch: 30 s times its size)
 */
export async function makeThumbnailStrip(path: string, outDir: string, options: MakeThumbnailStripOptions = {}): Promise<Thumbnail[]> {
  const { count, width } = thumbnailOptions(path, options);
  await assertRegularFile(path);
  const tools = mediaTools(options.tools);
  const probe = options.probe ?? (await probeVideo(path, { tools, ...(options.signal ? { signal: options.signal } : {}) }));
  const video = primaryVideoStream(probe);
  if (!video) throw new MediaFileError(path, "has no video stream to take thumbnails from");
  const duration = streamDurationMicroseconds(probe, video);
  if (duration === undefined || duration <= 0) throw new MediaFileError(path, "has no known duration to spread thumbnails over");
  await mkdir(outDir, { recursive: true });

  const planned = Array.from({ length: count }, (_, index) => ({
    index,
    timeMicroseconds: Math.floor((duration * (2 * index + 1)) / (2 * count)),
    path: join(outDir, `thumb-${String(index + 1).padStart(3, "0")}.jpg`),
  }));
  const thumbnails: Thumbnail[] = [];
  for (let start = 0; start < planned.length; start += THUMBNAILS_PER_RUN) {
    const batch = planned.slice(start, start + THUMBNAILS_PER_RUN);
    const args = [...FFMPEG_PREAMBLE];
    // One input per thumbnail, each seeking on its own, so one process start serves the whole batch.
    for (const thumbnail of batch)
      args.push("-ss", seconds(thumbnail.timeMicroseconds), "-protocol_whitelist", "file", "-i", resolve(path));
    batch.forEach((thumbnail, input) => {
      args.push(...["-map", `${input}:${video.index}`, "-frames:v", "1"]);
      args.push(...["-vf", `scale=w=min(${width}\\,iw):h=-2`, "-c:v", "mjpeg", "-q:v", "3", "-pix_fmt", "yuvj420p"]);
      args.push(...FFMPEG_BITEXACT, ...["-f", "image2", "-update", "1", resolve(thumbnail.path)]);
    });
    await runTool({
      tool: "ffmpeg",
      path: tools.ffmpeg,
      args,
      input: path,
      timeoutMs: options.timeoutMs ?? 30_000 * batch.length,
      signal: options.signal,
    });
    for (const thumbnail of batch) {
      // ffmpeg exits 0 when a seek lands past the last decodable frame; an absent file is the only sign.
      const written = await stat(thumbnail.path).catch(() => undefined);
      if (!written || written.size === 0) {
        throw new MediaFileError(
          path,
          `no frame could be decoded at ${seconds(thumbnail.timeMicroseconds)} s for thumbnail ${thumbnail.index + 1}`,
        );
      }
      thumbnails.push(Object.freeze(thumbnail));
    }
    options.onProgress?.(thumbnails.length / count);
  }
  return thumbnails;
}

/** Checks count and width (callers such as ingestVideo check them before any expensive step). */
export function thumbnailOptions(
  path: string,
  options: { readonly count?: number; readonly width?: number },
): { count: number; width: number } {
  const count = options.count ?? 8;
  if (!Number.isInteger(count) || count < 1 || count > MAX_THUMBNAILS)
    throw new MediaFileError(path, `thumbnail count must be an integer from 1 to ${MAX_THUMBNAILS}, got ${count}`);
  const width = options.width ?? 320;
  if (!Number.isInteger(width) || width < 16 || width > 4096)
    throw new MediaFileError(path, `thumbnail width must be 16-4096 px, got ${width}`);
  return { count, width };
}

/** Microseconds as ffmpeg's "S.ffffff" seconds, without floating point. */
function seconds(microseconds: number): string {
  return `${Math.floor(microseconds / 1_000_000)}.${String(microseconds % 1_000_000).padStart(6, "0")}`;
}
