import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openFileByteSource } from "@dubstage/aaf/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openMxf } from "./open-mxf.ts";
import { collect, decodedMd5, FFMPEG_AVAILABLE, ffmpeg, probeAudio, warnIfFfmpegMissing } from "./test-support/tools.ts";
import { mxfAudioAsWav } from "./wav.ts";

/*
 * Files written by ffmpeg's own muxers at test time (mxf_opatom takes only 48 kHz mono; mxf, OP1a, needs a
 * video stream first), cross-checked with ffprobe, and the WAV decoded by ffmpeg against ffmpeg's decode of
 * the MXF itself. 44.1 kHz, several channels and Avid's layouts are in synthetic.unit.test.ts.
 */
warnIfFfmpegMissing("mxf ffmpeg");

describe.skipIf(!FFMPEG_AVAILABLE)("MXF written by ffmpeg", () => {
  let dir = "";
  const path = (name: string) => join(dir, name);
  const sine = (rate: number, seconds: number, freq = 1000) => ["-f", "lavfi", "-i", `sine=f=${freq}:d=${seconds}:r=${rate}`];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "dubstage-mxf-"));
    ffmpeg([...sine(48000, 2), "-c:a", "pcm_s24le", "-timecode", "01:00:00:00", "-f", "mxf_opatom", path("atom24.mxf")]);
    ffmpeg([
      ...sine(48000, 3.5),
      "-c:a",
      "pcm_s16le",
      "-timecode",
      "00:59:58:00",
      "-mxf_audio_edit_rate",
      "30000/1001",
      "-f",
      "mxf_opatom",
      path("atom16.mxf"),
    ]);
    ffmpeg([
      ...["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=2"],
      ...sine(48000, 2),
      ...sine(48000, 2, 500),
      ...[
        "-map",
        "0:v",
        "-map",
        "1:a",
        "-map",
        "2:a",
        "-c:v",
        "mpeg2video",
        "-c:a",
        "pcm_s24le",
        "-timecode",
        "10:00:00:00",
        "-f",
        "mxf",
        path("op1a.mxf"),
      ],
    ]);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function readAndConvert(name: string, chunkBytes?: number) {
    const source = await openFileByteSource(path(name));
    try {
      const file = await openMxf(source);
      const wav = await collect(mxfAudioAsWav(file, source, { chunkBytes }));
      writeFileSync(path(`${name}.wav`), wav);
      return { file, wav, probe: probeAudio(path(name)) };
    } finally {
      await source.close();
    }
  }

  it("OP-Atom 24-bit 48 kHz: descriptor, UMIDs and timecode as ffprobe reports them, the same PCM", async () => {
    const { file, probe } = await readAndConvert("atom24.mxf");
    expect(file.operationalPattern).toMatch(/^OP-Atom \(060e2b34\.04010102\.0d010201\.10/);
    expect(file.audio).toEqual({
      sampleRate: 48000,
      channels: 1,
      bitDepth: 24,
      blockAlign: 3,
      lengthSamples: 96000,
      essenceContainer: "wave",
      wrapping: "frame",
    });
    expect(file.audio?.sampleRate).toBe(probe.sampleRate);
    expect(file.audio?.channels).toBe(probe.channels);
    expect((file.audio?.lengthSamples ?? 0) / probe.sampleRate).toBeCloseTo(probe.durationSeconds, 6);
    expect(file.filePackageUmid).toBe(probe.filePackageUmid);
    expect(file.materialPackageUmid).toBe(probe.materialPackageUmid);
    expect(file.filePackageUmid).toMatch(/^[0-9a-f]{64}$/);
    expect(probe.timecode).toBe("01:00:00:00");
    expect(file.startTimecode).toEqual({ framesFromMidnight: 25 * 3600, fps: 25, dropFrame: false });
    // ffmpeg writes the whole clip as one element (with its frame-wrapping key): one range.
    expect(file.essence).toHaveLength(1);
    expect(file.essence[0]?.length).toBe(96000 * 3);
    expect(decodedMd5(path("atom24.mxf.wav"), "s24le")).toBe(decodedMd5(path("atom24.mxf"), "s24le"));
  });

  it("OP-Atom 16-bit, 3.5 s, 29.97 timecode base, streamed in odd 4099-byte chunks: the same PCM", async () => {
    const { file, wav, probe } = await readAndConvert("atom16.mxf", 4099);
    // ffmpeg pads the essence to whole 30000/1001 edit units: 105 x 1601.6 = 168168 samples, as ffprobe says.
    expect(file.audio).toMatchObject({ sampleRate: 48000, channels: 1, bitDepth: 16, blockAlign: 2, lengthSamples: 168168 });
    expect(168168 / 48000).toBeCloseTo(probe.durationSeconds, 6);
    expect(wav.byteLength).toBe(44 + 168168 * 2);
    expect(file.filePackageUmid).toBe(probe.filePackageUmid);
    expect(probe.timecode).toBe("00:59:58:00");
    expect(file.startTimecode).toEqual({ framesFromMidnight: (3600 - 2) * 30, fps: 30, dropFrame: false });
    expect(decodedMd5(path("atom16.mxf.wav"), "s16le")).toBe(decodedMd5(path("atom16.mxf"), "s16le"));
  });

  it("OP1a with picture and two sound tracks, frame-wrapped AES3: the first sound track, edit unit by edit unit", async () => {
    const { file, probe } = await readAndConvert("op1a.mxf");
    expect(file.operationalPattern).toMatch(/^OP1a /);
    expect(file.descriptor).toBe("AES3AudioDescriptor");
    expect(file.audio).toEqual({
      sampleRate: 48000,
      channels: 1,
      bitDepth: 24,
      blockAlign: 3,
      lengthSamples: 96000,
      essenceContainer: "aes3",
      wrapping: "frame",
    });
    expect(file.essence).toHaveLength(50); // 2 s at 25 fps, 1920 samples each
    expect(file.essence.every((r) => r.length === 1920 * 3)).toBe(true);
    expect(file.filePackageUmid).toBe(probe.filePackageUmid);
    expect(file.materialPackageUmid).toBe(probe.materialPackageUmid);
    expect(file.startTimecode).toEqual({ framesFromMidnight: 25 * 36000, fps: 25, dropFrame: false });
    const first = decodedMd5(path("op1a.mxf"), "s24le", 0);
    expect(first).not.toBe(decodedMd5(path("op1a.mxf"), "s24le", 1)); // the tracks differ, so picking one is tested
    expect(decodedMd5(path("op1a.mxf.wav"), "s24le")).toBe(first);
    // The second sound track on request, by TrackID.
    expect(file.soundTrackIds).toHaveLength(2);
    const source = await openFileByteSource(path("op1a.mxf"));
    try {
      const second = await openMxf(source, { soundTrackId: file.soundTrackIds[1] });
      writeFileSync(path("op1a-2.wav"), await collect(mxfAudioAsWav(second, source)));
      expect(decodedMd5(path("op1a-2.wav"), "s24le")).toBe(decodedMd5(path("op1a.mxf"), "s24le", 1));
      await expect(openMxf(source, { soundTrackId: 99 })).rejects.toThrow(/no sound track with TrackID 99 .*its sound tracks: \d+, \d+/);
    } finally {
      await source.close();
    }
  });
});
