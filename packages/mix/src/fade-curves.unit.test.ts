import { describe, expect, it } from "vitest";
import { applyFade, fadeGain } from "./fade-curves.ts";
import { FADE_SHAPES } from "./plan.ts";

describe("fade curves", () => {
  it("every shape starts at 0 and ends at 1", () => {
    for (const shape of FADE_SHAPES) {
      expect(fadeGain(shape, 0), shape).toBe(0);
      expect(fadeGain(shape, 1), shape).toBe(1);
    }
  });

  it("has the documented value at the middle", () => {
    expect(fadeGain("LINEAR", 0.5)).toBe(0.5);
    expect(fadeGain("EQUAL_POWER", 0.5)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(fadeGain("S_CURVE", 0.5)).toBeCloseTo(0.5, 15);
    expect(fadeGain("EXPONENTIAL", 0.5)).toBeCloseTo((Math.sqrt(1000) - 1) / 999, 15); // 0.03065
    expect(fadeGain("LOGARITHMIC", 0.5)).toBeCloseTo(Math.log10(500.5) / 3, 15); // 0.8998
  });

  it("has the documented value at a quarter", () => {
    expect(fadeGain("LINEAR", 0.25)).toBe(0.25);
    expect(fadeGain("EQUAL_POWER", 0.25)).toBeCloseTo(Math.sin(Math.PI / 8), 15);
    expect(fadeGain("S_CURVE", 0.25)).toBeCloseTo((1 - Math.SQRT1_2) / 2, 15);
    expect(fadeGain("EXPONENTIAL", 0.25)).toBeCloseTo((1000 ** 0.25 - 1) / 999, 15);
    expect(fadeGain("LOGARITHMIC", 0.25)).toBeCloseTo(Math.log10(250.75) / 3, 15);
  });

  it("rises monotonically", () => {
    for (const shape of FADE_SHAPES) {
      let previous = -1;
      for (let k = 0; k <= 1000; k++) {
        const g = fadeGain(shape, k / 1000);
        expect(g, `${shape} at ${k}`).toBeGreaterThan(previous);
        previous = g;
      }
    }
  });

  it("EXPONENTIAL and LOGARITHMIC are inverse functions", () => {
    for (const t of [0.1, 0.3, 0.5, 0.9]) {
      expect(fadeGain("LOGARITHMIC", fadeGain("EXPONENTIAL", t))).toBeCloseTo(t, 12);
    }
  });

  it("a crossfade's halves are complementary: amplitude for LINEAR and S_CURVE, power for EQUAL_POWER", () => {
    for (let k = 0; k <= 64; k++) {
      const t = k / 64;
      expect(fadeGain("LINEAR", t) + fadeGain("LINEAR", 1 - t)).toBeCloseTo(1, 15);
      expect(fadeGain("S_CURVE", t) + fadeGain("S_CURVE", 1 - t)).toBeCloseTo(1, 15);
      expect(fadeGain("EQUAL_POWER", t) ** 2 + fadeGain("EQUAL_POWER", 1 - t) ** 2).toBeCloseTo(1, 15);
    }
  });

  it("applyFade multiplies by g(k/L) for a fade-in and g((L-k)/L) for a fade-out, from any first sample", () => {
    const length = 10;
    for (const shape of FADE_SHAPES) {
      const full = new Float64Array(length).fill(2);
      applyFade(full, 0, length, 0, length, shape, false);
      const fullOut = new Float64Array(length).fill(2);
      applyFade(fullOut, 0, length, 0, length, shape, true);
      for (let k = 0; k < length; k++) {
        expect(full[k], `${shape} in ${k}`).toBe(2 * fadeGain(shape, k / length));
        expect(fullOut[k], `${shape} out ${k}`).toBe(2 * fadeGain(shape, (length - k) / length));
      }
      expect(full[0]).toBe(0);
      expect(fullOut[0]).toBe(2);
      // A part of the fade, placed at another buffer index, gives the same numbers.
      const part = new Float64Array(20).fill(2);
      applyFade(part, 7, 4, 3, length, shape, true);
      expect(Array.from(part.subarray(7, 11))).toEqual(Array.from(fullOut.subarray(3, 7)));
      expect(part[6]).toBe(2);
      expect(part[11]).toBe(2);
    }
  });
});
