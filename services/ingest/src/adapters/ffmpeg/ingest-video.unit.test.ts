import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FsMediaStore } from "@dubstage/media-store";
import { readAll } from "@dubstage/media-store/testing";
import { FRAME_RATES } from "@dubstage/timecode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestVideo, MediaFileError, resolveMediaTools } from "./index.ts";
import { makeTestVideo } from "./test-media.ts";

const tools = resolveMediaTools();
const scratch = mkdtempSync(join(tmpdir(), "dubstage-ingest-pipeline-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let video: string;
let store: FsMediaStore;
beforeAll(() => {
  video = makeTestVideo(tools.ffmpeg, scratch, {
    name: "reel1.mov",
    rate: "25",
    timecode: "01:00:00:00",
    audio: { channels: 2, sampleRate: 48000, codec: "pcm_s24le" },
  });
  store = new FsMediaStore({ root: join(scratch, "store") });
});

describe("ingestVideo", () => {
  it("probes, checks, and stores guide audio, proxy and thumbnails content-addressed", async () => {
    const progress: number[] = [];
    const result = await ingestVideo(video, {
      store,
      tools,
      timeline: { rate: FRAME_RATES["23.976"], startTimecode: "01:00:00:00" },
      thumbnailCount: 3,
      onProgress: (f) => progress.push(f),
    });
    expect(result.probe.timecodes[0]?.text).toBe("01:00:00:00");
    expect(result.check?.ok).toBe(false);
    expect(result.check?.findings.map((f) => f.code)).toEqual(["rate-mismatch", "start-timecode-mismatch"]);
    expect(result.guideAudio).toEqual({ streamIndex: 1, channels: 2, sampleRate: 48000, bitsPerSample: 24, codec: "pcm_s24le" });

    const { guideAudio, proxy, thumbnails } = result.objects;
    const keys = [guideAudio?.key, proxy.key, ...thumbnails.map((t) => t.key)];
    for (const key of keys) expect(key).toMatch(/^media\/sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(5);
    expect(guideAudio?.contentType).toBe("audio/wav");
    expect(proxy.contentType).toBe("video/mp4");
    expect(thumbnails.map((t) => [t.contentType, t.timeMicroseconds])).toEqual([
      ["image/jpeg", 333_333],
      ["image/jpeg", 1_000_000],
      ["image/jpeg", 1_666_666],
    ]);
    // What the store holds is what ingest said it stored.
    const wav = await readAll(await store.get(guideAudio?.key ?? ""));
    expect(wav.length).toBe(guideAudio?.size);
    expect(Buffer.from(wav.subarray(0, 4)).toString("latin1")).toBe("RIFF");
    expect((await store.head(proxy.key)).metadata).toEqual({ "ingest-role": "proxy" });
    const jpeg = await readAll(await store.get(thumbnails[0]?.key ?? ""));
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);

    // Progress only rises, and ends at 1.
    expect(progress.length).toBeGreaterThan(3);
    expect(progress.every((f, i) => i === 0 || f >= (progress[i - 1] ?? 0))).toBe(true);
    expect(progress.at(-1)).toBe(1);
  });

  it("leaves no intermediate files behind", async () => {
    const workDir = mkdtempSync(join(scratch, "work-"));
    await ingestVideo(video, { store, tools, workDir, thumbnailCount: 1 });
    expect(readdirSync(workDir)).toEqual([]);
  });

  it("refuses a file with no picture, and random bytes, storing nothing", async () => {
    // An audio-only file named .mov: ffprobe reads it, but it is not a video.
    const wav = join(scratch, "tone.mov");
    execFileSync(tools.ffmpeg, ["-loglevel", "error", "-y", "-f", "lavfi", "-i", "sine=duration=1", "-c:a", "pcm_s16le", "-f", "mov", wav]);
    const emptyStore = new FsMediaStore({ root: join(scratch, "empty-store") });
    await expect(ingestVideo(wav, { store: emptyStore, tools })).rejects.toThrow(
      /tone\.mov: is not a video: ffprobe found no video stream/,
    );
    const junk = join(scratch, "junk.mov");
    writeFileSync(junk, Buffer.alloc(4096, 0x5a));
    await expect(ingestVideo(video, { store: emptyStore, tools, thumbnailCount: 500 })).rejects.toThrow(/thumbnail count/);
    const error = await ingestVideo(junk, { store: emptyStore, tools }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaFileError);
    expect((error as MediaFileError).message).toMatch(/Invalid data found when processing input/);
    // Nothing reached the store (the fs store creates its root on first write).
    const root = join(scratch, "empty-store");
    const stored = existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];
    expect(stored).toEqual([]);
  });
});
