import { randomUUID } from "node:crypto";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Readable } from "node:stream";
import {
  assertMediaKey,
  type ByteRange,
  contentAddressedKey,
  DEFAULT_CONTENT_TYPE,
  type MediaHead,
  type MediaSource,
  type MediaStore,
  MediaValidationError,
  newIdKey,
  type PresignedUrl,
  type PresignOptions,
  type PresignPutOptions,
  type PutOptions,
  type PutPlan,
  type PutResult,
  presignExpirySeconds,
  readSource,
  resolveByteRange,
  SYSTEM_METADATA_PREFIX,
  throwIfAborted,
  UploadMeter,
  validateKeyPrefix,
  validatePutOptions,
} from "@dubstage/media-store";
import { Client, CopyDestinationOptions, CopySourceOptions } from "minio";
import { MultipartUpload } from "./multipart-upload.ts";
import { type ResolvedS3Config, resolveS3Config, S3_MAX_PARTS, type S3MediaStoreConfig } from "./s3-config.ts";
import { isMissingObject, toMediaError } from "./s3-errors.ts";

const SHA256_META = `${SYSTEM_METADATA_PREFIX}sha256`;
/** Headers minio's statObject mixes into `metaData` next to the user's x-amz-meta-* entries. */
const STANDARD_HEADERS = new Set([
  "cache-control",
  "content-encoding",
  "content-disposition",
  "content-language",
  "if-none-match",
  "if-match",
]);
/** Unfinished uploads whose content hash (and so key) is not known yet live under this prefix. */
export const STAGING_PREFIX = "staging/";

/**
 * MediaStore on S3 (MinIO in development and tests). Streams uploads in parts of `partSizeBytes`, holding
 * one part in memory. Where the object lands first depends on what is known before the bytes arrive:
 *
 * - hash known in advance (`expectedSha256`): a multipart upload straight to the final key, completed only
 *   after size and hash are verified; S3 shows nothing at a key until its multipart upload completes;
 * - object smaller than one part: buffered, hashed and verified, then one PUT to the final key;
 * - otherwise: a multipart upload to `staging/<uuid>`, verified, then server-side copied to the final key
 *   (with the sha256 in its metadata) and the staging object deleted.
 *
 * Any failure or abort aborts the multipart upload or deletes the staging object before rejecting.
 */
export class S3MediaStore implements MediaStore {
  readonly #client: Client;
  readonly #config: ResolvedS3Config;
  readonly #agent: HttpAgent;

  private constructor(client: Client, config: ResolvedS3Config, agent: HttpAgent) {
    this.#client = client;
    this.#config = config;
    this.#agent = agent;
  }

  /** Validates the config and checks the bucket is reachable (creating it when `createBucket` is set). */
  static async connect(config: S3MediaStoreConfig): Promise<S3MediaStore> {
    const resolved = resolveS3Config(config);
    // Our own keep-alive pool (not the process-wide global agent), so close() can release its sockets.
    const agent = resolved.useSSL
      ? new HttpsAgent({ keepAlive: true, maxSockets: 32 })
      : new HttpAgent({ keepAlive: true, maxSockets: 32 });
    const client = new Client({
      transportAgent: agent,
      endPoint: resolved.endPoint,
      port: resolved.port,
      useSSL: resolved.useSSL,
      accessKey: resolved.accessKey,
      secretKey: resolved.secretKey,
      region: resolved.region,
      pathStyle: true,
      partSize: Math.max(resolved.partSizeBytes, 64 * 1024 * 1024),
    });
    try {
      if (!(await client.bucketExists(resolved.bucket))) {
        if (!resolved.createBucket) throw new Error(`bucket ${resolved.bucket} does not exist (set createBucket to create it)`);
        const created = await client.makeBucket(resolved.bucket, resolved.region).then(
          () => true,
          (error: unknown) => {
            // Another process may have created it between the check and here.
            if ((error as { code?: string }).code !== "BucketAlreadyOwnedByYou") throw error;
            return false;
          },
        );
        // Staging objects orphaned by a crash between upload and publish expire on their own. Only set on
        // buckets we create: an existing bucket's lifecycle belongs to its operator.
        if (created) {
          await client.setBucketLifecycle(resolved.bucket, {
            Rule: [{ ID: "dubstage-staging-expiry", Status: "Enabled", Filter: { Prefix: STAGING_PREFIX }, Expiration: { Days: 1 } }],
          });
        }
      }
    } catch (error) {
      agent.destroy();
      throw toMediaError(error, `use bucket ${resolved.bucket} at ${config.endpoint}`);
    }
    return new S3MediaStore(client, resolved, agent);
  }

  /** Closes the connection pool. Streams already returned by get keep working until they end. */
  async close(): Promise<void> {
    this.#agent.destroy();
  }

  get bucket(): string {
    return this.#config.bucket;
  }

  /** The underlying client, for tests and tooling (listing, lifecycle rules). */
  get client(): Client {
    return this.#client;
  }

  async put(source: MediaSource, options: PutOptions): Promise<PutResult> {
    const plan = validatePutOptions(options);
    const idKey = plan.scheme.kind === "id" ? newIdKey(plan.scheme.prefix, plan.scheme.id) : undefined;
    const directKey = plan.expectedSha256 ? (idKey ?? contentAddressedKey(plan.expectedSha256)) : undefined;
    const stagingKey = `${STAGING_PREFIX}${randomUUID()}`;
    const meter = new UploadMeter(plan);
    let buffer = Buffer.allocUnsafe(this.#partSize(1));
    let filled = 0;
    let upload: MultipartUpload | undefined;
    let stagingWritten = false;
    try {
      for await (const chunk of readSource(source, plan.signal)) {
        meter.update(chunk);
        for (let offset = 0; offset < chunk.byteLength; ) {
          const take = Math.min(buffer.byteLength - filled, chunk.byteLength - offset);
          buffer.set(chunk.subarray(offset, offset + take), filled);
          filled += take;
          offset += take;
          if (filled < buffer.byteLength) continue;
          upload ??= await MultipartUpload.start(
            this.#client,
            this.bucket,
            directKey ?? stagingKey,
            this.#headers(plan, plan.expectedSha256),
          );
          await upload.uploadPart(buffer);
          filled = 0;
          if (upload.partCount >= S3_MAX_PARTS - 1) {
            throw new MediaValidationError("source", `the upload exceeds ${S3_MAX_PARTS} parts; raise partSizeBytes or pass expectedSize`);
          }
          const nextSize = this.#partSize(upload.partCount + 1);
          if (nextSize !== buffer.byteLength) buffer = Buffer.allocUnsafe(nextSize);
        }
      }
      const { size, sha256 } = meter.finish();
      throwIfAborted(plan.signal);
      const finalKey = idKey ?? contentAddressedKey(sha256);
      const headers = this.#headers(plan, sha256);
      const result = { key: finalKey, size, sha256, contentType: plan.contentType, deduplicated: false };
      const dedup = async (): Promise<PutResult | undefined> =>
        !idKey && (await this.exists(finalKey))
          ? { ...result, deduplicated: true, contentType: (await this.head(finalKey)).contentType }
          : undefined;

      if (!upload) {
        // Smaller than one part: everything is in memory and verified, so one PUT publishes it whole.
        const existing = await dedup();
        if (existing) return existing;
        await this.#client.putObject(this.bucket, finalKey, buffer.subarray(0, filled), filled, headers);
        return result;
      }
      if (filled > 0) await upload.uploadPart(buffer.subarray(0, filled));
      if (directKey) {
        const existing = await dedup();
        if (existing) return existing;
        await upload.complete();
        upload = undefined;
        return result;
      }
      await upload.complete();
      upload = undefined;
      stagingWritten = true;
      const existing = await dedup();
      if (existing) return existing;
      await this.#publishStaged(stagingKey, finalKey, size, headers);
      return result;
    } catch (error) {
      throw toMediaError(error, "store an upload");
    } finally {
      // The finally block runs for the dedup early returns too: an open upload is discarded there.
      await upload?.abort().catch(() => {});
      if (stagingWritten) await this.#client.removeObject(this.bucket, stagingKey).catch(() => {});
    }
  }

  async get(key: string): Promise<Readable> {
    assertMediaKey(key);
    try {
      return await this.#client.getObject(this.bucket, key);
    } catch (error) {
      throw toMediaError(error, `read ${key}`, key);
    }
  }

  async getRange(key: string, range: ByteRange): Promise<Readable> {
    const { size } = await this.head(key);
    const { start, end } = resolveByteRange(range, size);
    try {
      return await this.#client.getPartialObject(this.bucket, key, start, end - start + 1);
    } catch (error) {
      throw toMediaError(error, `read ${key} bytes ${start}-${end}`, key);
    }
  }

  async head(key: string): Promise<MediaHead> {
    assertMediaKey(key);
    try {
      const stat = await this.#client.statObject(this.bucket, key);
      const metadata: Record<string, string> = {};
      let sha256: string | undefined;
      let contentType = DEFAULT_CONTENT_TYPE;
      for (const [name, value] of Object.entries(stat.metaData as Record<string, unknown>)) {
        const lower = name.toLowerCase();
        if (lower === "content-type") contentType = String(value);
        else if (lower === SHA256_META) sha256 = String(value);
        else if (!lower.startsWith(SYSTEM_METADATA_PREFIX) && !lower.startsWith("x-amz-") && !STANDARD_HEADERS.has(lower)) {
          metadata[lower] = String(value);
        }
      }
      return { key, size: stat.size, contentType, sha256, metadata: Object.freeze(metadata), lastModified: stat.lastModified };
    } catch (error) {
      throw toMediaError(error, `inspect ${key}`, key);
    }
  }

  async exists(key: string): Promise<boolean> {
    assertMediaKey(key);
    try {
      await this.#client.statObject(this.bucket, key);
      return true;
    } catch (error) {
      if (isMissingObject(error)) return false;
      throw toMediaError(error, `inspect ${key}`);
    }
  }

  async delete(key: string): Promise<void> {
    assertMediaKey(key);
    try {
      await this.#client.removeObject(this.bucket, key);
    } catch (error) {
      if (!isMissingObject(error)) throw toMediaError(error, `delete ${key}`);
    }
  }

  async presignGet(key: string, options?: PresignOptions): Promise<PresignedUrl> {
    assertMediaKey(key);
    return this.#presign("GET", key, options);
  }

  async presignPut(options: PresignPutOptions): Promise<PresignedUrl> {
    validateKeyPrefix(options?.prefix);
    return this.#presign("PUT", newIdKey(options.prefix), options);
  }

  async #presign(method: "GET" | "PUT", key: string, options: PresignOptions | undefined): Promise<PresignedUrl> {
    const seconds = presignExpirySeconds(options);
    const signedAt = new Date();
    try {
      const url = await this.#client.presignedUrl(method, this.bucket, key, seconds, {}, signedAt);
      return { method, key, url, expiresAt: new Date(signedAt.getTime() + seconds * 1000) };
    } catch (error) {
      throw toMediaError(error, `presign ${method} ${key}`);
    }
  }

  /** Copies a verified staging object to its final key, replacing metadata; part by part past the single-copy limit. */
  async #publishStaged(stagingKey: string, finalKey: string, size: number, headers: Record<string, string>): Promise<void> {
    const { contentType, userMetadata } = splitHeaders(headers);
    if (size <= this.#config.maxSingleCopyBytes) {
      await this.#client.copyObject(
        new CopySourceOptions({ Bucket: this.bucket, Object: stagingKey }),
        new CopyDestinationOptions({
          Bucket: this.bucket,
          Object: finalKey,
          MetadataDirective: "REPLACE",
          UserMetadata: userMetadata,
          Headers: { "Content-Type": contentType },
        }),
      );
      return;
    }
    const copy = await MultipartUpload.start(this.#client, this.bucket, finalKey, headers);
    try {
      const partBytes = Math.max(
        this.#config.partSizeBytes,
        Math.ceil(size / (S3_MAX_PARTS - 1)),
        Math.min(this.#config.maxSingleCopyBytes, 1024 ** 3),
      );
      for (let start = 0; start < size; start += partBytes) {
        await copy.copyPart(this.bucket, stagingKey, start, Math.min(size, start + partBytes) - 1);
      }
      await copy.complete();
    } catch (error) {
      await copy.abort().catch(() => {});
      throw error;
    }
  }

  /** Part n's size: partSizeBytes, one step larger every 2,000 parts. */
  #partSize(partNumber: number): number {
    return this.#config.partSizeBytes * (1 + Math.floor((partNumber - 1) / 2000));
  }

  #headers(plan: PutPlan, sha256: string | undefined): Record<string, string> {
    const headers: Record<string, string> = { "Content-Type": plan.contentType };
    for (const [name, value] of Object.entries(plan.metadata)) headers[`x-amz-meta-${name}`] = value;
    if (sha256) headers[`x-amz-meta-${SHA256_META}`] = sha256;
    return headers;
  }
}

function splitHeaders(headers: Record<string, string>): { contentType: string; userMetadata: Record<string, string> } {
  const userMetadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith("x-amz-meta-")) userMetadata[name.slice("x-amz-meta-".length)] = value;
  }
  return { contentType: headers["Content-Type"] ?? DEFAULT_CONTENT_TYPE, userMetadata };
}
