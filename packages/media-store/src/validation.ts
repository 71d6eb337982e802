import { InvalidByteRangeError, MediaValidationError } from "./errors.ts";
import { isSha256Hex, newIdKey, validateKeyPrefix } from "./keys.ts";
import type { ByteRange, MediaKeyScheme, PresignOptions, PutOptions } from "./media-store.ts";

export const DEFAULT_CONTENT_TYPE = "application/octet-stream";
export const DEFAULT_PRESIGN_EXPIRY_SECONDS = 15 * 60;
export const MAX_PRESIGN_EXPIRY_SECONDS = 60 * 60;
/** Prefix of metadata keys the store writes for itself (e.g. the sha256); callers may not use it. */
export const SYSTEM_METADATA_PREFIX = "dubstage-";
const MAX_METADATA_BYTES = 2048;

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const CONTENT_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(\\s*;\\s*${TOKEN}=(${TOKEN}|"[^"\\\\\\r\\n]*"))*$`);
const METADATA_KEY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The put options after validation, with defaults applied. */
export interface PutPlan {
  readonly scheme: MediaKeyScheme;
  readonly contentType: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly expectedSha256: string | undefined;
  readonly expectedSize: number | undefined;
  readonly signal: AbortSignal | undefined;
}

export function validatePutOptions(options: PutOptions): PutPlan {
  if (options === null || typeof options !== "object")
    throw new MediaValidationError("options", "put options are required (at least a key scheme)");
  const scheme = options.scheme;
  if (scheme?.kind === "id") {
    validateKeyPrefix(scheme.prefix);
    if (scheme.id !== undefined) newIdKey(scheme.prefix, scheme.id);
  } else if (scheme?.kind !== "content-addressed") {
    throw new MediaValidationError(
      "scheme",
      `scheme must be {kind: "content-addressed"} or {kind: "id", prefix, id?}, got ${JSON.stringify(scheme)}`,
    );
  }
  const { expectedSha256, expectedSize } = options;
  if (expectedSha256 !== undefined && !isSha256Hex(expectedSha256)) {
    throw new MediaValidationError(
      "expectedSha256",
      `expectedSha256 must be 64 lowercase hex characters, got ${JSON.stringify(expectedSha256)}`,
    );
  }
  if (expectedSize !== undefined && !(Number.isSafeInteger(expectedSize) && expectedSize >= 0)) {
    throw new MediaValidationError("expectedSize", `expectedSize must be a non-negative integer, got ${expectedSize}`);
  }
  return {
    scheme,
    contentType: validateContentType(options.contentType ?? DEFAULT_CONTENT_TYPE),
    metadata: validateMetadata(options.metadata ?? {}),
    expectedSha256,
    expectedSize,
    signal: options.signal,
  };
}

export function validateContentType(contentType: string): string {
  if (typeof contentType !== "string" || contentType.length > 255 || !CONTENT_TYPE.test(contentType)) {
    throw new MediaValidationError("contentType", `content type ${JSON.stringify(contentType)} is not a MIME type such as "audio/wav"`);
  }
  return contentType;
}

/** Metadata must survive as S3 `x-amz-meta-*` headers unchanged: lowercase keys, printable ASCII, 2 KiB. */
export function validateMetadata(metadata: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new MediaValidationError("metadata", "metadata must be an object of string values");
  }
  let bytes = 0;
  const copy: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (!METADATA_KEY.test(key))
      throw new MediaValidationError("metadata", `metadata key ${JSON.stringify(key)} must match ${METADATA_KEY.source}`);
    if (key.startsWith(SYSTEM_METADATA_PREFIX))
      throw new MediaValidationError("metadata", `metadata key "${key}" uses the reserved prefix "${SYSTEM_METADATA_PREFIX}"`);
    if (typeof value !== "string" || !PRINTABLE_ASCII.test(value) || value.trim() !== value) {
      throw new MediaValidationError("metadata", `metadata value for "${key}" must be printable ASCII without surrounding spaces`);
    }
    bytes += key.length + value.length;
    copy[key] = value;
  }
  if (bytes > MAX_METADATA_BYTES)
    throw new MediaValidationError("metadata", `metadata is ${bytes} bytes; at most ${MAX_METADATA_BYTES} are allowed`);
  return Object.freeze(copy);
}

export function presignExpirySeconds(options: PresignOptions | undefined): number {
  const seconds = options?.expiresInSeconds ?? DEFAULT_PRESIGN_EXPIRY_SECONDS;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_EXPIRY_SECONDS) {
    throw new MediaValidationError(
      "expiresInSeconds",
      `expiresInSeconds must be a whole number from 1 to ${MAX_PRESIGN_EXPIRY_SECONDS}, got ${seconds}`,
    );
  }
  return seconds;
}

/** Resolves a range against the object size into inclusive offsets, or explains why it is invalid. */
export function resolveByteRange(range: ByteRange, size: number): { readonly start: number; readonly end: number } {
  if (range === null || typeof range !== "object") throw new InvalidByteRangeError("expected {start, end?} or {start, length}");
  const { start } = range;
  if (!Number.isSafeInteger(start) || start < 0) throw new InvalidByteRangeError(`start must be a non-negative integer, got ${start}`);
  let end: number;
  if ("length" in range && range.length !== undefined) {
    if ("end" in range && (range as { end?: number }).end !== undefined)
      throw new InvalidByteRangeError("give either end or length, not both");
    if (!Number.isSafeInteger(range.length) || range.length < 1)
      throw new InvalidByteRangeError(`length must be a positive integer, got ${range.length}`);
    end = start + range.length - 1;
  } else if ("end" in range && range.end !== undefined) {
    if (!Number.isSafeInteger(range.end)) throw new InvalidByteRangeError(`end must be an integer, got ${range.end}`);
    if (range.end < start) throw new InvalidByteRangeError(`end ${range.end} is before start ${start}`);
    end = range.end;
  } else {
    end = size - 1;
  }
  if (start >= size) throw new InvalidByteRangeError(`start ${start} is past the end of the ${size}-byte object`);
  if (end >= size) throw new InvalidByteRangeError(`end ${end} is past the last byte (${size - 1}) of the ${size}-byte object`);
  return { start, end };
}
