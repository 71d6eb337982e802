export {
  InvalidByteRangeError,
  InvalidMediaKeyError,
  MediaContentMismatchError,
  MediaNotFoundError,
  MediaStoreUnavailableError,
  MediaUploadAbortedError,
  MediaValidationError,
  PresignedUrlRejectedError,
} from "./errors.ts";
export { FsMediaStore, type FsMediaStoreConfig } from "./fs/fs-media-store.ts";
export { type PresignedToken, type PresignMethod, verifyPresignedToken } from "./fs/presign-token.ts";
export { createPresignedRequestHandler, type PresignedHandlerOptions } from "./fs/presigned-handler.ts";
export {
  assertMediaKey,
  contentAddressedKey,
  isSha256Hex,
  MEDIA_KEY_PREFIXES,
  newIdKey,
  type ParsedMediaKey,
  parseMediaKey,
  RESERVED_KEY_PREFIXES,
  uuidFromName,
  validateKeyPrefix,
} from "./keys.ts";
export type {
  ByteRange,
  MediaHead,
  MediaKeyScheme,
  MediaSource,
  MediaStore,
  PresignedUrl,
  PresignOptions,
  PresignPutOptions,
  PutOptions,
  PutResult,
} from "./media-store.ts";
export { isSourceError, readSource, throwIfAborted } from "./source-reader.ts";
export { UploadMeter } from "./upload-meter.ts";
export {
  DEFAULT_CONTENT_TYPE,
  DEFAULT_PRESIGN_EXPIRY_SECONDS,
  MAX_PRESIGN_EXPIRY_SECONDS,
  type PutPlan,
  presignExpirySeconds,
  resolveByteRange,
  SYSTEM_METADATA_PREFIX,
  validateContentType,
  validateMetadata,
  validatePutOptions,
} from "./validation.ts";
