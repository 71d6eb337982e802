import { describe, expect, it } from "vitest";
import { ditherNoise, ditherTo24Bit, outputDitherSeed } from "./dither.ts";

describe("TPDF dither to 24 bits", () => {
  it("draws triangular noise in (-1, +1) LSB: mean 0, variance 1/6, more near 0 than near the edges", () => {
    const n = 200_000;
    let sum = 0;
    let squares = 0;
    let centre = 0;
    let edge = 0;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const v = ditherNoise(172_800_000 + i, 0, 7);
      if (!(v > -1 && v < 1)) outside++;
      sum += v;
      squares += v * v;
      if (Math.abs(v) < 0.1) centre++;
      if (Math.abs(v) > 0.9) edge++;
    }
    expect(outside).toBe(0);
    expect(sum / n).toBeCloseTo(0, 2);
    expect(squares / n).toBeCloseTo(1 / 6, 2);
    // Triangular density: P(|v| < 0.1) = 0.19, P(|v| > 0.9) = 0.01.
    expect(centre / n).toBeCloseTo(0.19, 2);
    expect(edge / n).toBeCloseTo(0.01, 2);
  });

  it("is a function of position, channel and seed only", () => {
    expect(ditherNoise(123_456_789, 3, 9)).toBe(ditherNoise(123_456_789, 3, 9));
    expect(ditherNoise(123_456_789, 3, 9)).not.toBe(ditherNoise(123_456_790, 3, 9));
    expect(ditherNoise(123_456_789, 3, 9)).not.toBe(ditherNoise(123_456_789, 2, 9));
    expect(ditherNoise(123_456_789, 3, 9)).not.toBe(ditherNoise(123_456_789, 3, 10));
    // Positions 2^32 apart differ too (the high word is hashed).
    expect(ditherNoise(5, 0, 1)).not.toBe(ditherNoise(5 + 2 ** 32, 0, 1));
    expect(outputDitherSeed(1, "DX")).not.toBe(outputDitherSeed(1, "ME"));
  });

  it("quantises to codes within one LSB of x * 2^23, clamping at full scale", () => {
    const plane = Float32Array.from([0, 0.5, -0.5, 1, -1, 2, -2, 1 / 8388608, 0.25]);
    const [codes] = ditherTo24Bit([plane], 1000, 3);
    const expected = [0, 4194304, -4194304, 8388607, -8388608, 8388607, -8388608, 1, 2097152];
    codes?.forEach((code, i) => {
      expect(Math.abs(code - (expected[i] as number)), `sample ${i}`).toBeLessThanOrEqual(1);
      expect(code).toBeLessThanOrEqual(8388607);
      expect(code).toBeGreaterThanOrEqual(-8388608);
    });
    expect(codes?.[3]).toBe(8388607);
    expect(codes?.[4]).toBeGreaterThanOrEqual(-8388608);
  });

  it("codes are floor(x * 2^23 + ditherNoise(position, channel, seed) + 0.5), across the 2^32 wrap", () => {
    const plane = Float32Array.from({ length: 3000 }, (_, i) => Math.sin(i / 7) * 0.9);
    for (const start of [0, 172_800_000, 2 ** 32 - 1500, 3 * 2 ** 32 + 17]) {
      const [, codes] = ditherTo24Bit([plane, plane], start, 77);
      for (let i = 0; i < plane.length; i++) {
        const expected = Math.floor((plane[i] as number) * 8388608 + ditherNoise(start + i, 1, 77) + 0.5);
        if (codes?.[i] !== expected) expect.fail(`start ${start} sample ${i}: ${codes?.[i]} vs ${expected}`);
      }
    }
  });

  it("dithers silence to codes -1, 0 and +1 (all three occur)", () => {
    const [codes] = ditherTo24Bit([new Float32Array(50_000)], 0, 11);
    const values = new Set(codes);
    expect([...values].sort()).toEqual([-1, 0, 1]);
  });

  it("dithering slices at their own start positions equals dithering the whole", () => {
    const whole = Float32Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 10) * 0.3);
    const start = 2 ** 32 - 4000; // across the 32-bit wrap of the position
    const [a, b] = ditherTo24Bit([whole, whole], start, 5);
    let at = 0;
    for (const length of [1, 999, 2999, 1, 4000, 2000]) {
      const [x, y] = ditherTo24Bit([whole.subarray(at, at + length), whole.subarray(at, at + length)], start + at, 5);
      expect(Array.from(x as Int32Array)).toEqual(Array.from((a as Int32Array).subarray(at, at + length)));
      expect(Array.from(y as Int32Array)).toEqual(Array.from((b as Int32Array).subarray(at, at + length)));
      at += length;
    }
    expect(at).toBe(whole.length);
    // Channels get different noise.
    expect(Array.from(a as Int32Array)).not.toEqual(Array.from(b as Int32Array));
  });
});
