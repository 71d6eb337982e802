import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ProbeOutputError, parseProbeOutput, type VideoProbe } from "../../domain/video/index.ts";
import { MediaFileError } from "./errors.ts";
import { mediaTools } from "./resolve-media-tools.ts";
import { runTool } from "./run-tool.ts";
import type { ToolRunOptions } from "./tool-options.ts";

/** ffprobe's JSON for a real file is a few KB per stream; 8 MiB is far beyond any turnover. */
const MAX_PROBE_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * Runs `ffprobe -print_format json -show_format -show_streams` on a local file and parses the result.
 * @default timeoutMs 30000
 * @throws MediaFileError (validation) when the path is not a file or ffprobe cannot read it as media (quoting
 *   ffprobe's last stderr line), MediaToolNotFoundError when there is no ffprobe, MediaToolTimeoutError.
 */
export async function probeVideo(path: string, options: ToolRunOptions = {}): Promise<VideoProbe> {
  await assertRegularFile(path);
  const tools = mediaTools(options.tools);
  const { stdout } = await runTool({
    tool: "ffprobe",
    path: tools.ffprobe,
    args: [
      "-hide_banner",
      "-v",
      "error",
      "-print_format",
      "json",
      "-show_format",
      "-show_streams",
      "-protocol_whitelist",
      "file",
      resolve(path),
    ],
    input: path,
    timeoutMs: options.timeoutMs ?? 30_000,
    signal: options.signal,
    maxStdoutBytes: MAX_PROBE_OUTPUT_BYTES,
  });
  try {
    return parseProbeOutput(stdout);
  } catch (error) {
    if (error instanceof ProbeOutputError) throw new MediaFileError(path, error.message, { tool: "ffprobe", cause: error });
    throw error;
  }
}

export async function assertRegularFile(path: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(path)).isFile();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MediaFileError(path, code === "ENOENT" ? "no such file" : `cannot be read (${code ?? String(error)})`, { cause: error });
  }
  if (!isFile) throw new MediaFileError(path, "is not a regular file");
}
