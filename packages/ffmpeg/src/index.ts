export { FfmpegNotFoundError, FfmpegRunError } from "./errors.ts";
export { ffmpegVersion } from "./ffmpeg-version.ts";
export { type FfmpegSource, type ResolvedFfmpeg, type ResolveFfmpegOptions, resolveFfmpeg } from "./resolve-ffmpeg.ts";
