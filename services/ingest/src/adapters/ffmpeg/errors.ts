import { DubstageError } from "@dubstage/event-log";

export type MediaTool = "ffmpeg" | "ffprobe";

/** No usable ffprobe (or ffmpeg) binary; `tried` lists every place looked at and why it failed. */
export class MediaToolNotFoundError extends DubstageError {
  override readonly name = "MediaToolNotFoundError";
  readonly kind = "dependency-unavailable" as const;
  readonly tool: MediaTool;
  readonly tried: readonly string[];
  constructor(tool: MediaTool, tried: readonly string[], options?: { cause?: unknown }) {
    super(
      `no usable ${tool} binary: ${tried.join("; ")}. Install Debian's ffmpeg package (it ships ffprobe too), ` +
        `or set ${tool === "ffmpeg" ? "FFMPEG_PATH" : "FFPROBE_PATH"}`,
      options,
    );
    this.tool = tool;
    this.tried = tried;
  }
}

/**
 * ffmpeg or ffprobe refused the input: not a media file, truncated, an unknown codec, no such stream. The
 * message quotes the tool's last stderr line, which is where it says why.
 */
export class MediaFileError extends DubstageError {
  override readonly name = "MediaFileError";
  readonly kind = "validation" as const;
  readonly tool: MediaTool | undefined;
  /** The input file the tool was run on. */
  readonly input: string;
  readonly exitCode: number | undefined;
  readonly lastStderrLine: string | undefined;
  constructor(
    input: string,
    problem: string,
    details: { tool?: MediaTool; exitCode?: number; lastStderrLine?: string; cause?: unknown } = {},
  ) {
    super(`${input}: ${problem}`, details.cause === undefined ? undefined : { cause: details.cause });
    this.tool = details.tool;
    this.input = input;
    this.exitCode = details.exitCode;
    this.lastStderrLine = details.lastStderrLine;
  }
}

/** The tool died from a signal we did not send (out of memory, a crash): not the input's fault, retryable. */
export class MediaToolCrashedError extends DubstageError {
  override readonly name = "MediaToolCrashedError";
  readonly kind = "dependency-unavailable" as const;
  readonly tool: MediaTool;
  readonly input: string;
  readonly signal: string;
  constructor(tool: MediaTool, input: string, signal: string, lastStderrLine: string | undefined) {
    super(`${tool} on ${input} was killed by ${signal}${lastStderrLine ? `; last stderr line: ${lastStderrLine}` : ""}`);
    this.tool = tool;
    this.input = input;
    this.signal = signal;
  }
}

/** The tool ran longer than its timeout and was killed. */
export class MediaToolTimeoutError extends DubstageError {
  override readonly name = "MediaToolTimeoutError";
  readonly kind = "deadline" as const;
  readonly tool: MediaTool;
  readonly input: string;
  readonly timeoutMs: number;
  constructor(tool: MediaTool, input: string, timeoutMs: number, lastStderrLine: string | undefined) {
    super(
      `${tool} on ${input} took longer than ${timeoutMs} ms and was stopped${lastStderrLine ? `; last stderr line: ${lastStderrLine}` : ""}`,
    );
    this.tool = tool;
    this.input = input;
    this.timeoutMs = timeoutMs;
  }
}

/** The caller's AbortSignal fired; the tool was killed and its output is incomplete. */
export class MediaToolAbortedError extends DubstageError {
  override readonly name = "MediaToolAbortedError";
  readonly kind = "cancelled" as const;
  readonly tool: MediaTool;
  readonly input: string;
  constructor(tool: MediaTool, input: string) {
    super(`${tool} on ${input} was cancelled`);
    this.tool = tool;
    this.input = input;
  }
}

/** ffprobe printed more than we accept to hold in memory (a hostile file with millions of streams or tags). */
export class MediaToolOutputTooLargeError extends DubstageError {
  override readonly name = "MediaToolOutputTooLargeError";
  readonly kind = "resource-exhausted" as const;
  readonly tool: MediaTool;
  readonly input: string;
  readonly limitBytes: number;
  constructor(tool: MediaTool, input: string, limitBytes: number) {
    super(`${tool} on ${input} printed more than ${limitBytes} bytes; refusing to parse it`);
    this.tool = tool;
    this.input = input;
    this.limitBytes = limitBytes;
  }
}
