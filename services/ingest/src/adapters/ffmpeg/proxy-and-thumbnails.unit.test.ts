import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rational } from "@dubstage/timecode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { primaryVideoStream } from "../../domain/video/index.ts";
import { makeProxy, makeThumbnailStrip, probeVideo, resolveMediaTools } from "./index.ts";
import { makeStandardTestVideos } from "./test-media.ts";

// These run the system ffmpeg/ffprobe (Debian's, installed by scripts/bootstrap.sh) on videos made here.
const tools = resolveMediaTools();
const scratch = mkdtempSync(join(tmpdir(), "dubstage-ingest-video-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let at25: string;
let at2997df: string;
let at23976: string;
beforeAll(() => {
  ({ at25, at2997df, at23976 } = makeStandardTestVideos(tools.ffmpeg, scratch));
});

// Each test runs ffmpeg on a real video: seconds on a loaded 2-core machine, not the unit tier's default 5.
const FFMPEG_MS = 30_000;

describe("makeProxy", () => {
  it(
    "makes a smaller H.264 yuv420p MP4 with AAC stereo and the source timecode",
    async () => {
      const out = join(scratch, "proxy25.mp4");
      const proxy = await makeProxy(at25, out, { tools });
      expect(proxy).toMatchObject({ hasAudio: true, startTimecode: "01:00:00:00" });
      const probe = await probeVideo(out, { tools });
      expect(primaryVideoStream(probe)).toMatchObject({
        codec: "h264",
        width: 320,
        height: 240,
        pixelFormat: "yuv420p",
        frameRate: rational(25),
      });
      expect(probe.audioStreams[0]).toMatchObject({ codec: "aac", channels: 2, sampleRate: 48000 });
      expect(probe.timecodes[0]?.text).toBe("01:00:00:00");
      expect(statSync(out).size).toBeLessThan(statSync(at25).size / 3);
    },
    FFMPEG_MS,
  );

  it(
    "carries a drop-frame timecode",
    async () => {
      const out = join(scratch, "proxy2997.mp4");
      await makeProxy(at2997df, out, { tools });
      const probe = await probeVideo(out, { tools });
      expect(probe.timecodes[0]).toMatchObject({ text: "00:59:59;28", dropFrame: true });
      expect(primaryVideoStream(probe)?.frameRate).toEqual(rational(30000, 1001));
    },
    FFMPEG_MS,
  );
});

describe("makeThumbnailStrip", () => {
  it(
    "writes the asked number of JPEG frames, evenly spaced, at most 320 px wide",
    async () => {
      const dir = join(scratch, "thumbs");
      const thumbnails = await makeThumbnailStrip(at25, dir, { tools, count: 4 });
      expect(thumbnails.map((t) => t.timeMicroseconds)).toEqual([250_000, 750_000, 1_250_000, 1_750_000]);
      for (const thumbnail of thumbnails) {
        const probe = await probeVideo(thumbnail.path, { tools });
        expect(primaryVideoStream(probe)).toMatchObject({ codec: "mjpeg", width: 320, height: 240 });
      }
      // testsrc2 moves, so frames taken at different times differ: each input really seeked.
      expect(new Set(thumbnails.map((t) => readFileSync(t.path).toString("base64"))).size).toBe(4);
      const many = await makeThumbnailStrip(at25, join(scratch, "thumbs-many"), { tools, count: 12 });
      expect(many.map((t) => t.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      const narrow = await makeThumbnailStrip(at23976, join(scratch, "thumbs-narrow"), { tools, count: 1, width: 160 });
      expect(primaryVideoStream(await probeVideo(narrow[0]?.path ?? "", { tools }))).toMatchObject({ width: 160, height: 120 });
    },
    FFMPEG_MS,
  );

  it(
    "refuses a count out of range",
    async () => {
      await expect(makeThumbnailStrip(at25, scratch, { tools, count: 0 })).rejects.toThrow(/count must be an integer from 1 to 100/);
    },
    FFMPEG_MS,
  );
});
