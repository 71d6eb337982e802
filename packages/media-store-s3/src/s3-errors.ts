import { isDubstageError } from "@dubstage/event-log";
import { isSourceError, MediaNotFoundError, MediaStoreUnavailableError } from "@dubstage/media-store";

const MISSING_OBJECT_CODES = new Set(["NoSuchKey", "NotFound", "NoSuchObject"]);

export function s3ErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" ? code : undefined;
}

export function isMissingObject(error: unknown): boolean {
  return MISSING_OBJECT_CODES.has(s3ErrorCode(error) ?? "");
}

/**
 * Turns a minio client or network error into a media store error. Domain errors and the caller's own
 * source errors pass through; a missing
 * object becomes not-found when a key is given; everything else (refused connection, missing bucket,
 * access denied, 5xx) is the dependency being unavailable.
 */
export function toMediaError(error: unknown, action: string, key?: string): Error {
  if (isDubstageError(error) || isSourceError(error)) return error as Error;
  if (key !== undefined && isMissingObject(error)) return new MediaNotFoundError(key);
  const code = s3ErrorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  return new MediaStoreUnavailableError(`S3 media store could not ${action}${code ? ` (${code})` : ""}: ${detail}`, { cause: error });
}
