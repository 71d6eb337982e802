import { ffmpegVersion, resolveFfmpeg } from "@dubstage/ffmpeg";
import { type CheckContext, type CheckResult, errorMessage } from "./check.ts";

export async function checkFfmpeg(context: CheckContext): Promise<CheckResult> {
  let resolved: ReturnType<typeof resolveFfmpeg>;
  try {
    resolved = resolveFfmpeg({ env: context.env });
  } catch (error) {
    return { name: "ffmpeg", status: "failed", summary: errorMessage(error), details: { path: null, source: null, version: null } };
  }
  try {
    const version = await ffmpegVersion(resolved.path, context.timeoutMs);
    return {
      name: "ffmpeg",
      status: "ok",
      summary: `${version} (${resolved.path}, from ${resolved.source})`,
      details: { path: resolved.path, source: resolved.source, version },
    };
  } catch (error) {
    return {
      name: "ffmpeg",
      status: "failed",
      summary: errorMessage(error),
      details: { path: resolved.path, source: resolved.source, version: null },
    };
  }
}
