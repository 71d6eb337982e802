import { randomUUID } from "node:crypto";
import { type FileHandle, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { MediaNotFoundError, MediaStoreUnavailableError, MediaValidationError } from "../errors.ts";
import { assertMediaKey, contentAddressedKey, newIdKey, validateKeyPrefix } from "../keys.ts";
import type {
  ByteRange,
  MediaHead,
  MediaSource,
  MediaStore,
  PresignedUrl,
  PresignOptions,
  PresignPutOptions,
  PutOptions,
  PutResult,
} from "../media-store.ts";
import { readSource, throwIfAborted } from "../source-reader.ts";
import { UploadMeter } from "../upload-meter.ts";
import { DEFAULT_CONTENT_TYPE, type PutPlan, presignExpirySeconds, resolveByteRange, validatePutOptions } from "../validation.ts";
import { buildPresignedUrl, checkPresignSecret } from "./presign-token.ts";

export interface FsMediaStoreConfig {
  /** Directory holding `objects/`, `meta/` and `staging/`; created when missing. */
  readonly root: string;
  /** Enables presigned URLs served by createPresignedRequestHandler; see presign-token.ts. */
  readonly presign?: {
    /** HMAC key, at least 32 bytes; the HTTP handler must be given the same one. */
    readonly secret: string | Uint8Array;
    /** Where the handler is reachable, e.g. "http://127.0.0.1:8080/media". */
    readonly baseUrl: string;
  };
}

/** Sidecar written next to each object: what S3 keeps as headers and x-amz-meta-*. */
interface SidecarV1 {
  readonly version: 1;
  readonly size: number;
  readonly sha256: string | undefined;
  readonly contentType: string;
  readonly metadata: Record<string, string>;
}

/**
 * The embedded default backend: one directory tree. Uploads stream into `staging/` (same filesystem),
 * are fsynced and verified, then renamed into `objects/<key>`; the rename is atomic, so a reader sees
 * either no object or the complete one. The metadata sidecar (`meta/<key>.json`) is renamed into place
 * first, so every visible object has its metadata.
 */
export class FsMediaStore implements MediaStore {
  readonly #root: string;
  readonly #presign: { readonly secret: Uint8Array; readonly baseUrl: string } | undefined;

  constructor(config: FsMediaStoreConfig) {
    if (typeof config?.root !== "string" || config.root.length === 0)
      throw new MediaValidationError("root", "the filesystem media store needs a root directory");
    this.#root = resolve(config.root);
    if (config.presign) {
      const baseUrl = config.presign.baseUrl;
      if (!URL.canParse(baseUrl))
        throw new MediaValidationError("presign.baseUrl", `presign.baseUrl ${JSON.stringify(baseUrl)} is not an absolute URL`);
      this.#presign = { secret: checkPresignSecret(config.presign.secret), baseUrl };
    }
  }

  get root(): string {
    return this.#root;
  }

  async put(source: MediaSource, options: PutOptions): Promise<PutResult> {
    const plan = validatePutOptions(options);
    return this.#write(source, plan, plan.scheme.kind === "id" ? newIdKey(plan.scheme.prefix, plan.scheme.id) : undefined, true);
  }

  /**
   * Writes an upload that arrived through a presigned PUT URL to its (already generated) key. Overwrites,
   * like S3, and records no sha256: the bytes are unverified until ingest reads them.
   */
  async putPresigned(key: string, source: MediaSource, options: { contentType?: string; signal?: AbortSignal } = {}): Promise<PutResult> {
    assertMediaKey(key);
    const plan = validatePutOptions({ scheme: { kind: "content-addressed" }, contentType: options.contentType, signal: options.signal });
    return this.#write(source, plan, key, false);
  }

  async #write(source: MediaSource, plan: PutPlan, fixedKey: string | undefined, recordSha256: boolean): Promise<PutResult> {
    const stagingDir = join(this.#root, "staging");
    await this.#io("prepare the staging directory", () => mkdir(stagingDir, { recursive: true }));
    const tempData = join(stagingDir, `${randomUUID()}.data`);
    const tempMeta = `${tempData}.json`;
    let handle: FileHandle | undefined;
    try {
      handle = await this.#io("create a staging file", () => open(tempData, "wx"));
      const meter = new UploadMeter(plan);
      for await (const chunk of readSource(source, plan.signal)) {
        meter.update(chunk);
        await writeFully(handle, chunk);
      }
      const { size, sha256 } = meter.finish();
      const file = handle;
      await this.#io("flush the staging file", () => file.sync());
      await file.close();
      handle = undefined;
      throwIfAborted(plan.signal);

      const key = fixedKey ?? contentAddressedKey(sha256);
      const dataPath = this.#dataPath(key);
      if (!fixedKey && (await pathExists(dataPath))) {
        return { key, size, sha256, contentType: (await this.head(key)).contentType, deduplicated: true };
      }
      const sidecar: SidecarV1 = {
        version: 1,
        size,
        sha256: recordSha256 ? sha256 : undefined,
        contentType: plan.contentType,
        metadata: { ...plan.metadata },
      };
      await this.#io("publish the object", async () => {
        await writeDurably(tempMeta, JSON.stringify(sidecar));
        await mkdir(dirname(dataPath), { recursive: true });
        await mkdir(dirname(this.#metaPath(key)), { recursive: true });
        await rename(tempMeta, this.#metaPath(key));
        await rename(tempData, dataPath);
        await syncDirectory(dirname(dataPath));
      });
      return { key, size, sha256, contentType: plan.contentType, deduplicated: false };
    } finally {
      await handle?.close().catch(() => {});
      await rm(tempData, { force: true });
      await rm(tempMeta, { force: true });
    }
  }

  async get(key: string): Promise<Readable> {
    const handle = await this.#openObject(key);
    return handle.createReadStream();
  }

  async getRange(key: string, range: ByteRange): Promise<Readable> {
    const handle = await this.#openObject(key);
    try {
      const { size } = await handle.stat();
      const { start, end } = resolveByteRange(range, size);
      return handle.createReadStream({ start, end });
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async head(key: string): Promise<MediaHead> {
    assertMediaKey(key);
    const info = await stat(this.#dataPath(key)).catch((error: unknown) => {
      throw isMissing(error)
        ? new MediaNotFoundError(key)
        : new MediaStoreUnavailableError(`cannot stat media object ${key}`, { cause: error });
    });
    const sidecar = await this.#readSidecar(key);
    return {
      key,
      size: info.size,
      contentType: sidecar?.contentType ?? DEFAULT_CONTENT_TYPE,
      sha256: sidecar?.sha256,
      metadata: Object.freeze({ ...(sidecar?.metadata ?? {}) }),
      lastModified: info.mtime,
    };
  }

  async exists(key: string): Promise<boolean> {
    assertMediaKey(key);
    return pathExists(this.#dataPath(key));
  }

  async delete(key: string): Promise<void> {
    assertMediaKey(key);
    // Data first: an object without data is absent, a leftover sidecar is harmless.
    await this.#io(`delete media object ${key}`, async () => {
      await rm(this.#dataPath(key), { force: true });
      await rm(this.#metaPath(key), { force: true });
    });
  }

  async presignGet(key: string, options?: PresignOptions): Promise<PresignedUrl> {
    assertMediaKey(key);
    return this.#presignUrl("GET", key, options);
  }

  async presignPut(options: PresignPutOptions): Promise<PresignedUrl> {
    validateKeyPrefix(options?.prefix);
    return this.#presignUrl("PUT", newIdKey(options.prefix), options);
  }

  #presignUrl(method: "GET" | "PUT", key: string, options: PresignOptions | undefined): PresignedUrl {
    const seconds = presignExpirySeconds(options);
    if (!this.#presign)
      throw new MediaValidationError("presign", "this filesystem media store was created without presign {secret, baseUrl}");
    const expiresAt = new Date((Math.floor(Date.now() / 1000) + seconds) * 1000);
    return { method, key, expiresAt, url: buildPresignedUrl(this.#presign.baseUrl, this.#presign.secret, method, key, expiresAt) };
  }

  async #openObject(key: string): Promise<FileHandle> {
    assertMediaKey(key);
    return open(this.#dataPath(key), "r").catch((error: unknown) => {
      throw isMissing(error)
        ? new MediaNotFoundError(key)
        : new MediaStoreUnavailableError(`cannot open media object ${key}`, { cause: error });
    });
  }

  async #readSidecar(key: string): Promise<SidecarV1 | undefined> {
    try {
      return JSON.parse(await readFile(this.#metaPath(key), "utf8")) as SidecarV1;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw new MediaStoreUnavailableError(`cannot read metadata of media object ${key}`, { cause: error });
    }
  }

  // Keys passed assertMediaKey (lowercase letters, digits, dashes and slashes only), so they are safe paths.
  #dataPath(key: string): string {
    return join(this.#root, "objects", key);
  }

  #metaPath(key: string): string {
    return join(this.#root, "meta", `${key}.json`);
  }

  async #io<T>(what: string, action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      throw new MediaStoreUnavailableError(`filesystem media store could not ${what}: ${(error as Error).message}`, { cause: error });
    }
  }
}

async function writeFully(handle: FileHandle, chunk: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, "wx");
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync the directory so the rename itself survives a crash. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissing(error)) return false;
    throw new MediaStoreUnavailableError(`cannot stat ${path}`, { cause: error });
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
