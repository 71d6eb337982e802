// Test support (not exported): ffmpeg/ffprobe at test time, and collecting a streamed WAV.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";

export const FFMPEG_AVAILABLE = spawnSync("ffmpeg", ["-version"]).status === 0 && spawnSync("ffprobe", ["-version"]).status === 0;

/** Prints why ffmpeg tests are skipped, so a skip is never silent. */
export function warnIfFfmpegMissing(suite: string): void {
  if (!FFMPEG_AVAILABLE) console.warn(`[${suite}] skipped: ffmpeg/ffprobe are not on PATH`);
}

export function ffmpeg(args: readonly string[]): void {
  execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", ...args]);
}

/** md5 of ffmpeg's decode of `path`'s audio stream `stream` as raw samples of `format` (s16le, s24le). */
export function decodedMd5(path: string, format: string, stream = 0): string {
  const pcm = execFileSync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-i", path, "-map", `0:a:${stream}`, "-f", format, "-"], {
    maxBuffer: 256 * 1024 * 1024,
  });
  return md5(pcm);
}

export interface ProbedAudio {
  readonly sampleRate: number;
  readonly channels: number;
  readonly durationSeconds: number;
  readonly filePackageUmid: string | null;
  readonly materialPackageUmid: string | null;
  readonly timecode: string | null;
}

/** ffprobe's view of the first audio stream, with the UMIDs ffmpeg's MXF demuxer shows as tags. */
export function probeAudio(path: string): ProbedAudio {
  const out = execFileSync("ffprobe", ["-v", "error", "-of", "json", "-show_format", "-show_streams", "-select_streams", "a:0", path]);
  const json = JSON.parse(out.toString()) as {
    streams: { sample_rate: string; channels: number; duration: string; tags?: Record<string, string> }[];
    format: { tags?: Record<string, string> };
  };
  const stream = json.streams[0];
  if (!stream) throw new Error(`ffprobe found no audio stream in ${path}`);
  const umid = (value: string | undefined) => (value ? value.replace(/^0x/, "").toLowerCase() : null);
  return {
    sampleRate: Number(stream.sample_rate),
    channels: stream.channels,
    durationSeconds: Number(stream.duration),
    filePackageUmid: umid(stream.tags?.file_package_umid),
    materialPackageUmid: umid(json.format.tags?.material_package_umid),
    timecode: json.format.tags?.timecode ?? null,
  };
}

export function md5(bytes: Uint8Array): string {
  return createHash("md5").update(bytes).digest("hex");
}

export async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}
