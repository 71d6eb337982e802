// The bench's input media: one mono 48 kHz 24-bit WAV per track, written once by ffmpeg into
// .cache/bench-render and reused while its size matches.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";

export const SAMPLE_RATE = 48_000;

/** ffmpeg with -bitexact writes a 68-byte header before the samples of a mono 24-bit file (extensible fmt). */
const HEADER_BYTES = 68;

export function mediaPath(dir: string, minutes: number, track: number): string {
  return join(dir, `track-${minutes}min-${String(track).padStart(3, "0")}.wav`);
}

/** What a generated file weighs: used to skip files already there. */
export function expectedMediaBytes(minutes: number): number {
  return HEADER_BYTES + minutes * 60 * SAMPLE_RATE * 3;
}

/**
 * The source of track t: pink or brown noise with its own seed (odd tracks add a sine at their own
 * frequency), about -18 dBFS, so no two tracks carry the same samples.
 */
function source(t: number, seconds: number): string {
  const colour = t % 3 === 2 ? "brown" : "pink";
  const noise = `anoisesrc=d=${seconds}:c=${colour}:r=${SAMPLE_RATE}:a=0.25:s=${1000 + t}`;
  if (t % 2 === 0) return `${noise},volume=-6dB`;
  return `${noise},volume=-8dB[n];sine=f=${110 + 37 * t}:r=${SAMPLE_RATE}:d=${seconds},volume=-24dB[s];[n][s]amix=inputs=2:normalize=0`;
}

/** Writes every missing (or wrongly sized) track file; returns the paths in track order. */
export function ensureMedia(dir: string, tracks: number, minutes: number, log: (m: string) => void): string[] {
  mkdirSync(dir, { recursive: true });
  const bytes = expectedMediaBytes(minutes);
  const paths: string[] = [];
  for (let t = 0; t < tracks; t++) {
    const path = mediaPath(dir, minutes, t);
    paths.push(path);
    if (existsSync(path) && statSync(path).size === bytes) continue;
    log(`writing ${path}`);
    const made = spawnSync(
      "ffmpeg",
      ["-v", "error", "-y", "-filter_complex", source(t, minutes * 60), "-ac", "1", "-c:a", "pcm_s24le", "-bitexact", path],
      { stdio: "inherit" },
    );
    if (made.status !== 0) throw new Error(`ffmpeg failed writing ${path}`);
    const size = statSync(path).size;
    if (size !== bytes) throw new Error(`${path} is ${size} bytes, expected ${bytes} (header layout changed?)`);
  }
  return paths;
}
