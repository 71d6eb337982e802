import { describe, expect, it } from "vitest";
import { CHANNEL_MASK } from "./channel-mask.ts";
import { SAMPLE_FORMATS, type SampleFormat } from "./format.ts";
import { parseWavHeader } from "./header.ts";
import { openWav } from "./reader.ts";
import { floatToInt8, floatToInt16, floatToInt24, floatToInt32 } from "./samples.ts";
import { bufferByteSource } from "./source.ts";
import { chunked, concatBytes, readAll, testSignal } from "./test-support/helpers.ts";
import { createWavWriter, type WavWriteOptions, wavHeader } from "./writer.ts";

/** What a sample must read back as: the quantised value over 2^(bits-1), or the float itself. */
function expected(x: number, format: SampleFormat): number {
  switch (format) {
    case "pcm8":
      return floatToInt8(x) / 128;
    case "pcm16":
      return floatToInt16(x) / 32768;
    case "pcm24":
      return floatToInt24(x) / 8388608;
    case "pcm32":
      return Math.fround(floatToInt32(x) / 2147483648);
    default:
      return x;
  }
}

const lsb: Record<SampleFormat, number> = { pcm8: 2 ** -7, pcm16: 2 ** -15, pcm24: 2 ** -23, pcm32: 2 ** -23, float32: 0, float64: 0 };

const bext = {
  description: "Reel 1 printmaster, 5.1",
  originator: "Dubstage",
  originatorReference: "DUBSTAGE-R1-0001",
  originationDate: "2026-12-08",
  originationTime: "00:01:02",
  timeReference: 172800000n, // 01:00:00:00 at 48 kHz
  umid: "060a2b340101010501010d4313000000".repeat(4),
  loudnessValue: -2700,
  loudnessRange: 850,
  maxTruePeakLevel: -210,
  maxMomentaryLoudness: -1520,
  maxShortTermLoudness: -1980,
  codingHistory: "A=PCM,F=48000,W=24,M=5.1,T=Dubstage\r\n",
};

function write(options: WavWriteOptions, signal: Float32Array[], blockFrames: number): Uint8Array {
  const writer = createWavWriter(options);
  const parts = [writer.header];
  const frames = signal[0]!.length;
  for (let at = 0; at < frames; at += blockFrames) parts.push(writer.encode(signal.map((ch) => ch.subarray(at, at + blockFrames))));
  const end = writer.finish();
  parts.push(end.tail);
  const file = concatBytes(parts);
  expect(end.header.length).toBe(writer.header.length);
  file.set(end.header, 0);
  return file;
}

describe("write then read", () => {
  for (const sampleFormat of SAMPLE_FORMATS) {
    for (const channels of [1, 2, 6, 8]) {
      it(`${sampleFormat}, ${channels} channel(s), with bext and iXML`, async () => {
        const frames = 1001; // odd: 8-bit mono needs the pad byte
        const signal = testSignal(channels, frames);
        const names = Array.from({ length: channels }, (_, i) => `DX ${i + 1} & "co"`);
        const file = write(
          { sampleRate: 48000, channels, sampleFormat, bext, ixml: { project: "Dubstage <test>", scene: "12A", take: "3", tracks: names } },
          signal,
          300,
        );
        expect(file.length % 2).toBe(0);

        const info = parseWavHeader(file);
        const bits = { pcm8: 8, pcm16: 16, pcm24: 24, pcm32: 32, float32: 32, float64: 64 }[sampleFormat];
        expect(info.container).toBe("RIFF");
        expect(info.format).toMatchObject({ sampleFormat, channels, sampleRate: 48000, bitsPerSample: bits, validBitsPerSample: bits });
        expect(info.format.extensible).toBe(channels > 2 || bits > 16);
        if (info.format.extensible)
          expect(info.format.channelMask).toBe({ 1: CHANNEL_MASK.MONO, 2: CHANNEL_MASK.STEREO, 6: 0x60f, 8: 0x63f }[channels]);
        expect(info.frames).toBe(frames);
        expect(info.dataBytes).toBe(frames * channels * (bits / 8));
        expect(info.dataOffset + info.dataBytes + (info.dataBytes & 1)).toBe(file.length);
        expect(info.chunks.map((c) => c.id)).toEqual(["JUNK", "fmt ", "bext", "iXML", "data"]);
        expect(info.warnings).toEqual([]);
        expect(info.bext).toEqual({ ...bext, version: 2 });
        expect(info.ixml?.tracks).toEqual(
          names.map((name, i) => ({ name, channelIndex: i + 1, interleaveIndex: i + 1, function: undefined })),
        );
        expect(info.ixml).toMatchObject({ project: "Dubstage <test>", scene: "12A", take: "3" });
        expect(info.ixml?.xml).toContain("<TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>172800000</TIMESTAMP_SAMPLES_SINCE_MIDNIGHT_LO>");

        // The same samples through all three kinds of source.
        const sources = [file, bufferByteSource(file), chunked(file, 777)];
        for (const source of sources) {
          const decoded = await readAll(await openWav(source), 256);
          for (let c = 0; c < channels; c++) {
            const want = signal[c]!.map((x) => expected(x, sampleFormat));
            expect(decoded[c]).toEqual(want);
            for (let i = 0; i < frames; i += 97) expect(Math.abs(decoded[c]![i]! - signal[c]![i]!)).toBeLessThanOrEqual(lsb[sampleFormat]);
          }
        }
      });
    }
  }

  it("writes the same bytes with the frame count up front as with the patched header", () => {
    const signal = testSignal(2, 500);
    const known = write({ sampleRate: 48000, channels: 2, sampleFormat: "pcm24", frames: 500 }, signal, 128);
    const patched = write({ sampleRate: 48000, channels: 2, sampleFormat: "pcm24" }, signal, 128);
    expect(patched).toEqual(known);
    expect(wavHeader({ sampleRate: 48000, channels: 2, sampleFormat: "pcm24", frames: 500 })).toEqual(
      known.subarray(0, parseWavHeader(known).dataOffset),
    );
  });

  it("leaves the sizes unknown (0xFFFFFFFF) until patched, so an unpatched file still reads when not strict", async () => {
    for (const rf64 of ["auto", "always", "never"] as const) {
      const signal = testSignal(2, 300);
      const writer = createWavWriter({ sampleRate: 48000, channels: 2, sampleFormat: "pcm16", rf64 });
      const unpatched = concatBytes([writer.header, writer.encode(signal)]);
      const end = writer.finish();
      expect(end.header.length).toBe(writer.header.length);
      expect(() => parseWavHeader(unpatched)).toThrow(/data-truncated/);
      const reader = await openWav(chunked(unpatched, 100), { strict: false });
      expect((await readAll(reader))[1]).toEqual(signal[1]!.map((x) => expected(x, "pcm16")));
      expect(reader.truncated).toEqual({ declaredBytes: 0xffffffff, availableBytes: 1200 });
      unpatched.set(end.header, 0);
      expect(parseWavHeader(unpatched)).toMatchObject({ frames: 300, container: rf64 === "always" ? "RF64" : "RIFF", warnings: [] });
    }
  });

  it("skips forward to a start frame on a stream", async () => {
    const signal = testSignal(2, 1000);
    const file = write({ sampleRate: 48000, channels: 2, sampleFormat: "pcm24" }, signal, 1000);
    const reader = await openWav(chunked(file, 333));
    const blocks = [];
    for await (const block of reader.blocks({ blockFrames: 512, startFrame: 900 })) blocks.push(block);
    expect(blocks.map((b) => b[0]!.length)).toEqual([100]);
    expect(blocks[0]![0]).toEqual(signal[0]!.subarray(900).map((x) => expected(x, "pcm24")));
  });

  it("writes plain PCM for mono/stereo 16-bit and when asked, extensible when asked", () => {
    expect(parseWavHeader(wavHeader({ sampleRate: 44100, channels: 2, sampleFormat: "pcm16", frames: 0 })).format.formatTag).toBe(1);
    expect(
      parseWavHeader(wavHeader({ sampleRate: 44100, channels: 2, sampleFormat: "pcm24", frames: 0, formatTag: "plain" })).format.formatTag,
    ).toBe(1);
    expect(
      parseWavHeader(wavHeader({ sampleRate: 44100, channels: 1, sampleFormat: "float32", frames: 0, formatTag: "plain" })).format,
    ).toMatchObject({ formatTag: 3, sampleFormat: "float32" });
    const ext = parseWavHeader(
      wavHeader({ sampleRate: 48000, channels: 6, sampleFormat: "pcm24", frames: 0, channelMask: CHANNEL_MASK.SURROUND_5_1_BACK }),
    );
    expect(ext.format).toMatchObject({ formatTag: 0xfffe, channelMask: 0x3f });
  });

  it("omits JUNK with rf64 never, and writes RF64 with rf64 always", async () => {
    const never = parseWavHeader(wavHeader({ sampleRate: 48000, channels: 1, sampleFormat: "pcm16", frames: 0, rf64: "never" }));
    expect(never.chunks.map((c) => c.id)).toEqual(["fmt ", "data"]);
    const signal = testSignal(2, 100);
    const file = write({ sampleRate: 48000, channels: 2, sampleFormat: "pcm24", rf64: "always" }, signal, 64);
    const reader = await openWav(chunked(file, 10));
    expect(reader.info.container).toBe("RF64");
    expect(reader.info.chunks.map((c) => c.id)).toEqual(["ds64", "fmt ", "data"]);
    expect(reader.info.frames).toBe(100);
    expect((await readAll(reader))[1]).toEqual(signal[1]!.map((x) => expected(x, "pcm24")));
  });

  it("reads from a start frame and for a frame count, in blocks of the size asked for", async () => {
    const signal = testSignal(3, 1000);
    const file = write({ sampleRate: 48000, channels: 3, sampleFormat: "pcm16" }, signal, 1000);
    const reader = await openWav(bufferByteSource(file));
    const lengths: number[] = [];
    const got: number[] = [];
    for await (const block of reader.blocks({ blockFrames: 64, startFrame: 100, frames: 150 })) {
      lengths.push(block[0]!.length);
      got.push(...block[2]!);
    }
    expect(lengths).toEqual([64, 64, 22]);
    expect(got).toEqual(Array.from(signal[2]!.subarray(100, 250), (x) => expected(x, "pcm16")));
  });
});
