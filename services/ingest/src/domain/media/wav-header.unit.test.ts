import { describe, expect, it } from "vitest";
import { WavHeaderError } from "./errors.ts";
import fixtures from "./fixtures/ffmpeg-wav-headers.json" with { type: "json" };
import { readWavHeader } from "./wav-header.ts";

const bytesOf = (hexText: string) => Uint8Array.from(hexText.match(/../g) ?? [], (h) => Number.parseInt(h, 16));

/** A little-endian RIFF file from chunks (id, body); `riffSize` overrides the declared RIFF size. */
function riff(chunks: readonly [string, Uint8Array | number][], options: { magic?: string; riffSize?: number } = {}): Uint8Array {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  const ascii = (s: string) => parts.push(...Array.from(s, (c) => c.charCodeAt(0)));
  for (const [id, body] of chunks) {
    ascii(id);
    if (typeof body === "number")
      u32(body); // a declared size with no body: a header that lies
    else {
      u32(body.length);
      parts.push(...body);
      if (body.length % 2 === 1) parts.push(0);
    }
  }
  const head: number[] = [];
  const magic = options.magic ?? "RIFF";
  head.push(...Array.from(magic, (c) => c.charCodeAt(0)));
  const size = options.riffSize ?? parts.length + 4;
  head.push(size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff);
  head.push(..."WAVE".split("").map((c) => c.charCodeAt(0)));
  return Uint8Array.from([...head, ...parts]);
}

function fmt(channels: number, rate: number, bits: number, tag = 1): Uint8Array {
  const b = new Uint8Array(16);
  const v = new DataView(b.buffer);
  v.setUint16(0, tag, true);
  v.setUint16(2, channels, true);
  v.setUint32(4, rate, true);
  v.setUint32(8, (rate * channels * bits) / 8, true);
  v.setUint16(12, (channels * bits) / 8, true);
  v.setUint16(14, bits, true);
  return b;
}

function bext(fields: { timeReference: bigint; version: number; umid?: Uint8Array; description?: string }): Uint8Array {
  const b = new Uint8Array(602 + 8);
  const v = new DataView(b.buffer);
  b.set(new TextEncoder().encode(fields.description ?? "take 1"), 0);
  v.setUint32(338, Number(fields.timeReference & 0xffffffffn), true);
  v.setUint32(342, Number(fields.timeReference >> 32n), true);
  v.setUint16(346, fields.version, true);
  if (fields.umid !== undefined) b.set(fields.umid, 348);
  b.set(new TextEncoder().encode("A=PCM\r\n"), 602);
  return b;
}

describe("readWavHeader on ffmpeg's files", () => {
  it("reads a Broadcast WAV: format, data, every bext field, the UMID", () => {
    const header = readWavHeader(bytesOf(fixtures.bwf.hex), { fileSize: fixtures.bwf.fileSize });
    expect(header.container).toBe("RIFF");
    // ffmpeg writes 24-bit PCM as WAVE_FORMAT_EXTENSIBLE (front centre for mono).
    expect(header.format).toEqual({
      formatTag: 0xfffe,
      encoding: "pcm",
      channels: 1,
      sampleRate: 48000,
      byteRate: 144000,
      blockAlign: 3,
      bitsPerSample: 24,
      validBitsPerSample: 24,
      channelMask: 4,
    });
    expect(header.lengthSamples).toBe(480);
    expect(header.dataOffset + header.dataSize).toBe(fixtures.bwf.fileSize);
    expect(header.bext).toEqual({
      description: "Sc12 T3 boom",
      originator: "Sound Devices 833",
      originatorReference: "USSDVABC123",
      originationDate: "2026-11-02",
      originationTime: "14:03:12",
      timeReference: 172_800_000n,
      version: expect.any(Number),
      // ffmpeg parses -metadata umid in 64-bit signed chunks, so "AABBCCDDEEFF0011" saturated to 7fff...: these
      // are the bytes in the file.
      umid: `060a2b340101010501010d43130000007fffffffffffffff2233445566778899${"0".repeat(64)}`,
      codingHistory: "A=PCM,F=48000,W=24,M=mono",
    });
    expect(header.bext?.version).toBeGreaterThanOrEqual(1);
    expect(header.ixml).toBeNull();
  });

  it("reads RF64 sizes from ds64 and an extensible float format", () => {
    const header = readWavHeader(bytesOf(fixtures.rf64.hex), { fileSize: fixtures.rf64.fileSize });
    expect(header.container).toBe("RF64");
    expect(header.format).toMatchObject({ formatTag: 0xfffe, encoding: "float", channels: 1, bitsPerSample: 32, sampleRate: 48000 });
    expect(header.lengthSamples).toBe(480);
    expect(header.dataSize).toBe(1920);
  });

  it("reads a 5.1 extensible PCM header with its channel mask", () => {
    const header = readWavHeader(bytesOf(fixtures.ext.hex), { fileSize: fixtures.ext.fileSize });
    expect(header.format).toMatchObject({ encoding: "pcm", channels: 6, bitsPerSample: 24, validBitsPerSample: 24, channelMask: 0x3f });
    expect(header.lengthSamples).toBe(480);
  });
});

describe("readWavHeader on built files", () => {
  it("takes a 64-bit time reference, ignores an all-zero UMID and a v0 UMID, and keeps iXML", () => {
    const ixml = new TextEncoder().encode("<BWFXML><PROJECT>Feature</PROJECT><TAPE>SR004</TAPE></BWFXML>");
    const file = riff([
      ["fmt ", fmt(2, 48000, 24)],
      ["bext", bext({ timeReference: (1n << 33n) + 5n, version: 1 })],
      ["iXML", ixml],
      ["data", new Uint8Array(6 * 10)],
    ]);
    const header = readWavHeader(file);
    expect(header.bext).toMatchObject({ timeReference: 8589934597n, umid: null, description: "take 1", codingHistory: "A=PCM" });
    expect(header.ixml).toBe("<BWFXML><PROJECT>Feature</PROJECT><TAPE>SR004</TAPE></BWFXML>");
    expect(header.lengthSamples).toBe(10);
    const v0 = readWavHeader(
      riff([
        ["fmt ", fmt(1, 48000, 16)],
        ["bext", bext({ timeReference: 1n, version: 0, umid: new Uint8Array(64).fill(7) })],
        ["data", new Uint8Array(4)],
      ]),
    );
    expect(v0.bext?.umid).toBeNull();
  });

  it("skips unknown chunks with odd sizes (padding) and warns on a partial last frame", () => {
    const header = readWavHeader(
      riff([
        ["junk", new Uint8Array(3)],
        ["fmt ", fmt(2, 44100, 16)],
        ["data", new Uint8Array(10)],
      ]),
    );
    expect(header.format.sampleRate).toBe(44100);
    expect(header.lengthSamples).toBe(2);
    expect(header.warnings).toEqual(["the data chunk (10 bytes) is not a whole number of 4-byte frames; the partial frame is ignored"]);
  });

  it.each([
    [
      "not RIFF",
      Uint8Array.from([..."OggS"].map((c) => c.charCodeAt(0)).concat(new Array(20).fill(0))),
      'not a WAV file (starts with "OggS") (at byte 0)',
    ],
    [
      "a chunk past the RIFF end",
      riff(
        [
          ["fmt ", fmt(1, 48000, 16)],
          ["bext", 5000],
          ["data", new Uint8Array(2)],
        ],
        { riffSize: 100 },
      ),
      'chunk "bext" of 5000 bytes runs past the end of the RIFF chunk (byte 108) (at byte 36)',
    ],
    [
      "a chunk past the bytes read",
      riff(
        [
          ["fmt ", fmt(1, 48000, 16)],
          ["LIST", 300000],
        ],
        { riffSize: 400000 },
      ),
      'chunk "LIST" of 300000 bytes runs past the 44 bytes read before any data chunk (at byte 36)',
    ],
    ["data before fmt", riff([["data", new Uint8Array(4)]]), "the data chunk comes before any fmt chunk (at byte 12)"],
    [
      "a short fmt",
      riff([
        ["fmt ", new Uint8Array(10)],
        ["data", new Uint8Array(4)],
      ]),
      "fmt chunk of 10 bytes is shorter than 16 (at byte 12)",
    ],
    [
      "no data chunk",
      riff([["fmt ", fmt(1, 48000, 16)]]),
      "no data chunk in the first 36 bytes (the RIFF chunk ended before one) (at byte 36)",
    ],
    [
      "a data size beyond the RIFF",
      riff([
        ["fmt ", fmt(1, 48000, 16)],
        ["data", 1 << 30],
      ]),
      "data chunk of 1073741824 bytes runs past the end of the RIFF chunk (byte 44) (at byte 36)",
    ],
    [
      "a block align that lies",
      riff([
        [
          "fmt ",
          (() => {
            const f = fmt(2, 48000, 16);
            f[12] = 3;
            return f;
          })(),
        ],
        ["data", new Uint8Array(4)],
      ]),
      "fmt block align 3 does not match 2 channels of 16 bits (at byte 12)",
    ],
  ])("refuses %s with a clear message", (_case, bytes, message) => {
    expect(() => readWavHeader(bytes)).toThrow(WavHeaderError);
    expect(() => readWavHeader(bytes)).toThrow(`WAV header: ${message}`);
  });

  it("refuses a data chunk longer than the file when the file size is given", () => {
    const file = riff(
      [
        ["fmt ", fmt(1, 48000, 16)],
        ["data", 1000],
      ],
      { riffSize: 2000 },
    );
    expect(() => readWavHeader(file, { fileSize: 500 })).toThrow("data chunk of 1000 bytes runs past the end of the 500-byte file");
  });
});
