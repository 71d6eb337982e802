import { randomUUID } from "node:crypto";
import { isErrorKind } from "@dubstage/event-log";
import { contentAddressedKey } from "@dubstage/media-store";
import { describeMediaStoreContract, digestStream, failingSource, generatedSource } from "@dubstage/media-store/testing";
import { requireEnv } from "@dubstage/testing";
import type { Client } from "minio";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3MediaStore, STAGING_PREFIX } from "./s3-media-store.ts";

const MiB = 1024 * 1024;

function connection() {
  return {
    endpoint: requireEnv("S3_ENDPOINT"),
    accessKey: requireEnv("S3_ACCESS_KEY"),
    secretKey: requireEnv("S3_SECRET_KEY"),
    region: requireEnv("S3_REGION"),
  };
}

function randomBucket(): string {
  return `media-test-${randomUUID().slice(0, 18)}`;
}

async function listEverything(client: Client, bucket: string): Promise<string[]> {
  const found: string[] = [];
  for await (const item of client.listObjectsV2(bucket, "", true)) {
    if (item.name) found.push(item.name);
  }
  for await (const upload of client.listIncompleteUploads(bucket, "", true)) found.push(`incomplete-upload:${upload.key}`);
  return found;
}

async function dropBucket(client: Client, bucket: string): Promise<void> {
  for await (const upload of client.listIncompleteUploads(bucket, "", true))
    await client.abortMultipartUpload(bucket, upload.key, upload.uploadId);
  const names: string[] = [];
  for await (const item of client.listObjectsV2(bucket, "", true)) if (item.name) names.push(item.name);
  if (names.length > 0) await client.removeObjects(bucket, names);
  await client.removeBucket(bucket);
}

describeMediaStoreContract("S3 (MinIO)", async () => {
  const bucket = randomBucket();
  const store = await S3MediaStore.connect({ ...connection(), bucket, createBucket: true, partSizeBytes: 5 * MiB });
  return {
    store,
    largeUploadThresholdBytes: 5 * MiB,
    listEverything: () => listEverything(store.client, bucket),
    async close() {
      await dropBucket(store.client, bucket);
      await store.close();
    },
  };
});

describe("S3MediaStore specifics", () => {
  const bucket = randomBucket();
  let store: S3MediaStore;
  beforeAll(async () => {
    // A single-copy limit of 5 MiB forces the part-by-part server-side copy that objects over 5 GiB take.
    store = await S3MediaStore.connect({
      ...connection(),
      bucket,
      createBucket: true,
      partSizeBytes: 5 * MiB,
      maxSingleCopyBytes: 5 * MiB,
    });
  });
  afterAll(async () => {
    await dropBucket(store.client, bucket);
    await store.close();
  });

  it("publishes a staged upload larger than the single-copy limit with a multipart copy, and removes the staging object", async () => {
    const size = 17 * MiB + 3;
    const generated = generatedSource(size);
    const result = await store.put(generated.source, {
      scheme: { kind: "content-addressed" },
      contentType: "audio/wav",
      metadata: { reel: "3" },
    });
    expect(result.key).toBe(contentAddressedKey(generated.sha256()));
    expect(await digestStream(await store.get(result.key))).toEqual({ size, sha256: generated.sha256() });
    expect(await store.head(result.key)).toMatchObject({
      size,
      sha256: generated.sha256(),
      contentType: "audio/wav",
      metadata: { reel: "3" },
    });
    const everything = await listEverything(store.client, bucket);
    expect(everything.filter((name) => name.startsWith(STAGING_PREFIX) || name.startsWith("incomplete-upload:"))).toEqual([]);
  });

  it("aborts the multipart upload when the source fails after several parts", async () => {
    const boom = new Error("ingest client vanished");
    await expect(store.put(failingSource(12 * MiB, boom), { scheme: { kind: "id", prefix: "renders" } })).rejects.toBe(boom);
    const leftovers: string[] = [];
    for await (const upload of store.client.listIncompleteUploads(bucket, "", true)) leftovers.push(upload.key);
    expect(leftovers).toEqual([]);
  });

  it("refuses a missing bucket unless asked to create it, and creates it when asked", async () => {
    const missing = randomBucket();
    const error = await S3MediaStore.connect({ ...connection(), bucket: missing }).catch((caught: unknown) => caught);
    expect(isErrorKind(error, "dependency-unavailable")).toBe(true);
    expect((error as Error).message).toMatch(new RegExp(`bucket ${missing} does not exist`));
    const created = await S3MediaStore.connect({ ...connection(), bucket: missing, createBucket: true });
    expect(await created.client.bucketExists(missing)).toBe(true);
    expect(JSON.stringify(await created.client.getBucketLifecycle(missing))).toContain('"Prefix":"staging/"');
    await created.client.removeBucket(missing);
    await created.close();
  });

  it("reports an unreachable endpoint as dependency-unavailable", async () => {
    const error = await S3MediaStore.connect({ ...connection(), endpoint: "http://127.0.0.1:1", bucket }).catch(
      (caught: unknown) => caught,
    );
    expect(isErrorKind(error, "dependency-unavailable")).toBe(true);
  });
});
