import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bufferByteSource, openAafForIngest } from "@dubstage/aaf";
import { afterAll, describe, expect, it } from "vitest";
import { MxfFormatError, NotMxfError } from "./errors.ts";
import { openMxf } from "./open-mxf.ts";
import { type SyntheticMxfSpec, writeSyntheticMxf } from "./test-support/synthetic-mxf.ts";
import { collect, decodedMd5, FFMPEG_AVAILABLE, md5, warnIfFfmpegMissing } from "./test-support/tools.ts";
import { umidAsAafMobIdHex } from "./umid.ts";
import { mxfAudioAsWav } from "./wav.ts";

/*
 * OP-Atom audio laid out as Avid and Pro Tools write it (test-support/synthetic-mxf.ts), for what ffmpeg's
 * muxer cannot write: 44.1 kHz, several channels, clip wrapping, run-in, 4- and 9-byte BER lengths, fill,
 * metadata in the footer of an open file, legacy data definitions, timecode in a tape package. Every WAV's
 * data is compared with the PCM written; where ffmpeg is present it also decodes the MXF to the same PCM.
 */
warnIfFfmpegMissing("mxf synthetic (ffmpeg cross-check only)");
const CORPUS = new URL("../../../../shared/corpus/aaf/", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "dubstage-mxf-syn-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function roundTrip(spec: SyntheticMxfSpec, chunkBytes?: number) {
  const mxf = writeSyntheticMxf(spec);
  const source = bufferByteSource(mxf.bytes);
  const file = await openMxf(source);
  const wav = await collect(mxfAudioAsWav(file, source, { chunkBytes }));
  return { mxf, file, wav };
}

/** The data chunk of a WAV this package wrote (after `data` + size). */
function wavData(wav: Uint8Array): Uint8Array {
  const at = Buffer.from(wav).indexOf("data");
  return wav.subarray(at + 8);
}

/** ffmpeg's decode of the MXF and of our WAV agree (when ffmpeg is present). */
function expectFfmpegAgrees(name: string, mxf: Uint8Array, wav: Uint8Array, format: string): void {
  if (!FFMPEG_AVAILABLE) return;
  writeFileSync(join(dir, `${name}.mxf`), mxf);
  writeFileSync(join(dir, `${name}.wav`), wav);
  expect(decodedMd5(join(dir, `${name}.wav`), format)).toBe(decodedMd5(join(dir, `${name}.mxf`), format));
}

describe("synthetic OP-Atom audio", () => {
  it("44.1 kHz stereo 16-bit, clip-wrapped with a 4-byte BER length", async () => {
    const { mxf, file, wav } = await roundTrip({ sampleRate: 44100, channels: 2, bitDepth: 16, samples: 44100 });
    expect(file.operationalPattern).toBe("OP-Atom (060e2b34.04010102.0d010201.10000000)");
    expect(file.audio).toEqual({
      sampleRate: 44100,
      channels: 2,
      bitDepth: 16,
      blockAlign: 4,
      lengthSamples: 44100,
      essenceContainer: "wave",
      wrapping: "clip",
    });
    expect(file.filePackageUmid).toBe(mxf.filePackageUmid);
    expect(file.materialPackageUmid).toBe(mxf.materialPackageUmid);
    expect(file.essence).toEqual([{ offset: mxf.essenceOffset, length: 44100 * 4 }]);
    expect(file.startTimecode).toBeNull();
    expect(wav.byteLength).toBe(44 + 44100 * 4);
    expect(md5(wavData(wav))).toBe(md5(mxf.pcm));
    expectFfmpegAgrees("stereo", mxf.bytes, wav, "s16le");
  });

  it("Avid layout: run-in, fill, metadata only in the footer, a private BER-coded set, legacy data definitions, tape timecode, clip name", async () => {
    const tapeTimecode = { start: 107_892, fps: 30, dropFrame: true, clipStartSamples: 96_000 }; // 01:00:00;00 DF
    const spec = {
      sampleRate: 48000,
      channels: 1,
      bitDepth: 24,
      samples: 48000,
      runIn: 1000,
      fill: true,
      metadataInFooter: true,
      legacyDataDefinitions: true,
      tapeTimecode,
      name: "Take 1",
      privateSet: true,
    } as const;
    const { mxf, file, wav } = await roundTrip(spec, 7);
    expect(file.runIn).toBe(1000);
    expect(file.packageName).toBe("Take 1");
    expect(file.audio).toMatchObject({ sampleRate: 48000, channels: 1, bitDepth: 24, lengthSamples: 48000, wrapping: "clip" });
    // The tape's 01:00:00;00 plus the clip's start: 96000 samples = 2 s = 59.94 frames at 30000/1001, in frame 59.
    expect(file.startTimecode).toEqual({ framesFromMidnight: 107_892 + 59, fps: 30, dropFrame: true });
    expect(md5(wavData(wav))).toBe(md5(mxf.pcm));
    expectFfmpegAgrees("avid", mxf.bytes, wav, "s24le");
  });

  it("AES3 descriptor, 4 channels 24-bit, 9-byte BER: WAVE_FORMAT_EXTENSIBLE, same PCM", async () => {
    const { mxf, file, wav } = await roundTrip({
      sampleRate: 48000,
      channels: 4,
      bitDepth: 24,
      samples: 4800,
      descriptor: "aes3",
      essenceBer: 9,
    });
    expect(file.descriptor).toBe("AES3AudioDescriptor");
    expect(file.audio).toMatchObject({ channels: 4, blockAlign: 12, essenceContainer: "aes3", wrapping: "clip" });
    expect(new DataView(wav.buffer, wav.byteOffset).getUint16(20, true)).toBe(0xfffe);
    expect(md5(wavData(wav))).toBe(md5(mxf.pcm));
    expectFfmpegAgrees("aes3", mxf.bytes, wav, "s24le");
  });

  it("an indefinite (0x80) essence length runs to the footer partition", async () => {
    const { mxf, file, wav } = await roundTrip({
      sampleRate: 48000,
      channels: 1,
      bitDepth: 24,
      samples: 999,
      indefiniteEssenceLength: true,
    });
    expect(file.essence).toEqual([{ offset: mxf.essenceOffset, length: 999 * 3 }]);
    expect(md5(wavData(wav).subarray(0, 999 * 3))).toBe(md5(mxf.pcm));
    expect(wav.byteLength).toBe(44 + 999 * 3 + 1); // odd data size: one pad byte
  });

  it("sound that is not PCM gives audio null, and asking for a WAV says why", async () => {
    const mxf = writeSyntheticMxf({ sampleRate: 48000, channels: 2, bitDepth: 16, samples: 100, descriptor: "generic-mpeg" });
    const file = await openMxf(bufferByteSource(mxf.bytes));
    expect(file.audio).toBeNull();
    expect(file.essence).toEqual([]);
    expect(file.descriptor).toMatch(/^GenericSoundEssenceDescriptor \(060e2b34\.04010102\.0d010301\.02044001: not PCM\)$/);
    await expect(collect(mxfAudioAsWav(file, bufferByteSource(mxf.bytes)))).rejects.toThrow(
      /is not PCM audio: its descriptor is GenericSoundEssenceDescriptor/,
    );
  });

  it("a run-in of 64 KiB is accepted, one byte more is not MXF", async () => {
    const ok = await openMxf(
      bufferByteSource(writeSyntheticMxf({ sampleRate: 48000, channels: 1, bitDepth: 16, samples: 10, runIn: 65_536 }).bytes),
    );
    expect(ok.runIn).toBe(65_536);
    const tooLong = writeSyntheticMxf({ sampleRate: 48000, channels: 1, bitDepth: 16, samples: 10, runIn: 65_537 });
    await expect(openMxf(bufferByteSource(tooLong.bytes))).rejects.toThrow(NotMxfError);
  });
});

describe("not MXF", () => {
  it("a WAV, an empty file and an AAF are NotMxfError naming what they look like", async () => {
    const { wav } = await roundTrip({ sampleRate: 48000, channels: 1, bitDepth: 16, samples: 10 });
    await expect(openMxf(bufferByteSource(wav))).rejects.toThrow(/not an MXF file: .*it is a RIFF\/WAV file/);
    await expect(openMxf(bufferByteSource(new Uint8Array(0)))).rejects.toThrow(/the file is empty/);
    const aaf = new URL("PT_MXF_External.aaf", CORPUS);
    if (existsSync(aaf)) {
      const error = await openMxf(bufferByteSource(new Uint8Array(readFileSync(aaf)))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotMxfError);
      expect(error).toBeInstanceOf(MxfFormatError);
      expect((error as NotMxfError).kind).toBe("validation");
      expect((error as Error).message).toMatch(/Compound File \(an AAF\?\)/);
    } else console.warn(`[mxf not-MXF] AAF case skipped: ${aaf.pathname} is absent`);
  });
});

describe("shared corpus", () => {
  it("holds no .mxf file (PT_MXF_External.aaf's OP-Atom media is not in it): every .mxf there would be read", async () => {
    if (!existsSync(new URL("MANIFEST.md", CORPUS))) {
      console.warn(`[mxf corpus] skipped: the corpus is not at ${CORPUS.pathname}`);
      return;
    }
    const mxfFiles = readdirSync(CORPUS).filter((name) => name.toLowerCase().endsWith(".mxf"));
    if (mxfFiles.length === 0)
      console.warn("[mxf corpus] no .mxf file in ../shared/corpus/aaf: the reader is tested on ffmpeg-written and synthetic files only");
    for (const name of mxfFiles) {
      const file = await openMxf(bufferByteSource(new Uint8Array(readFileSync(new URL(name, CORPUS)))));
      expect(file.audio, name).not.toBeNull();
    }
    // The manifest names the AAF whose linked media would be OP-Atom MXF (checked so the README's claim stays true).
    expect(readFileSync(new URL("MANIFEST.md", CORPUS), "utf8")).toMatch(/PT_MXF_External\.aaf.*OP-Atom MXF/);
  });
});

describe("relinking against an AAF", () => {
  it("a stand-in for PT_MXF_External.aaf's missing OP-Atom media relinks by file package UMID", async () => {
    const path = new URL("PT_MXF_External.aaf", CORPUS);
    if (!existsSync(path)) {
      console.warn(`[mxf relink] skipped: ${path.pathname} is absent`);
      return;
    }
    const aaf = await openAafForIngest(bufferByteSource(new Uint8Array(readFileSync(path))));
    const linked = aaf.essences.find((e) => e.mxf);
    expect(linked).toMatchObject({ channels: 1, sampleRate: 44100, bitDepth: 16, lengthSamples: 132301 });
    const fileMobId = linked?.fileMobId as string;
    // The media as Pro Tools would have written it: its UMID is the MobID in MXF (SMPTE) byte order, which
    // is the AAF's stored order with the material number's GUID fields swapped back (the swap is an involution).
    const mxf = writeSyntheticMxf({
      sampleRate: 44100,
      channels: 1,
      bitDepth: 16,
      samples: 132301,
      umids: { file: umidAsAafMobIdHex(fileMobId) },
    });
    const file = await openMxf(bufferByteSource(mxf.bytes));
    expect(file.filePackageUmid).not.toBe(fileMobId); // the two byte orders differ for this MobID...
    expect(umidAsAafMobIdHex(file.filePackageUmid)).toBe(fileMobId); // ...and the conversion joins them
    expect(file.audio).toMatchObject({
      channels: linked?.channels,
      sampleRate: linked?.sampleRate,
      bitDepth: linked?.bitDepth,
      lengthSamples: linked?.lengthSamples,
    });
  });
});
