import { Readable } from "node:stream";
import { isErrorKind } from "@dubstage/event-log";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaContentMismatchError, MediaUploadAbortedError } from "../errors.ts";
import { contentAddressedKey, parseMediaKey, uuidFromName } from "../keys.ts";
import type { MediaStore } from "../media-store.ts";
import { DEFAULT_PRESIGN_EXPIRY_SECONDS } from "../validation.ts";
import { digestStream, failingSource, generatedSource, RssProbe, readAll, sha256Hex, stallingSource } from "./sources.ts";

const MiB = 1024 * 1024;

/** What a backend's test file hands the contract suite. */
export interface MediaStoreContractTarget {
  readonly store: MediaStore;
  /**
   * Everything the backend holds, as opaque strings: published objects, staging leftovers and unfinished
   * multipart uploads. Failure tests assert that a failed put leaves this unchanged.
   */
  listEverything(): Promise<readonly string[]>;
  /** Size above which the backend takes its large-object path (the S3 part size); failures are injected past it. */
  readonly largeUploadThresholdBytes: number;
  close(): Promise<void>;
}

export interface MediaStoreContractOptions {
  /** Size of the streamed large-object test. @default 64 MiB */
  readonly largeObjectBytes?: number;
  /** Allowed peak RSS growth while streaming the large object. @default half of largeObjectBytes */
  readonly maxRssGrowthBytes?: number;
}

const content = { kind: "content-addressed" } as const;

/** The behaviour every MediaStore backend must show; call from a backend's test file. */
export function describeMediaStoreContract(
  backend: string,
  open: () => Promise<MediaStoreContractTarget>,
  options: MediaStoreContractOptions = {},
): void {
  const largeBytes = options.largeObjectBytes ?? 64 * MiB;
  const maxRssGrowth = options.maxRssGrowthBytes ?? largeBytes / 2;

  describe(`MediaStore contract: ${backend}`, () => {
    let target: MediaStoreContractTarget;
    let store: MediaStore;
    beforeAll(async () => {
      target = await open();
      store = target.store;
    });
    afterAll(async () => {
      await target?.close();
    });

    async function expectNothingLeftBy(action: () => Promise<unknown>): Promise<unknown> {
      const before = [...(await target.listEverything())].sort();
      const error = await action().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error, "the put was expected to fail").toBeInstanceOf(Error);
      expect([...(await target.listEverything())].sort()).toEqual(before);
      return error;
    }

    describe("put and read back", () => {
      it("stores content-addressed bytes under media/sha256/<ab>/<cd>/<sha256> and reads them back", async () => {
        const bytes = Buffer.from("RIFF....WAVEfmt dialogue take 3");
        const result = await store.put(Readable.from([bytes]), {
          scheme: content,
          contentType: "audio/wav",
          metadata: { scene: "12a", take: "3" },
        });
        const sha256 = sha256Hex(bytes);
        expect(result).toEqual({
          key: contentAddressedKey(sha256),
          size: bytes.byteLength,
          sha256,
          contentType: "audio/wav",
          deduplicated: false,
        });
        expect(result.key).toBe(`media/sha256/${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`);
        expect(await readAll(await store.get(result.key))).toEqual(bytes);
        const head = await store.head(result.key);
        expect(head).toMatchObject({
          key: result.key,
          size: bytes.byteLength,
          contentType: "audio/wav",
          sha256,
          metadata: { scene: "12a", take: "3" },
        });
        expect(head.lastModified.getTime()).toBeGreaterThan(Date.now() - 10 * 60_000);
        expect(await store.exists(result.key)).toBe(true);
      });

      it("generates <prefix>/<uuid> keys for id-based puts and records the sha256", async () => {
        const bytes = Buffer.from("printmaster 5.1 reel 2");
        const first = await store.put([bytes], { scheme: { kind: "id", prefix: "renders" } });
        const second = await store.put([bytes], { scheme: { kind: "id", prefix: "renders" } });
        expect(parseMediaKey(first.key)).toMatchObject({ kind: "id", prefix: "renders" });
        expect(second.key).not.toBe(first.key);
        expect(await store.head(first.key)).toMatchObject({
          size: bytes.byteLength,
          sha256: sha256Hex(bytes),
          contentType: "application/octet-stream",
        });
      });

      it("puts to <prefix>/<id> for a given id (a name-derived UUID), replacing what was there", async () => {
        const id = uuidFromName("chunk sha256:0123 of render r1");
        expect(uuidFromName("chunk sha256:0123 of render r1")).toBe(id);
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        const first = await store.put([Buffer.from("chunk bytes")], { scheme: { kind: "id", prefix: "renders", id } });
        expect(first.key).toBe(`renders/${id}`);
        const again = await store.put([Buffer.from("chunk bytes")], { scheme: { kind: "id", prefix: "renders", id } });
        expect(again).toMatchObject({ key: first.key, deduplicated: false });
        expect(await store.head(first.key)).toMatchObject({ size: 11, sha256: sha256Hex(Buffer.from("chunk bytes")) });
        await expect(store.put([Buffer.from("x")], { scheme: { kind: "id", prefix: "renders", id: "not-a-uuid" } })).rejects.toThrow(
          /id must be a lowercase UUID/,
        );
      });

      it("deduplicates identical content onto one key, keeping the first writer's metadata", async () => {
        const bytes = Buffer.from(`room tone ${Date.now()} ${Math.random()}`);
        const first = await store.put([bytes], { scheme: content, contentType: "audio/wav", metadata: { by: "first" } });
        const second = await store.put([bytes], { scheme: content, contentType: "audio/x-wav", metadata: { by: "second" } });
        expect(second).toMatchObject({ key: first.key, deduplicated: true, sha256: first.sha256 });
        expect(await store.head(first.key)).toMatchObject({ contentType: "audio/wav", metadata: { by: "first" } });
      });

      it("stores an empty object", async () => {
        const result = await store.put([], { scheme: content });
        expect(result.sha256).toBe(sha256Hex(new Uint8Array()));
        expect(result.size).toBe(0);
        expect((await readAll(await store.get(result.key))).byteLength).toBe(0);
      });

      it("accepts matching expectedSha256 and expectedSize, across the large-object threshold", async () => {
        const size = target.largeUploadThresholdBytes * 2 + 12_345;
        const probe = generatedSource(size);
        const first = await store.put(probe.source, { scheme: { kind: "id", prefix: "renders" } });
        const copy = await store.put(await store.get(first.key), {
          scheme: content,
          expectedSha256: probe.sha256(),
          expectedSize: size,
          contentType: "audio/wav",
        });
        expect(copy).toMatchObject({ key: contentAddressedKey(probe.sha256()), size, sha256: probe.sha256() });
        expect(await digestStream(await store.get(copy.key))).toEqual({ size, sha256: probe.sha256() });
        expect(await store.head(copy.key)).toMatchObject({ sha256: probe.sha256(), contentType: "audio/wav", size });
      });

      it(`streams a ${largeBytes / MiB} MiB object in and out without buffering it`, async () => {
        const generated = generatedSource(largeBytes, { onChunk: () => inProbe.sample() });
        const inProbe = new RssProbe();
        const result = await store.put(generated.source, { scheme: content, contentType: "audio/wav" });
        const inGrowth = inProbe.stop();
        expect(result.sha256).toBe(generated.sha256());
        expect(result.size).toBe(largeBytes);

        const outProbe = new RssProbe();
        const readBack = await digestStream(await store.get(result.key), () => outProbe.sample());
        const outGrowth = outProbe.stop();
        expect(readBack).toEqual({ size: largeBytes, sha256: generated.sha256() });
        expect(inGrowth, `RSS grew ${(inGrowth / MiB).toFixed(1)} MiB during the put`).toBeLessThan(maxRssGrowth);
        expect(outGrowth, `RSS grew ${(outGrowth / MiB).toFixed(1)} MiB during the read`).toBeLessThan(maxRssGrowth);
      });
    });

    describe("ranged reads", () => {
      const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
      let key: string;
      beforeAll(async () => {
        key = (await store.put([bytes], { scheme: { kind: "id", prefix: "proxies" } })).key;
      });

      it("reads start..end inclusive, start+length, and start to the end", async () => {
        expect(await readAll(await store.getRange(key, { start: 10, end: 19 }))).toEqual(bytes.subarray(10, 20));
        expect(await readAll(await store.getRange(key, { start: 0, end: 0 }))).toEqual(bytes.subarray(0, 1));
        expect(await readAll(await store.getRange(key, { start: 990, length: 10 }))).toEqual(bytes.subarray(990));
        expect(await readAll(await store.getRange(key, { start: 995 }))).toEqual(bytes.subarray(995));
        expect(await readAll(await store.getRange(key, { start: 999, end: 999 }))).toEqual(bytes.subarray(999));
      });

      it.each([
        [{ start: 5, end: 4 }, /end 4 is before start 5/],
        [{ start: -1, end: 3 }, /start must be a non-negative integer/],
        [{ start: 1.5, length: 2 }, /start must be a non-negative integer/],
        [{ start: 0, length: 0 }, /length must be a positive integer/],
        [{ start: 1000 }, /start 1000 is past the end of the 1000-byte object/],
        [{ start: 990, end: 1000 }, /end 1000 is past the last byte \(999\)/],
        [{ start: 995, length: 6 }, /end 1000 is past the last byte/],
      ])("rejects %j with a clear validation error", async (range, message) => {
        const error = await store.getRange(key, range).catch((caught: unknown) => caught);
        expect(isErrorKind(error, "validation")).toBe(true);
        expect((error as Error).message).toMatch(message);
      });

      it("reports a missing object as not-found rather than a range error", async () => {
        const error = await store.getRange(contentAddressedKey("0".repeat(64)), { start: 0, end: 1 }).catch((caught: unknown) => caught);
        expect(isErrorKind(error, "not-found")).toBe(true);
      });
    });

    describe("keys and missing objects", () => {
      const missing = contentAddressedKey("ab".repeat(32));

      it.each([
        "../../etc/passwd",
        "media/sha256/zz/zz/x",
        "staging/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d",
        "Renders/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d",
        "renders/not-a-uuid",
        "",
      ])("rejects the key %j on get, head, exists, delete and presignGet", async (key) => {
        for (const call of [
          () => store.get(key),
          () => store.head(key),
          () => store.exists(key),
          () => store.delete(key),
          () => store.presignGet(key),
        ]) {
          const error = await call().catch((caught: unknown) => caught);
          expect(isErrorKind(error, "validation"), `${String(error)}`).toBe(true);
          expect((error as Error).message).toMatch(/invalid media key/);
        }
      });

      it("reports absent objects as not-found, exists false, and deletes idempotently", async () => {
        for (const call of [() => store.get(missing), () => store.head(missing)]) {
          const error = await call().catch((caught: unknown) => caught);
          expect(isErrorKind(error, "not-found")).toBe(true);
          expect((error as Error).message).toContain(missing);
        }
        expect(await store.exists(missing)).toBe(false);
        await store.delete(missing);
      });

      it("deletes an object", async () => {
        const { key } = await store.put([Buffer.from(`to delete ${Math.random()}`)], { scheme: content });
        await store.delete(key);
        expect(await store.exists(key)).toBe(false);
        expect(isErrorKind(await store.get(key).catch((caught: unknown) => caught), "not-found")).toBe(true);
      });
    });

    describe("nothing is published by a failed put", () => {
      it("an object is invisible at its final key until the put has completed", async () => {
        const bytes = Buffer.alloc(target.largeUploadThresholdBytes * 2 + 99);
        bytes.write(`unique ${Math.random()}`);
        const sha256 = sha256Hex(bytes);
        const key = contentAddressedKey(sha256);
        let release = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        let stalled = () => {};
        const halfway = new Promise<void>((resolve) => {
          stalled = resolve;
        });
        async function* slow(): AsyncGenerator<Uint8Array> {
          const middle = target.largeUploadThresholdBytes + 1;
          yield bytes.subarray(0, middle);
          stalled();
          await gate;
          yield bytes.subarray(middle);
        }
        const putting = store.put(slow(), { scheme: content, expectedSha256: sha256 });
        await halfway;
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(await store.exists(key)).toBe(false);
        release();
        expect((await putting).key).toBe(key);
        expect(await store.exists(key)).toBe(true);
      });

      it("a source that errors midway rejects with its error and leaves nothing behind", async () => {
        const boom = new Error("network dropped mid-upload");
        const error = await expectNothingLeftBy(() =>
          store.put(failingSource(target.largeUploadThresholdBytes * 2 + 1000, boom), { scheme: content }),
        );
        expect(error).toBe(boom);
        const idError = await expectNothingLeftBy(() =>
          store.put(failingSource(1000, boom), { scheme: { kind: "id", prefix: "renders" } }),
        );
        expect(idError).toBe(boom);
      });

      it("an AbortSignal fired while the source is stalled rejects as cancelled and leaves nothing behind", async () => {
        const controller = new AbortController();
        const error = await expectNothingLeftBy(() =>
          store.put(
            stallingSource(target.largeUploadThresholdBytes + 1000, () => controller.abort(new Error("user pressed cancel"))),
            { scheme: content, signal: controller.signal },
          ),
        );
        expect(error).toBeInstanceOf(MediaUploadAbortedError);
        expect(isErrorKind(error, "cancelled")).toBe(true);
      });

      it("an already-aborted signal stores nothing", async () => {
        const error = await expectNothingLeftBy(() => store.put([Buffer.from("x")], { scheme: content, signal: AbortSignal.abort() }));
        expect(error).toBeInstanceOf(MediaUploadAbortedError);
      });

      it("a sha256 mismatch is a validation error and publishes nothing, for small and large uploads", async () => {
        for (const size of [100, target.largeUploadThresholdBytes * 2 + 7]) {
          const wrong = "f".repeat(64);
          for (const scheme of [content, { kind: "id", prefix: "renders" } as const]) {
            const fresh = generatedSource(size);
            const error = await expectNothingLeftBy(() => store.put(fresh.source, { scheme, expectedSha256: wrong }));
            expect(error).toBeInstanceOf(MediaContentMismatchError);
            expect(isErrorKind(error, "validation")).toBe(true);
            expect((error as MediaContentMismatchError).check).toBe("sha256");
            expect(await store.exists(contentAddressedKey(fresh.sha256()))).toBe(false);
          }
        }
      });

      it("a size mismatch (short or long) is a validation error and publishes nothing", async () => {
        const bytes = Buffer.alloc(5000, 7);
        for (const expectedSize of [4999, 5001]) {
          const error = await expectNothingLeftBy(() =>
            store.put([bytes.subarray(0, 2500), bytes.subarray(2500)], { scheme: content, expectedSize }),
          );
          expect(error).toBeInstanceOf(MediaContentMismatchError);
          expect((error as MediaContentMismatchError).check).toBe("size");
        }
        expect(await store.exists(contentAddressedKey(sha256Hex(bytes)))).toBe(false);
      });

      it("stops reading as soon as expectedSize is exceeded", async () => {
        let yielded = 0;
        async function* endless(): AsyncGenerator<Uint8Array> {
          while (true) {
            yielded++;
            yield Buffer.alloc(64 * 1024);
          }
        }
        const error = await expectNothingLeftBy(() => store.put(endless(), { scheme: content, expectedSize: 1024 * 1024 }));
        expect((error as MediaContentMismatchError).check).toBe("size");
        expect(yielded).toBeLessThanOrEqual(17);
      });

      it("rejects non-byte chunks as a validation error", async () => {
        const error = await expectNothingLeftBy(() => store.put(Readable.from(["text, not bytes"]), { scheme: content }));
        expect(isErrorKind(error, "validation")).toBe(true);
        expect((error as Error).message).toMatch(/must yield bytes/);
      });
    });

    describe("option validation", () => {
      it.each([
        [{ scheme: { kind: "user-path" } }, /scheme must be/],
        [{ scheme: { kind: "id", prefix: "media" } }, /reserved/],
        [{ scheme: { kind: "id", prefix: "../x" } }, /key prefix/],
        [{ scheme: content, contentType: "wav" }, /not a MIME type/],
        [{ scheme: content, metadata: { Scene: "1" } }, /metadata key "Scene"/],
        [{ scheme: content, metadata: { "dubstage-sha256": "x" } }, /reserved prefix/],
        [{ scheme: content, metadata: { note: "caf\u00e9" } }, /printable ASCII/],
        [{ scheme: content, metadata: { note: "x".repeat(3000) } }, /at most 2048/],
        [{ scheme: content, expectedSha256: "ABC" }, /expectedSha256 must be 64 lowercase hex/],
        [{ scheme: content, expectedSize: -1 }, /expectedSize must be a non-negative integer/],
      ])("rejects %j before reading the source", async (putOptions, message) => {
        let read = false;
        async function* source(): AsyncGenerator<Uint8Array> {
          read = true;
          yield Buffer.from("x");
        }
        // biome-ignore lint/suspicious/noExplicitAny: deliberately malformed options
        const error = await store.put(source(), putOptions as any).catch((caught: unknown) => caught);
        expect(isErrorKind(error, "validation")).toBe(true);
        expect((error as Error).message).toMatch(message);
        expect(read).toBe(false);
      });
    });

    describe("presigned URLs", () => {
      it("a presigned GET serves the object to plain fetch, expiring after 15 minutes by default", async () => {
        const bytes = Buffer.from(`stem DX ${Math.random()}`);
        const { key } = await store.put([bytes], { scheme: content, contentType: "audio/wav" });
        const before = Date.now();
        const presigned = await store.presignGet(key);
        expect(presigned).toMatchObject({ method: "GET", key });
        const lifetime = (presigned.expiresAt.getTime() - before) / 1000;
        expect(lifetime).toBeGreaterThan(DEFAULT_PRESIGN_EXPIRY_SECONDS - 5);
        expect(lifetime).toBeLessThanOrEqual(DEFAULT_PRESIGN_EXPIRY_SECONDS + 1);
        const response = await fetch(presigned.url);
        expect(response.status).toBe(200);
        expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
      });

      it("a tampered presigned GET is refused", async () => {
        const { key } = await store.put([Buffer.from(`secret mix ${Math.random()}`)], { scheme: content });
        const other = await store.put([Buffer.from(`other mix ${Math.random()}`)], { scheme: content });
        const presigned = await store.presignGet(key, { expiresInSeconds: 60 });
        const tampered = presigned.url.replace(key, other.key);
        const response = await fetch(tampered);
        expect(response.status).toBe(403);
        await response.arrayBuffer();
      });

      it("a presigned PUT uploads to a generated key that head and get then see", async () => {
        const bytes = Buffer.from(`client upload ${Math.random()}`.repeat(1000));
        const presigned = await store.presignPut({ prefix: "uploads", expiresInSeconds: 120 });
        expect(parseMediaKey(presigned.key)).toMatchObject({ kind: "id", prefix: "uploads" });
        expect(presigned.method).toBe("PUT");
        expect(await store.exists(presigned.key)).toBe(false);
        const response = await fetch(presigned.url, { method: "PUT", body: bytes, headers: { "content-type": "audio/wav" } });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        const head = await store.head(presigned.key);
        expect(head).toMatchObject({ size: bytes.byteLength, contentType: "audio/wav", sha256: undefined });
        expect(await readAll(await store.get(presigned.key))).toEqual(bytes);
      });

      it.each([0, -5, 1.5, 3601, 86_400])("rejects expiresInSeconds %j", async (expiresInSeconds) => {
        const key = contentAddressedKey("cd".repeat(32));
        for (const call of [
          () => store.presignGet(key, { expiresInSeconds }),
          () => store.presignPut({ prefix: "uploads", expiresInSeconds }),
        ]) {
          const error = await call().catch((caught: unknown) => caught);
          expect(isErrorKind(error, "validation")).toBe(true);
          expect((error as Error).message).toMatch(/expiresInSeconds must be a whole number from 1 to 3600/);
        }
      });

      it("rejects a reserved or malformed presignPut prefix", async () => {
        for (const prefix of ["staging", "media", "Uploads", "a/b"]) {
          const error = await store.presignPut({ prefix }).catch((caught: unknown) => caught);
          expect(isErrorKind(error, "validation")).toBe(true);
        }
      });
    });
  });
}
