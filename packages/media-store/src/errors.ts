import { DubstageError } from "@dubstage/event-log";

/** A bad argument: option, content type, metadata, source chunk or presign expiry. Nothing was stored. */
export class MediaValidationError extends DubstageError {
  override readonly name: string = "MediaValidationError";
  readonly kind = "validation" as const;
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** A key that does not follow the platform key grammar (see keys.ts). Keys are never taken from user paths. */
export class InvalidMediaKeyError extends MediaValidationError {
  override readonly name: string = "InvalidMediaKeyError";
  readonly key: string;
  constructor(key: string, reason: string) {
    super("key", `invalid media key ${JSON.stringify(key)}: ${reason}`);
    this.key = key;
  }
}

/** A byte range that is malformed or outside the object. */
export class InvalidByteRangeError extends MediaValidationError {
  override readonly name: string = "InvalidByteRangeError";
  constructor(reason: string) {
    super("range", `invalid byte range: ${reason}`);
  }
}

/** The uploaded bytes did not match `expectedSha256`/`expectedSize`. Nothing was published. */
export class MediaContentMismatchError extends MediaValidationError {
  override readonly name: string = "MediaContentMismatchError";
  readonly check: "sha256" | "size";
  readonly expected: string | number;
  readonly actual: string | number;
  constructor(check: "sha256" | "size", expected: string | number, actual: string | number) {
    super(
      check === "sha256" ? "expectedSha256" : "expectedSize",
      `uploaded content ${check} is ${actual}, expected ${expected}; nothing was stored`,
    );
    this.check = check;
    this.expected = expected;
    this.actual = actual;
  }
}

export class MediaNotFoundError extends DubstageError {
  override readonly name = "MediaNotFoundError";
  readonly kind = "not-found" as const;
  readonly key: string;
  constructor(key: string) {
    super(`media object ${key} does not exist`);
    this.key = key;
  }
}

/** The caller's AbortSignal fired before the upload was published. Nothing was stored. */
export class MediaUploadAbortedError extends DubstageError {
  override readonly name = "MediaUploadAbortedError";
  readonly kind = "cancelled" as const;
  constructor(options?: { cause?: unknown }) {
    super("media upload aborted by the caller; nothing was stored", options);
  }
}

/** The storage backend (disk, S3 endpoint, bucket) failed or could not be reached; the operation may be retried. */
export class MediaStoreUnavailableError extends DubstageError {
  override readonly name = "MediaStoreUnavailableError";
  readonly kind = "dependency-unavailable" as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A presigned token that is expired, tampered with, or used with the wrong method. */
export class PresignedUrlRejectedError extends DubstageError {
  override readonly name = "PresignedUrlRejectedError";
  readonly kind = "forbidden" as const;
}
