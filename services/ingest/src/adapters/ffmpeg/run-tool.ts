import { spawn } from "node:child_process";
import {
  MediaFileError,
  type MediaTool,
  MediaToolAbortedError,
  MediaToolCrashedError,
  MediaToolNotFoundError,
  MediaToolOutputTooLargeError,
  MediaToolTimeoutError,
} from "./errors.ts";

/** Enough stderr to hold ffmpeg's closing error lines; older output is dropped so a chatty run cannot grow memory. */
const STDERR_TAIL_BYTES = 16 * 1024;

export interface RunToolOptions {
  readonly tool: MediaTool;
  /** The binary to run (absolute path). */
  readonly path: string;
  readonly args: readonly string[];
  /** The input file, for error messages. */
  readonly input: string;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Collect stdout up to this many bytes (MediaToolOutputTooLargeError beyond). @default 0: stdout is ignored */
  readonly maxStdoutBytes?: number;
  /** Called with each stdout line instead of collecting it (ffmpeg `-progress pipe:1`). */
  readonly onStdoutLine?: (line: string) => void;
}

export interface RunToolResult {
  readonly stdout: string;
  readonly stderrTail: string;
}

/**
 * Runs ffmpeg or ffprobe with spawn (no shell: arguments are never re-parsed), stdin closed, a bounded stderr
 * tail, a timeout and an abort signal. A non-zero exit is a MediaFileError quoting the last stderr line.
 */
export function runTool(options: RunToolOptions): Promise<RunToolResult> {
  const { tool, input } = options;
  const maxStdout = options.maxStdoutBytes ?? 0;
  return new Promise<RunToolResult>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new MediaToolAbortedError(tool, input));
      return;
    }
    const child = spawn(options.path, options.args, { stdio: ["ignore", "pipe", "pipe"], shell: false });
    let stderr = "";
    const stdoutChunks: Buffer[] = [];
    let stdoutBytes = 0;
    let pendingLine = "";
    let failure: Error | undefined;
    const stop = (error: Error) => {
      failure ??= error;
      child.kill("SIGKILL");
    };

    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
      if (stderr.length > 2 * STDERR_TAIL_BYTES) stderr = stderr.slice(-STDERR_TAIL_BYTES);
    });
    child.stdout.on("data", (chunk: Buffer) => {
      if (options.onStdoutLine) {
        const lines = (pendingLine + chunk.toString("utf8")).split("\n");
        pendingLine = lines.pop() ?? "";
        if (pendingLine.length > 4096) pendingLine = ""; // progress lines are short; never let one grow unbounded
        try {
          for (const line of lines) options.onStdoutLine(line);
        } catch (error) {
          // A throwing progress callback must not become an uncaught exception in a stream handler.
          stop(error instanceof Error ? error : new Error(String(error)));
        }
        return;
      }
      if (maxStdout === 0) return;
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) stop(new MediaToolOutputTooLargeError(tool, input, maxStdout));
      else stdoutChunks.push(chunk);
    });

    const timer = setTimeout(() => stop(new MediaToolTimeoutError(tool, input, options.timeoutMs, lastLine(stderr))), options.timeoutMs);
    const onAbort = () => stop(new MediaToolAbortedError(tool, input));
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const cleanUp = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    };

    child.on("error", (error: NodeJS.ErrnoException) => {
      cleanUp();
      // Spawn itself failed: the binary vanished or is not executable since it was resolved.
      reject(new MediaToolNotFoundError(tool, [`${options.path}: ${error.code ?? error.message}`], { cause: error }));
    });
    child.on("close", (code, signal) => {
      cleanUp();
      if (pendingLine && options.onStdoutLine && !failure) {
        try {
          options.onStdoutLine(pendingLine);
        } catch (error) {
          failure = error instanceof Error ? error : new Error(String(error));
        }
      }
      const last = lastLine(stderr);
      if (failure) reject(failure);
      else if (signal) reject(new MediaToolCrashedError(tool, input, signal, last));
      else if (code !== 0) {
        reject(
          new MediaFileError(input, `${tool} failed (exit ${code})${last ? `: ${last}` : " without saying why"}`, {
            tool,
            ...(code === null ? {} : { exitCode: code }),
            ...(last ? { lastStderrLine: last } : {}),
          }),
        );
      } else resolve({ stdout: Buffer.concat(stdoutChunks).toString("utf8"), stderrTail: stderr.slice(-STDERR_TAIL_BYTES) });
    });
  });
}

/** The last non-empty stderr line, trimmed and capped, for messages. */
export function lastLine(stderr: string): string | undefined {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const line = lines.at(-1);
  return line === undefined ? undefined : line.length > 500 ? `${line.slice(0, 497)}...` : line;
}
