import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { FfmpegRunError } from "./errors.ts";

const run = promisify(execFile);

/**
 * Runs `<path> -version` and returns the version token of its first line ("ffmpeg version 5.1.6-0+deb12u1
 * Copyright ..." gives "5.1.6-0+deb12u1"). Proves the binary runs, not only that it exists.
 */
export async function ffmpegVersion(path: string, timeoutMs = 10_000): Promise<string> {
  let stdout: string;
  try {
    ({ stdout } = await run(path, ["-hide_banner", "-version"], { timeout: timeoutMs, encoding: "utf8" }));
  } catch (error) {
    throw new FfmpegRunError(path, `"-version" failed: ${(error as Error).message}`, { cause: error });
  }
  const match = /^ffmpeg version (\S+)/.exec(stdout);
  if (!match?.[1])
    throw new FfmpegRunError(path, `"-version" printed no "ffmpeg version" line (got ${JSON.stringify(stdout.slice(0, 80))})`);
  return match[1];
}
