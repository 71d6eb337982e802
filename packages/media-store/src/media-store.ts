import type { Readable } from "node:stream";

/**
 * Bytes to store, of any size: a Node Readable (byte mode), an async or sync iterable of byte chunks, or
 * one Uint8Array for small in-memory content.
 */
export type MediaSource = Readable | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | Uint8Array;

/** How the store names a new object. The caller never chooses the key itself. */
export type MediaKeyScheme =
  /** `media/sha256/<ab>/<cd>/<sha256>`, computed while streaming; identical content lands on one key. */
  | { readonly kind: "content-addressed" }
  /**
   * `<prefix>/<uuid>`, e.g. `renders/...`; see MEDIA_KEY_PREFIXES for the owners. With `id` (a UUID, e.g.
   * `uuidFromName` of what the object is), the key is `<prefix>/<id>`, for objects whose content is a
   * function of their name (a render chunk named by the hash of its inputs): a put to a key that exists
   * replaces it, which then writes the same bytes again. Without `id`, a fresh random UUID.
   */
  | { readonly kind: "id"; readonly prefix: string; readonly id?: string };

export interface PutOptions {
  readonly scheme: MediaKeyScheme;
  /** A MIME type such as `audio/wav`. @default "application/octet-stream" */
  readonly contentType?: string;
  /** User metadata: keys `[a-z0-9][a-z0-9-]*` (not starting with `dubstage-`), printable ASCII values, 2 KiB in all. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** When given, the upload fails with MediaContentMismatchError unless the content hashes to this. */
  readonly expectedSha256?: string;
  /** When given, the upload fails (as soon as it is exceeded, or at the end) unless exactly this many bytes arrive. */
  readonly expectedSize?: number;
  /** Aborting before the object is published rejects with MediaUploadAbortedError and stores nothing. */
  readonly signal?: AbortSignal;
}

export interface PutResult {
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly contentType: string;
  /** True when a content-addressed object with this hash already existed; its metadata was kept (first writer wins). */
  readonly deduplicated: boolean;
}

export interface MediaHead {
  readonly key: string;
  readonly size: number;
  readonly contentType: string;
  /** Known for objects written through `put`; undefined for bytes that arrived through a presigned PUT. */
  readonly sha256: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
  readonly lastModified: Date;
}

/**
 * Bytes `start..end` inclusive (end omitted: to the last byte), or `length` bytes from `start`.
 * Offsets are integers; a range must lie inside the object.
 */
export type ByteRange = { readonly start: number; readonly end?: number } | { readonly start: number; readonly length: number };

export interface PresignOptions {
  /** Lifetime of the URL in whole seconds. @default 900 (15 minutes) @maximum 3600 */
  readonly expiresInSeconds?: number;
}

export interface PresignPutOptions extends PresignOptions {
  /** Prefix of the id-based key generated for the upload, e.g. "uploads". */
  readonly prefix: string;
}

export interface PresignedUrl {
  readonly method: "GET" | "PUT";
  readonly url: string;
  readonly key: string;
  readonly expiresAt: Date;
}

/**
 * Media object storage. Writes are all-or-nothing: `put` returns only after the object is complete and
 * verified at its final key, and a failed or aborted put leaves nothing at any final key.
 */
export interface MediaStore {
  /** Streams `source` into a new object without buffering it whole; resolves with the generated key. */
  put(source: MediaSource, options: PutOptions): Promise<PutResult>;
  /** Streams the whole object. Rejects with MediaNotFoundError before any byte when absent. */
  get(key: string): Promise<Readable>;
  /** Streams part of the object; InvalidByteRangeError when the range is malformed or outside it. */
  getRange(key: string, range: ByteRange): Promise<Readable>;
  head(key: string): Promise<MediaHead>;
  exists(key: string): Promise<boolean>;
  /** Idempotent: deleting an absent key succeeds. */
  delete(key: string): Promise<void>;
  /** A URL anyone holding it can GET until it expires. Does not check that the object exists. */
  presignGet(key: string, options?: PresignOptions): Promise<PresignedUrl>;
  /** A URL for one direct upload to a freshly generated `<prefix>/<uuid>` key (no sha256 recorded). */
  presignPut(options: PresignPutOptions): Promise<PresignedUrl>;
}
