import { describe, expect, it } from "vitest";
import { decodeFrames, encodeFrames, floatToInt8, floatToInt16, floatToInt24, floatToInt32, intToFloat } from "./samples.ts";

describe("floatToInt24", () => {
  it("rounds x × 2^23 with halves going up and clips to 24 bits", () => {
    expect(floatToInt24(0)).toBe(0);
    expect(floatToInt24(0.5)).toBe(4194304);
    expect(floatToInt24(1)).toBe(8388607);
    expect(floatToInt24(1.5)).toBe(8388607);
    expect(floatToInt24(-1)).toBe(-8388608);
    expect(floatToInt24(-2)).toBe(-8388608);
    expect(floatToInt24(0.5 / 8388608)).toBe(1); // +0.5 LSB goes up
    expect(floatToInt24(-0.5 / 8388608)).toBe(0); // -0.5 LSB goes up too (towards +inf)
    expect(floatToInt24(-1.5 / 8388608)).toBe(-1);
    expect(floatToInt24(0.49 / 8388608)).toBe(0);
    expect(floatToInt24(Number.NaN)).toBe(0);
    expect(floatToInt24(Number.POSITIVE_INFINITY)).toBe(8388607);
  });

  it("inverts intToFloat exactly for every 24-bit value on a stride, including both extremes", () => {
    for (let v = -8388608; v <= 8388607; v += 4093) {
      expect(floatToInt24(Math.fround(intToFloat(v, 24)))).toBe(v);
    }
    expect(floatToInt24(intToFloat(8388607, 24))).toBe(8388607);
  });

  it("has 8, 16 and 32-bit siblings with the same rule", () => {
    expect([floatToInt8(1), floatToInt8(-1), floatToInt8(0.5)]).toEqual([127, -128, 64]);
    expect([floatToInt16(1), floatToInt16(-1), floatToInt16(-0.25)]).toEqual([32767, -32768, -8192]);
    expect([floatToInt32(1), floatToInt32(-1), floatToInt32(0.25)]).toEqual([2147483647, -2147483648, 536870912]);
  });
});

describe("encodeFrames / decodeFrames", () => {
  it("interleaves little-endian 24-bit samples in channel order", () => {
    const bytes = encodeFrames([new Float32Array([1, -1]), new Float32Array([0, intToFloat(0x123456, 24)])], "pcm24");
    expect(Array.from(bytes)).toEqual([0xff, 0xff, 0x7f, 0, 0, 0, 0x00, 0x00, 0x80, 0x56, 0x34, 0x12]);
  });

  it("stores 8-bit as unsigned with 128 as zero", () => {
    const bytes = encodeFrames([new Float32Array([0, 1, -1])], "pcm8");
    expect(Array.from(bytes)).toEqual([128, 255, 0]);
    expect(Array.from(decodeFrames(bytes, "pcm8", 1, 3)[0]!)).toEqual([0, 127 / 128, -1]);
  });

  it("refuses channels of different lengths", () => {
    expect(() => encodeFrames([new Float32Array(2), new Float32Array(3)], "pcm16")).toThrow(/channel 1 has 3 samples/);
  });
});
