import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FRAME_RATES, rational } from "@dubstage/timecode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkVideoAgainstTimeline, primaryVideoStream, streamDurationMicroseconds, type VideoProbe } from "../../domain/video/index.ts";
import { extractGuideAudio, MediaFileError, MediaToolNotFoundError, probeVideo, resolveMediaTools } from "./index.ts";
import { makeStandardTestVideos, makeTestVideo, readWavInfo, readWavSamples16 } from "./test-media.ts";

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

const oneFrameMicros = (probe: VideoProbe) => {
  const rate = primaryVideoStream(probe)?.frameRate ?? rational(1);
  return Math.ceil((1_000_000 * rate.denominator) / rate.numerator);
};

describe("probeVideo", () => {
  it("reads rate and timecode back exactly at 25, 29.97 DF and 23.976", async () => {
    const p25 = await probeVideo(at25, { tools });
    expect(primaryVideoStream(p25)).toMatchObject({ width: 320, height: 240, frameRate: rational(25) });
    expect(p25.timecodes[0]).toEqual({ source: "timecode-track", streamIndex: 2, text: "01:00:00:00", dropFrame: false });
    expect(p25.audioStreams[0]).toMatchObject({ codec: "pcm_s24le", channels: 2, sampleRate: 48000 });

    const pdf = await probeVideo(at2997df, { tools });
    expect(primaryVideoStream(pdf)?.frameRate).toEqual(rational(30000, 1001));
    expect(pdf.timecodes[0]).toMatchObject({ text: "00:59:59;28", dropFrame: true });

    // 01:00:00;00 at 30000/1001 is frame 107892, read back with its drop-frame separator.
    const hourDf = makeTestVideo(tools.ffmpeg, scratch, { name: "df-hour.mov", rate: "30000/1001", timecode: "01:00:00;00", seconds: 1 });
    const phour = await probeVideo(hourDf, { tools });
    expect(phour.timecodes[0]).toMatchObject({ text: "01:00:00;00", dropFrame: true });
    expect(checkVideoAgainstTimeline(phour, { rate: FRAME_RATES["29.97DF"], startTimecode: "01:00:00;00" })).toMatchObject({
      ok: true,
      video: { startFrame: 107892 },
    });

    const p23 = await probeVideo(at23976, { tools });
    expect(p23.formatName).toContain("mp4");
    expect(primaryVideoStream(p23)?.frameRate).toEqual(rational(24000, 1001));
    expect(p23.timecodes[0]).toMatchObject({ text: "01:00:00:00", dropFrame: false });
    expect(p23.audioStreams[0]).toMatchObject({ codec: "aac", channels: 6, channelLayout: "5.1" });
  });

  it("feeds the timeline check: 29.97 DF video against an NDF timeline and a 23.976 one", async () => {
    const pdf = await probeVideo(at2997df, { tools });
    const ndf = checkVideoAgainstTimeline(pdf, { rate: FRAME_RATES["29.97NDF"], startTimecode: "01:00:00:00" });
    expect(ndf.findings.map((f) => f.code)).toEqual(["drop-frame-mismatch", "start-timecode-mismatch"]);
    // 00:59:59;28 DF is frame 107890; 01:00:00:00 NDF is frame 108000.
    expect(ndf.findings[1]).toMatchObject({ offsetFrames: -110, offsetExact: true });
    expect(checkVideoAgainstTimeline(pdf, { rate: FRAME_RATES["29.97DF"], startTimecode: "00:59:59;28" }).ok).toBe(true);
    const p23 = await probeVideo(at23976, { tools });
    expect(checkVideoAgainstTimeline(p23, { rate: FRAME_RATES["24"], startTimecode: "01:00:00:00" }).findings[0]?.code).toBe(
      "rate-mismatch",
    );
  });

  it("rejects random bytes named .mov with ffprobe's reason", async () => {
    const junk = join(scratch, "junk.mov");
    // Fixed pseudo-random bytes (a linear congruential generator): truly random ones could, rarely, look like MP3 sync.
    const bytes = Buffer.alloc(64 * 1024);
    let state = 12345;
    for (let i = 0; i < bytes.length; i++) {
      state = (state * 1103515245 + 12345) >>> 0;
      bytes[i] = state >>> 24;
    }
    writeFileSync(junk, bytes);
    const error = await probeVideo(junk, { tools }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaFileError);
    expect((error as MediaFileError).kind).toBe("validation");
    expect((error as MediaFileError).message).toMatch(/junk\.mov: ffprobe failed \(exit 1\): .*Invalid data found when processing input/);
    expect((error as MediaFileError).lastStderrLine).toMatch(/Invalid data found/);
  });

  it("rejects a missing file and a directory before running anything", async () => {
    await expect(probeVideo(join(scratch, "absent.mov"), { tools })).rejects.toThrow(/absent\.mov: no such file/);
    await expect(probeVideo(scratch, { tools })).rejects.toThrow(/is not a regular file/);
  });

  it("reports a missing ffprobe as dependency-unavailable", async () => {
    const error = await probeVideo(at25, { tools: { ...tools, ffprobe: join(scratch, "no-ffprobe") } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MediaToolNotFoundError);
    expect((error as MediaToolNotFoundError).kind).toBe("dependency-unavailable");
  });
});

describe("extractGuideAudio", () => {
  it("writes 48 kHz 24-bit stereo from 24-bit PCM, as long as the picture to within a frame", async () => {
    const probe = await probeVideo(at25, { tools });
    const out = join(scratch, "guide25.wav");
    const progress: number[] = [];
    const result = await extractGuideAudio(at25, out, { tools, probe, onProgress: (f) => progress.push(f) });
    expect(result).toMatchObject({ streamIndex: 1, channels: 2, sampleRate: 48000, bitsPerSample: 24, codec: "pcm_s24le" });
    const wav = readWavInfo(out);
    expect(wav).toMatchObject({ channels: 2, sampleRate: 48000, bitsPerSample: 24 });
    const videoMicros = streamDurationMicroseconds(probe, primaryVideoStream(probe)) ?? 0;
    expect(Math.abs((wav.sampleFrames * 1_000_000) / 48000 - videoMicros)).toBeLessThanOrEqual(oneFrameMicros(probe));
    expect(progress.at(-1)).toBe(1);
  });

  it("resamples 44.1 kHz 16-bit mono to 48 kHz and keeps 16 bits", async () => {
    const out = join(scratch, "guide2997.wav");
    const probe = await probeVideo(at2997df, { tools });
    expect(await extractGuideAudio(at2997df, out, { tools, probe })).toMatchObject({ channels: 1, bitsPerSample: 16 });
    const wav = readWavInfo(out);
    expect(wav).toMatchObject({ formatTag: 1, channels: 1, sampleRate: 48000, bitsPerSample: 16 });
    const videoMicros = streamDurationMicroseconds(probe, primaryVideoStream(probe)) ?? 0;
    expect(Math.abs((wav.sampleFrames * 1_000_000) / 48000 - videoMicros)).toBeLessThanOrEqual(oneFrameMicros(probe));
  });

  it("keeps all six channels of 5.1 AAC, as 24-bit WAVE_FORMAT_EXTENSIBLE", async () => {
    const out = join(scratch, "guide23976.wav");
    await extractGuideAudio(at23976, out, { tools });
    expect(readWavInfo(out)).toMatchObject({ formatTag: 0xfffe, channels: 6, sampleRate: 48000, bitsPerSample: 24 });
  });

  it("lines the WAV up with the first picture frame when the audio starts late", async () => {
    // Audio starting 0.5 s after the picture: the guide track must start with 0.5 s of silence, not slide early.
    const late = join(scratch, "late.mov");
    execFileSync(tools.ffmpeg, [
      ...["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2"],
      ...["-itsoffset", "0.5", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000:duration=1.5"],
      ...["-map", "0:v", "-map", "1:a", "-c:v", "mjpeg", "-c:a", "pcm_s16le", late],
    ]);
    const probe = await probeVideo(late, { tools });
    expect(probe.audioStreams[0]?.startTicks).toBe(24000);
    const out = join(scratch, "late.wav");
    await extractGuideAudio(late, out, { tools, probe });
    const wav = readWavInfo(out);
    expect(wav.sampleFrames).toBe(96000);
    const samples = readWavSamples16(out);
    expect(samples.subarray(0, 23_900).every((v) => v === 0)).toBe(true);
    expect(samples.subarray(24_100, 25_000).some((v) => Math.abs(v) > 1000)).toBe(true);
  });

  it("refuses a stream that is not audio, naming the audio streams", async () => {
    await expect(extractGuideAudio(at25, join(scratch, "x.wav"), { tools, streamIndex: 0 })).rejects.toThrow(
      /stream 0 is not an audio stream \(audio streams: 1\)/,
    );
  });
});
