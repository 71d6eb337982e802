import { resolve } from "node:path";
import type { MediaTools } from "./resolve-media-tools.ts";

/** Options every adapter function takes. */
export interface ToolRunOptions {
  /** The binaries to run. @default resolveMediaTools() from process.env */
  readonly tools?: MediaTools;
  /** Kill the tool after this long. Each function documents its default. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** Transcodes get a minute plus twice the media's duration: a 2-hour reel's proxy runs well inside that on 2 cores. */
export function transcodeTimeoutMs(durationMicroseconds: number | undefined): number {
  return 60_000 + 2 * Math.ceil((durationMicroseconds ?? 3_600_000_000) / 1000);
}

/**
 * Input arguments for a local file: an absolute path (so a name starting with "-" or "http:" is never read as
 * an option or a URL) and only the file protocol (so a playlist inside a hostile file cannot make ffmpeg
 * fetch from the network).
 */
export function localInput(path: string): string[] {
  return ["-protocol_whitelist", "file", "-i", resolve(path)];
}

/** Quiet, non-interactive ffmpeg that only prints errors on stderr, so the last stderr line is the reason. */
export const FFMPEG_PREAMBLE: readonly string[] = ["-hide_banner", "-nostdin", "-loglevel", "error", "-y"];

/** Reports machine-readable progress on stdout instead of the stats line on stderr. */
export const FFMPEG_PROGRESS: readonly string[] = ["-progress", "pipe:1", "-nostats"];

/** No encoder version strings or creation times in the output, so identical input gives identical bytes (deduplicated keys). */
export const FFMPEG_BITEXACT: readonly string[] = ["-map_metadata", "-1", "-fflags", "+bitexact", "-flags", "+bitexact"];
