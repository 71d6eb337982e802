import type { ByteSource } from "@dubstage/aaf";
import { describe, expect, it } from "vitest";
import { MxfFormatError } from "./errors.ts";
import type { MxfFile } from "./open-mxf.ts";
import { mxfAudioAsWav, wavHeader } from "./wav.ts";

const text = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4));
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function fileOf(essence: MxfFile["essence"], audio: Partial<NonNullable<MxfFile["audio"]>> = {}): MxfFile {
  const lengthBytes = essence.reduce((n, r) => n + r.length, 0);
  const base = {
    sampleRate: 48000,
    channels: 2,
    bitDepth: 24,
    blockAlign: 6,
    essenceContainer: "wave",
    wrapping: "clip",
    ...audio,
  } as const;
  return {
    operationalPattern: "OP-Atom",
    filePackageUmid: "00".repeat(32),
    materialPackageUmid: null,
    packageName: null,
    descriptor: "WaveAudioDescriptor",
    audio: { ...base, lengthSamples: Math.floor(lengthBytes / base.blockAlign) },
    startTimecode: null,
    essence,
    soundTrackIds: [1],
    runIn: 0,
  };
}

/** A source of `size` bytes that makes each byte from its offset, without holding them. */
function patternSource(size: number): ByteSource & { largestRead: number } {
  const source = {
    size,
    largestRead: 0,
    async read(offset: number, length: number) {
      const n = Math.max(0, Math.min(length, size - offset));
      source.largestRead = Math.max(source.largestRead, n);
      return Uint8Array.from({ length: n }, (_, i) => (offset + i) & 0xff);
    },
  };
  return source;
}

describe("wavHeader", () => {
  it("plain PCM for stereo 24-bit: RIFF size, fmt fields, data size", () => {
    const h = wavHeader({ sampleRate: 48000, channels: 2, bitDepth: 24, blockAlign: 6 }, 600);
    expect(h.byteLength).toBe(44);
    expect([text(h, 0), text(h, 8), text(h, 12), text(h, 36)]).toEqual(["RIFF", "WAVE", "fmt ", "data"]);
    const v = view(h);
    expect([v.getUint32(4, true), v.getUint16(20, true), v.getUint16(22, true), v.getUint32(24, true)]).toEqual([36 + 600, 1, 2, 48000]);
    expect([v.getUint32(28, true), v.getUint16(32, true), v.getUint16(34, true), v.getUint32(40, true)]).toEqual([288000, 6, 24, 600]);
  });

  it("WAVE_FORMAT_EXTENSIBLE for 20 meaningful bits in 24 and for more than two channels", () => {
    const h = wavHeader({ sampleRate: 48000, channels: 1, bitDepth: 20, blockAlign: 3 }, 3);
    const v = view(h);
    expect([v.getUint32(16, true), v.getUint16(20, true), v.getUint16(34, true), v.getUint16(38, true)]).toEqual([40, 0xfffe, 24, 20]);
    expect(h.byteLength).toBe(68);
    expect(view(wavHeader({ sampleRate: 48000, channels: 6, bitDepth: 16, blockAlign: 12 }, 12)).getUint16(20, true)).toBe(0xfffe);
  });

  it("RF64 with a ds64 chunk once the RIFF size passes 4 GiB", () => {
    const data = 6 * 2 ** 30;
    const h = wavHeader({ sampleRate: 48000, channels: 2, bitDepth: 24, blockAlign: 6 }, data);
    const v = view(h);
    expect([text(h, 0), text(h, 12), text(h, 48), text(h, 72)]).toEqual(["RF64", "ds64", "fmt ", "data"]);
    expect(v.getUint32(4, true)).toBe(0xffffffff);
    expect(Number(v.getBigUint64(20, true))).toBe(4 + 36 + 24 + 8 + data); // RIFF size
    expect(Number(v.getBigUint64(28, true))).toBe(data);
    expect(Number(v.getBigUint64(36, true))).toBe(data / 6);
    expect(v.getUint32(76, true)).toBe(0xffffffff);
    // Just under the limit stays RIFF.
    expect(text(wavHeader({ sampleRate: 48000, channels: 2, bitDepth: 24, blockAlign: 6 }, 0xffff_ffff - 36 - 3), 0)).toBe("RIFF");
  });
});

describe("mxfAudioAsWav", () => {
  it("streams 5 GiB as RF64 in chunks of at most chunkBytes, never reading more at once", async () => {
    const size = 5 * 2 ** 30 + 100;
    const source = patternSource(size);
    const chunks = mxfAudioAsWav(fileOf([{ offset: 100, length: 5 * 2 ** 30 }]), source, { chunkBytes: 65_536 });
    const seen: Uint8Array[] = [];
    for await (const chunk of chunks) {
      seen.push(chunk);
      if (seen.length === 4) break;
    }
    expect(text(seen[0] as Uint8Array, 0)).toBe("RF64");
    expect(seen.slice(1).map((c) => c.byteLength)).toEqual([65_536, 65_536, 65_536]);
    expect(seen[1]?.[0]).toBe(100); // the first essence byte
    expect(source.largestRead).toBe(65_536);
  });

  it("joins frame-wrapped ranges (one read window spanning several) and drops a trailing partial sample frame", async () => {
    const file = fileOf(
      [
        { offset: 10, length: 12 },
        { offset: 40, length: 13 },
      ],
      { channels: 1, bitDepth: 16, blockAlign: 2 },
    );
    expect(file.audio?.lengthSamples).toBe(12);
    const expected = [...Array.from({ length: 12 }, (_, i) => 10 + i), ...Array.from({ length: 12 }, (_, i) => 40 + i)];
    for (const chunkBytes of [5, 1000]) {
      const source = patternSource(1000);
      const parts: Uint8Array[] = [];
      for await (const c of mxfAudioAsWav(file, source, { chunkBytes })) parts.push(c);
      expect([...Buffer.concat(parts.slice(1))], `chunkBytes ${chunkBytes}`).toEqual(expected);
      expect(parts.slice(1, -1).every((c) => c.byteLength === chunkBytes)).toBe(true);
    }
  });

  it("ranges holding fewer bytes than lengthSamples needs are an MxfFormatError, not a short WAV", async () => {
    const file = { ...fileOf([{ offset: 0, length: 60 }]), essence: [{ offset: 0, length: 30 }] };
    await expect(
      (async () => {
        for await (const _ of mxfAudioAsWav(file, patternSource(100)));
      })(),
    ).rejects.toThrow(/fewer than the 60 bytes/);
  });

  it("an essence range the source does not hold (a shorter file) is an MxfFormatError", async () => {
    const it = mxfAudioAsWav(fileOf([{ offset: 0, length: 6000 }]), patternSource(3000));
    await it.next(); // header
    await expect(it.next()).rejects.toThrow(MxfFormatError);
  });

  it("rejects a chunk size outside 1 byte to 64 MiB", async () => {
    await expect(mxfAudioAsWav(fileOf([]), patternSource(0), { chunkBytes: 0 }).next()).rejects.toThrow(RangeError);
  });
});
