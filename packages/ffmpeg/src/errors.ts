import { DubstageError } from "@dubstage/event-log";

/** No usable ffmpeg binary was found; `tried` lists every place looked at, in order, with why it failed. */
export class FfmpegNotFoundError extends DubstageError {
  override readonly name = "FfmpegNotFoundError";
  readonly kind = "dependency-unavailable" as const;
  readonly tried: readonly string[];
  constructor(tried: readonly string[]) {
    super(
      `no usable ffmpeg binary: ${tried.join("; ")}. Install Debian's ffmpeg package (apt-get install ffmpeg), ` +
        "or set FFMPEG_PATH to an ffmpeg executable",
    );
    this.tried = tried;
  }
}

/** ffmpeg was found but running it failed (crashed, not ffmpeg, printed no version line). */
export class FfmpegRunError extends DubstageError {
  override readonly name = "FfmpegRunError";
  readonly kind = "dependency-unavailable" as const;
  readonly path: string;
  constructor(path: string, message: string, options?: { cause?: unknown }) {
    super(`${path}: ${message}`, options);
    this.path = path;
  }
}
