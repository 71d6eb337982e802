import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { AafEssenceError } from "./errors.ts";
import { generatedStreamReader, memoryStreamReader } from "./memory-stream-reader.test-support.ts";
import { rawPcmLayout, storedAifcLayout, storedWaveLayout } from "./stored-layout.ts";
import { wavFileBytes, wavHeader, wavHeaderBytes } from "./wav-header.ts";
import { collect, parseWav } from "./wav-reader.test-support.ts";
import { convertSamples, wavChunks } from "./wav-stream.ts";

const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const be16 = (n: number) => [(n >>> 8) & 0xff, n & 0xff];
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
/** 80-bit IEEE extended, for whole sample rates. */
function extended(rate: number): number[] {
  const exponent = Math.floor(Math.log2(rate));
  const mantissa = BigInt(rate) << BigInt(63 - exponent);
  const hi = Number(mantissa >> 32n);
  const lo = Number(mantissa & 0xffffffffn);
  return [...be16(16383 + exponent), ...be32(hi), ...be32(lo)];
}

/** A small AIFF or AIFC file: COMM (with `compression` for AIFC), then SSND with `samples` as stored. */
function aiff(opts: {
  channels: number;
  bits: number;
  rate: number;
  compression?: string;
  samples: number[];
  ssndOffset?: number;
}): Uint8Array {
  const aifc = opts.compression !== undefined;
  const sampleBytes = Math.ceil(opts.bits / 8);
  const frames = opts.samples.length / sampleBytes / opts.channels;
  const commBody = [...be16(opts.channels), ...be32(frames), ...be16(opts.bits), ...extended(opts.rate)];
  if (aifc) commBody.push(...ascii(opts.compression ?? "NONE"), 0);
  if (commBody.length % 2) commBody.push(0);
  const offset = opts.ssndOffset ?? 0;
  const ssndBody = [...be32(offset), ...be32(0), ...new Array(offset).fill(0xee), ...opts.samples];
  const chunks = [...ascii("COMM"), ...be32(commBody.length), ...commBody, ...ascii("SSND"), ...be32(ssndBody.length), ...ssndBody];
  if (ssndBody.length % 2) chunks.push(0);
  return Uint8Array.from([...ascii("FORM"), ...be32(4 + chunks.length), ...ascii(aifc ? "AIFC" : "AIFF"), ...chunks]);
}

describe("WAV header", () => {
  it("is a 44-byte PCM RIFF header whose sizes describe the data", () => {
    const header = wavHeader({ channels: 2, sampleRate: 48000, bitsPerSample: 24 }, 600);
    const wav = new Uint8Array(header.byteLength + 600);
    wav.set(header);
    expect(parseWav(wav)).toMatchObject({
      form: "RIFF",
      formatTag: 1,
      channels: 2,
      sampleRate: 48000,
      bitsPerSample: 24,
      blockAlign: 6,
      dataBytes: 600,
      frames: 100,
    });
    expect(wavFileBytes(600)).toBe(644);
    expect(wavFileBytes(601)).toBe(646); // pad byte
  });

  it("becomes RF64 with a ds64 chunk when the RIFF size passes 32 bits", () => {
    const big = 2 ** 32; // 4 GiB of data
    expect(wavHeaderBytes(0xffffffff - 37)).toBe(44); // 36 + data = 0xfffffffe still fits
    expect(wavHeaderBytes(0xffffffff - 35)).toBe(80);
    const header = wavHeader({ channels: 2, sampleRate: 48000, bitsPerSample: 24 }, big);
    const view = new DataView(header.buffer);
    const tag = (at: number) => String.fromCharCode(...header.subarray(at, at + 4));
    expect([tag(0), tag(8), tag(12), tag(48), tag(72)]).toEqual(["RF64", "WAVE", "ds64", "fmt ", "data"]);
    expect(view.getUint32(4, true)).toBe(0xffffffff);
    expect(view.getBigUint64(20, true)).toBe(BigInt(big + 72)); // RIFF size: the file less 8
    expect(view.getBigUint64(28, true)).toBe(BigInt(big));
    expect(view.getBigUint64(36, true)).toBe(BigInt(Math.floor(big / 6))); // sample frames
    expect(view.getUint32(76, true)).toBe(0xffffffff);
  });
});

describe("sample conversion", () => {
  it("reverses 16/24/32-bit samples and flips 8-bit signs", () => {
    expect([...convertSamples(Uint8Array.of(1, 2, 3, 4), 2, true, false)]).toEqual([2, 1, 4, 3]);
    expect([...convertSamples(Uint8Array.of(1, 2, 3, 4, 5, 6), 3, true, false)]).toEqual([3, 2, 1, 6, 5, 4]);
    expect([...convertSamples(Uint8Array.of(1, 2, 3, 4), 4, true, false)]).toEqual([4, 3, 2, 1]);
    expect([...convertSamples(Int8Array.of(-128, -1, 0, 127) as unknown as Uint8Array, 1, false, true)]).toEqual([0, 127, 128, 255]);
  });
});

describe("AIFF/AIFC to WAV", () => {
  const samples24 = [0x12, 0x34, 0x56, 0xff, 0xee, 0xdd, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00]; // 2 frames x 2 ch, big-endian
  it.each([1, 2, 5, 7, 1024])("converts big-endian 24-bit stereo with %i-byte chunks (samples cut across chunks)", async (chunkBytes) => {
    const stored = aiff({ channels: 2, bits: 24, rate: 48000, compression: "NONE", samples: samples24, ssndOffset: 3 });
    const reader = memoryStreamReader(stored);
    const layout = await storedAifcLayout(reader, "t");
    const wav = await collect(wavChunks(reader, layout, chunkBytes, "t"));
    expect(wav.byteLength).toBe(layout.wavBytes);
    const parsed = parseWav(wav);
    expect(parsed).toMatchObject({ channels: 2, sampleRate: 48000, bitsPerSample: 24, frames: 2 });
    expect([...wav.subarray(parsed.dataOffset)]).toEqual([0x56, 0x34, 0x12, 0xdd, 0xee, 0xff, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80]);
  });

  it("converts 8-bit AIFF (signed) to unsigned WAV, with the pad byte after odd data", async () => {
    const stored = aiff({ channels: 1, bits: 8, rate: 44100, samples: [0x80, 0xff, 0x00] });
    const reader = memoryStreamReader(stored);
    const wav = await collect(wavChunks(reader, await storedAifcLayout(reader, "t"), 2, "t"));
    const parsed = parseWav(wav);
    expect(parsed).toMatchObject({ sampleRate: 44100, bitsPerSample: 8, frames: 3 });
    expect([...wav.subarray(parsed.dataOffset)]).toEqual([0x00, 0x7f, 0x80, 0]);
  });

  it("passes sowt (little-endian) samples through", async () => {
    const stored = aiff({ channels: 1, bits: 16, rate: 48000, compression: "sowt", samples: [1, 2, 3, 4] });
    const reader = memoryStreamReader(stored);
    const wav = await collect(wavChunks(reader, await storedAifcLayout(reader, "t"), 3, "t"));
    expect([...wav.subarray(parseWav(wav).dataOffset)]).toEqual([1, 2, 3, 4]);
  });

  it("refuses compressed AIFC, naming the compression", async () => {
    const stored = aiff({ channels: 1, bits: 32, rate: 48000, compression: "fl32", samples: [0, 0, 0, 0] });
    await expect(storedAifcLayout(memoryStreamReader(stored), 'essence "x"')).rejects.toThrow(
      /essence "x": AIFC compression "fl32".*only NONE, twos and sowt/,
    );
  });
});

describe("stored WAVE", () => {
  it("refuses a stream that is not a RIFF WAVE file, and a truncated one", async () => {
    await expect(storedWaveLayout(memoryStreamReader(Uint8Array.from(ascii("FORM....AIFF"))), "w")).rejects.toThrow(AafEssenceError);
    const header = wavHeader({ channels: 1, sampleRate: 8000, bitsPerSample: 16 }, 100);
    const truncated = new Uint8Array(header.byteLength + 50);
    truncated.set(header);
    await expect(storedWaveLayout(memoryStreamReader(truncated), 'essence "w"')).rejects.toThrow(/essence "w": the WAVE file is truncated/);
  });

  it("passes a stored WAVE file through byte for byte", async () => {
    const header = wavHeader({ channels: 1, sampleRate: 8000, bitsPerSample: 16 }, 10);
    const stored = new Uint8Array(header.byteLength + 10).map((_, i) => header[i] ?? i);
    const reader = memoryStreamReader(stored);
    const layout = await storedWaveLayout(reader, "w");
    expect(layout).toMatchObject({ container: "wave", dataBytes: 10, wavBytes: 54 });
    expect([...(await collect(wavChunks(reader, layout, 7, "w")))]).toEqual([...stored]);
  });
});

describe("raw PCM", () => {
  it("gets a header from the descriptor's format", async () => {
    const reader = memoryStreamReader(Uint8Array.of(1, 2, 3, 4, 5, 6));
    const wav = await collect(wavChunks(reader, rawPcmLayout(reader, { channels: 1, sampleRate: 16000, bitsPerSample: 16 }, "p"), 4, "p"));
    expect(parseWav(wav)).toMatchObject({ sampleRate: 16000, frames: 3 });
    expect([...wav.subarray(44)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(() => rawPcmLayout(reader, { channels: 1, sampleRate: 0, bitsPerSample: 16 }, 'essence "p"')).toThrow(
      /essence "p": the descriptor does not give a usable PCM format/,
    );
  });
});

describe("RF64 end to end", () => {
  it("an essence of more than 4 GiB streams with an RF64 header whose ds64 holds the real sizes", async () => {
    const size = 6 * 716_000_000; // 716 M frames of 24-bit stereo: 4.296 GB, past 4 GiB
    const reader = generatedStreamReader(new Uint8Array(0), size);
    const layout = rawPcmLayout(reader, { channels: 2, sampleRate: 48000, bitsPerSample: 24 }, "big");
    expect(layout.wavBytes).toBe(80 + size);
    const chunks: Uint8Array[] = [];
    for await (const chunk of wavChunks(reader, layout, 1 << 16, "big")) {
      chunks.push(chunk.slice());
      if (chunks.length === 2) break; // the header and the first data chunk; the rest is the same bytes
    }
    const start = new Uint8Array(80 + 64);
    start.set(chunks[0] as Uint8Array);
    start.set((chunks[1] as Uint8Array).subarray(0, 64), 80);
    const view = new DataView(start.buffer);
    expect(String.fromCharCode(...start.subarray(0, 4))).toBe("RF64");
    expect(view.getBigUint64(28, true)).toBe(BigInt(size));
    expect(view.getBigUint64(36, true)).toBe(BigInt(size / 6));
    expect([...start.subarray(80, 144)]).toEqual([...(await reader.read(0, 64))]);
  });
});

describe("reading ahead", () => {
  it("reads one chunk ahead, and no further when the consumer stops early", async () => {
    const inner = memoryStreamReader(new Uint8Array(1000));
    let reads = 0;
    const reader = {
      ...inner,
      chunks: (n: number) => ({
        async *[Symbol.asyncIterator]() {
          for await (const c of inner.chunks(n)) {
            reads++;
            yield c;
          }
        },
      }),
    };
    for await (const _chunk of wavChunks(
      reader,
      rawPcmLayout(reader, { channels: 1, sampleRate: 8000, bitsPerSample: 16 }, "p"),
      100,
      "p",
    )) {
      if (reads >= 1) break; // the header, then the first data chunk is pending
    }
    expect(reads).toBeLessThanOrEqual(2);
  });

  it("passes a read error through", async () => {
    const inner = memoryStreamReader(new Uint8Array(1000));
    const reader = {
      ...inner,
      chunks: (n: number) => ({
        async *[Symbol.asyncIterator]() {
          yield (await inner.read(0, n)) as Uint8Array;
          throw new Error("disk gone");
        },
      }),
    };
    const layout = rawPcmLayout(reader, { channels: 1, sampleRate: 8000, bitsPerSample: 16 }, "p");
    await expect(collect(wavChunks(reader, layout, 100, "p"))).rejects.toThrow("disk gone");
  });
});

describe("bounded memory", () => {
  it("streams 200 MB of big-endian 24-bit AIFF through small chunks with little heap growth", async () => {
    const dataBytes = 200 * 1024 * 1024 - ((200 * 1024 * 1024) % 6);
    const head = aiff({ channels: 2, bits: 24, rate: 48000, compression: "NONE", samples: [] });
    // Patch the COMM frame count and the SSND size for the data that follows the header.
    const view = new DataView(head.buffer);
    view.setUint32(4, head.byteLength - 8 + dataBytes, false);
    view.setUint32(22, dataBytes / 6, false);
    view.setUint32(head.byteLength - 12, 8 + dataBytes, false);
    const reader = generatedStreamReader(head, head.byteLength + dataBytes);
    const layout = await storedAifcLayout(reader, "big");
    expect(layout.dataBytes).toBe(dataBytes);
    // A collector we can call, so what is measured is what is kept, not garbage not yet collected.
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    gc();
    const before = process.memoryUsage();
    let total = 0;
    let peakHeap = 0;
    let n = 0;
    for await (const chunk of wavChunks(reader, layout, 64 * 1024 + 1, "big")) {
      total += chunk.byteLength;
      if (++n % 256 === 0) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 5)); // array buffers are freed off the main thread
        gc();
        const now = process.memoryUsage();
        peakHeap = Math.max(peakHeap, now.heapUsed + now.arrayBuffers);
      }
    }
    expect(total).toBe(layout.wavBytes);
    const growthMiB = (peakHeap - before.heapUsed - before.arrayBuffers) / 2 ** 20;
    expect(growthMiB).toBeLessThan(8); // 200 MB went through; about two 64 KiB chunks are alive at a time
  }, 60_000);
});
