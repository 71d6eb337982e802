export { type ResolvedS3Config, resolveS3Config, type S3MediaStoreConfig } from "./s3-config.ts";
export { S3MediaStore, STAGING_PREFIX } from "./s3-media-store.ts";
