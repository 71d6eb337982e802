import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readAll } from "@dubstage/media-store/testing";
import { S3MediaStore } from "@dubstage/media-store-s3";
import { requireEnv } from "@dubstage/testing";
import { FRAME_RATES } from "@dubstage/timecode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestVideo, resolveMediaTools } from "./index.ts";
import { makeTestVideo } from "./test-media.ts";

// The same pipeline into MinIO (provisioned by the integration global setup) through @dubstage/media-store-s3.
const tools = resolveMediaTools();
const scratch = mkdtempSync(join(tmpdir(), "dubstage-ingest-s3-"));
const bucket = `ingest-test-${randomUUID().slice(0, 18)}`;
let store: S3MediaStore;
let video: string;

beforeAll(async () => {
  video = makeTestVideo(tools.ffmpeg, scratch, {
    name: "reel1.mov",
    rate: "24000/1001",
    timecode: "01:00:00:00",
    audio: { channels: 2, sampleRate: 48000, codec: "pcm_s24le" },
  });
  store = await S3MediaStore.connect({
    endpoint: requireEnv("S3_ENDPOINT"),
    accessKey: requireEnv("S3_ACCESS_KEY"),
    secretKey: requireEnv("S3_SECRET_KEY"),
    region: requireEnv("S3_REGION"),
    bucket,
    createBucket: true,
  });
});

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  if (!store) return;
  const names: string[] = [];
  for await (const item of store.client.listObjectsV2(bucket, "", true)) if (item.name) names.push(item.name);
  if (names.length > 0) await store.client.removeObjects(bucket, names);
  await store.client.removeBucket(bucket);
  await store.close();
});

describe("ingestVideo into S3 (MinIO)", () => {
  it("stores guide audio, proxy and thumbnails at content-addressed keys", async () => {
    const result = await ingestVideo(video, {
      store,
      tools,
      timeline: { rate: FRAME_RATES["23.976"], startTimecode: "01:00:00:00" },
      thumbnailCount: 2,
    });
    expect(result.check?.ok).toBe(true);
    const { guideAudio, proxy, thumbnails } = result.objects;
    expect(thumbnails).toHaveLength(2);
    for (const stored of [guideAudio, proxy, ...thumbnails]) {
      const head = await store.head(stored?.key ?? "");
      expect(head).toMatchObject({ size: stored?.size, sha256: stored?.sha256, contentType: stored?.contentType });
    }
    const header = await readAll(await store.getRange(guideAudio?.key ?? "", { start: 0, length: 12 }));
    expect(Buffer.from(header).toString("latin1")).toMatch(/^RIFF....WAVE$/s);
    // A second ingest of the same file finds the WAV and JPEGs already there.
    const again = await ingestVideo(video, { store, tools, thumbnailCount: 2 });
    expect(again.objects.guideAudio).toMatchObject({ key: guideAudio?.key, deduplicated: true });
    expect(again.objects.thumbnails.map((t) => [t.key, t.deduplicated])).toEqual(thumbnails.map((t) => [t.key, true]));
  });
});
