import { describe, expect, it } from "vitest";
import { parseWavHeader } from "./header.ts";
import { openWav } from "./reader.ts";
import { Bytes, pcmFmt } from "./test-support/build.ts";
import { chunked, readAll } from "./test-support/helpers.ts";
import { wavHeader } from "./writer.ts";

/** A tiny RF64 file by hand: every 32-bit size that ds64 overrides is 0xFFFFFFFF, and a LIST chunk is sized by the ds64 table. */
function handBuiltRf64(container = "RF64"): Uint8Array {
  const samples = [0x00, 0x40, 0x00, 0xc0, 0xff, 0x7f, 0x00, 0x80]; // stereo 16-bit: (0.5, -0.5), (32767, -32768)
  const fmt = pcmFmt(new Bytes(), 2, 48000, 16).bytes();
  const list = new Bytes().ascii("LIST").u32(0xffffffff).ascii("INFO").bytes();
  const dataHeader = new Bytes().ascii("data").u32(0xffffffff).bytes();
  const ds64Size = 28 + 12;
  const total = 12 + 8 + ds64Size + fmt.length + list.length + dataHeader.length + samples.length;
  return new Bytes()
    .ascii(container)
    .u32(0xffffffff)
    .ascii("WAVE")
    .ascii("ds64")
    .u32(ds64Size)
    .u64(BigInt(total - 8))
    .u64(BigInt(samples.length))
    .u64(2n)
    .u32(1)
    .ascii("LIST")
    .u64(4n)
    .u8(...fmt, ...list, ...dataHeader, ...samples)
    .bytes();
}

describe("RF64", () => {
  it("resolves data and table sizes through ds64 and decodes the samples", async () => {
    for (const container of ["RF64", "BW64"]) {
      const file = handBuiltRf64(container);
      const info = parseWavHeader(file);
      expect(info.container).toBe(container);
      expect(info.chunks.map((c) => [c.id, c.size])).toEqual([
        ["ds64", 40],
        ["fmt ", 16],
        ["LIST", 4],
        ["data", 8],
      ]);
      expect(info.frames).toBe(2);
      expect(info.warnings).toEqual([]);
      const [left, right] = await readAll(await openWav(chunked(file, 5)));
      expect(Array.from(left!)).toEqual([0.5, 32767 / 32768]);
      expect(Array.from(right!)).toEqual([-0.5, -1]);
    }
  });

  it("refuses RF64 without ds64 first, and a 0xFFFFFFFF size that ds64 does not resolve", () => {
    const noDs64 = handBuiltRf64();
    noDs64.set([0x4a, 0x55, 0x4e, 0x4b], 12); // "JUNK"
    expect(() => parseWavHeader(noDs64)).toThrow(/missing-chunk at byte 12: RF64 needs ds64/);
    const noEntry = handBuiltRf64();
    noEntry.set([0x58, 0x58, 0x58, 0x58], 48); // the table entry now names "XXXX", not "LIST"
    expect(() => parseWavHeader(noEntry)).toThrow(/chunk-size at byte 88: chunk "LIST" has size 0xFFFFFFFF but ds64 has no entry/);
  });

  it("refuses ds64 sizes past 2^53", () => {
    const file = handBuiltRf64();
    file.set([0, 0, 0, 0, 0, 0, 0x20, 0], 28); // data size 2^53
    expect(() => parseWavHeader(file)).toThrow(/chunk-size at byte 28: ds64 data size 9007199254740992 overflows 2\^53/);
  });

  it("writes a header that turns RF64 past 4 GiB in the same length as the JUNK-reserved RIFF one", () => {
    const options = { sampleRate: 48000, channels: 6, sampleFormat: "pcm24" as const, bext: { description: "long" } };
    const small = wavHeader({ ...options, frames: 1000 });
    // 4 GiB / 18 bytes per frame: the first frame count whose RIFF size passes 32 bits.
    const limit = Math.floor((0xffffffff - (small.length - 8)) / 18);
    const justFits = wavHeader({ ...options, frames: limit });
    const big = wavHeader({ ...options, frames: limit + 1 });
    expect(big.length).toBe(small.length);
    expect(new TextDecoder().decode(justFits.subarray(0, 4))).toBe("RIFF");
    expect(new TextDecoder().decode(big.subarray(0, 4))).toBe("RF64");
    const info = parseWavHeader(big, { fileSize: big.length + (limit + 1) * 18 });
    expect(info.container).toBe("RF64");
    expect(info.frames).toBe(limit + 1);
    expect(info.dataBytes).toBe((limit + 1) * 18);
    expect(info.bext?.description).toBe("long");
    // The JUNK of the small header sits exactly where ds64 sits in the big one.
    expect(new TextDecoder().decode(small.subarray(12, 16))).toBe("JUNK");
    expect(new TextDecoder().decode(big.subarray(12, 16))).toBe("ds64");
    // fmt and bext are the same; only the data size differs (0xFFFFFFFF in RF64).
    expect(big.subarray(48, big.length - 4)).toEqual(small.subarray(48, small.length - 4));
    expect(Array.from(big.subarray(big.length - 4))).toEqual([0xff, 0xff, 0xff, 0xff]);
    expect(justFits.length).toBe(small.length);
    expect(() => wavHeader({ ...options, frames: limit + 10, rf64: "never" })).toThrow(/need RF64, which rf64 "never" refuses/);
  });
});
