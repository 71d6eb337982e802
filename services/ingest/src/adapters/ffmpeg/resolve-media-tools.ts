import { accessSync, constants, statSync } from "node:fs";
import { delimiter, dirname, isAbsolute, join } from "node:path";
import { resolveFfmpeg } from "@dubstage/ffmpeg";
import { MediaToolNotFoundError } from "./errors.ts";

/** Absolute paths of the two binaries the adapters run. */
export interface MediaTools {
  readonly ffmpeg: string;
  readonly ffprobe: string;
}

export interface ResolveMediaToolsOptions {
  /** Environment to read FFMPEG_PATH, FFPROBE_PATH and PATH from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Passed to resolveFfmpeg: where ffmpeg-static says its binary is (tests stand in for the package). */
  readonly ffmpegStaticPath?: () => string | null;
}

/**
 * ffmpeg as `@dubstage/ffmpeg` finds it, and ffprobe: FFPROBE_PATH when set (and then only it), else the
 * `ffprobe` next to that ffmpeg (Debian and the static builds ship them side by side, so the two match in
 * version), else `ffprobe` on PATH (ffmpeg-static ships no ffprobe).
 * @throws FfmpegNotFoundError (from @dubstage/ffmpeg) or MediaToolNotFoundError, both kind dependency-unavailable.
 */
export function resolveMediaTools(options: ResolveMediaToolsOptions = {}): MediaTools {
  const env = options.env ?? process.env;
  const ffmpeg = resolveFfmpeg({ env, ...(options.ffmpegStaticPath ? { ffmpegStaticPath: options.ffmpegStaticPath } : {}) }).path;
  return { ffmpeg, ffprobe: resolveFfprobe(ffmpeg, env) };
}

export function resolveFfprobe(ffmpegPath: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const explicit = env.FFPROBE_PATH;
  if (explicit) {
    const problem = whyNotExecutable(explicit);
    if (problem) throw new MediaToolNotFoundError("ffprobe", [`FFPROBE_PATH=${explicit} ${problem}`]);
    return explicit;
  }
  const tried: string[] = [];
  const sibling = join(dirname(ffmpegPath), "ffprobe");
  const siblingProblem = whyNotExecutable(sibling);
  if (!siblingProblem) return sibling;
  tried.push(`${sibling} (next to ffmpeg) ${siblingProblem}`);
  const dirs = (env.PATH ?? "").split(delimiter).filter((d) => d !== "" && isAbsolute(d));
  for (const dir of dirs) {
    const candidate = join(dir, "ffprobe");
    if (!whyNotExecutable(candidate)) return candidate;
  }
  tried.push(dirs.length === 0 ? "PATH is empty" : `no executable ffprobe in PATH (${dirs.join(delimiter)})`);
  throw new MediaToolNotFoundError("ffprobe", tried);
}

function whyNotExecutable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return "is not a file";
    accessSync(path, constants.X_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "does not exist" : code === "EACCES" ? "is not executable" : `cannot be used (${code ?? String(error)})`;
  }
}

/** The tools given, else those resolved from process.env now (a few stat calls; no process is started). */
export function mediaTools(tools: MediaTools | undefined): MediaTools {
  return tools ?? resolveMediaTools();
}
