import { accessSync, constants, statSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, isAbsolute, join } from "node:path";
import { FfmpegNotFoundError } from "./errors.ts";

/** Where the binary came from: an explicit FFMPEG_PATH, the optional ffmpeg-static package, or PATH. */
export type FfmpegSource = "env" | "ffmpeg-static" | "path";

export interface ResolvedFfmpeg {
  readonly path: string;
  readonly source: FfmpegSource;
}

export interface ResolveFfmpegOptions {
  /** Environment to read FFMPEG_PATH and PATH from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /**
   * Where ffmpeg-static says its binary is (null when the package is absent or has no binary for this
   * platform). Injectable so tests can stand in for the package. @default the installed ffmpeg-static
   */
  readonly ffmpegStaticPath?: () => string | null;
}

/**
 * Finds ffmpeg: FFMPEG_PATH when set (and then only it: a wrong explicit path is an error, not a fallback),
 * else the ffmpeg-static binary when its install script actually downloaded one, else `ffmpeg` on PATH.
 * Checks that the file exists and is executable; it does not run it (see `ffmpegVersion`).
 * @throws FfmpegNotFoundError naming every place tried.
 */
export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): ResolvedFfmpeg {
  const env = options.env ?? process.env;
  const explicit = env.FFMPEG_PATH;
  if (explicit) {
    const problem = whyNotExecutable(explicit);
    if (problem) throw new FfmpegNotFoundError([`FFMPEG_PATH=${explicit} ${problem}`]);
    return { path: explicit, source: "env" };
  }
  const tried: string[] = [];
  const fromPackage = (options.ffmpegStaticPath ?? installedFfmpegStaticPath)();
  if (fromPackage === null) {
    tried.push("ffmpeg-static is not installed or has no binary for this platform");
  } else {
    const problem = whyNotExecutable(fromPackage);
    if (!problem) return { path: fromPackage, source: "ffmpeg-static" };
    tried.push(`ffmpeg-static binary ${fromPackage} ${problem}`);
  }
  const dirs = (env.PATH ?? "").split(delimiter).filter((d) => d !== "" && isAbsolute(d));
  for (const dir of dirs) {
    const candidate = join(dir, "ffmpeg");
    if (!whyNotExecutable(candidate)) return { path: candidate, source: "path" };
  }
  tried.push(dirs.length === 0 ? "PATH is empty" : `no executable ffmpeg in PATH (${dirs.join(delimiter)})`);
  throw new FfmpegNotFoundError(tried);
}

function installedFfmpegStaticPath(): string | null {
  const require = createRequire(import.meta.url);
  try {
    const exported: unknown = require("ffmpeg-static");
    return typeof exported === "string" ? exported : null;
  } catch {
    return null; // optional dependency not installed
  }
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
