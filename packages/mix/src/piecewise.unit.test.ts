import { describe, expect, it } from "vitest";
import { dbToGain } from "./gain.ts";
import { curveAt, fillCurve, piecewise } from "./piecewise.ts";

const curve = piecewise([
  { x: 100, y: 0 },
  { x: 200, y: -20 },
  { x: 300, y: -20 },
  { x: 301, y: 6 },
]);

describe("piecewise-linear curves", () => {
  it("holds the first value before the first point and the last after the last", () => {
    expect(curveAt(curve, 0)).toBe(0);
    expect(curveAt(curve, 99)).toBe(0);
    expect(curveAt(curve, 301)).toBe(6);
    expect(curveAt(curve, 10_000)).toBe(6);
  });

  it("is each point's value exactly at the point", () => {
    expect(curveAt(curve, 100)).toBe(0);
    expect(curveAt(curve, 200)).toBe(-20);
    expect(curveAt(curve, 300)).toBe(-20);
  });

  it("is linear between points", () => {
    expect(curveAt(curve, 150)).toBe(-10);
    expect(curveAt(curve, 125)).toBe(-5);
    expect(curveAt(curve, 175)).toBe(-15);
    expect(curveAt(curve, 250)).toBe(-20);
  });

  it("fills the same numbers as curveAt from any starting sample, in values and in gains", () => {
    for (const x0 of [0, 50, 99, 100, 101, 150, 199, 200, 299, 300, 301]) {
      const values = new Float64Array(400);
      const gains = new Float64Array(400);
      fillCurve(values, 3, 350, x0, curve, 1.5, false);
      fillCurve(gains, 3, 350, x0, curve, 1.5, true);
      for (let i = 0; i < 350; i++) {
        expect(values[3 + i], `value at ${x0 + i}`).toBe(1.5 + curveAt(curve, x0 + i));
        expect(gains[3 + i], `gain at ${x0 + i}`).toBe(dbToGain(1.5 + curveAt(curve, x0 + i)));
      }
      expect(values[2]).toBe(0);
      expect(values[353]).toBe(0);
    }
  });

  it("a dB ramp halfway is the geometric mean in gain", () => {
    const g = new Float64Array(1);
    fillCurve(g, 0, 1, 150, curve, 0, true);
    expect(g[0]).toBeCloseTo(Math.sqrt(dbToGain(0) * dbToGain(-20)), 14);
    expect(dbToGain(-20)).toBeCloseTo(0.1, 15);
    expect(dbToGain(20 * Math.log10(0.5))).toBeCloseTo(0.5, 15);
  });

  it("a single point holds everywhere", () => {
    const one = piecewise([{ x: 10, y: -3 }]);
    const out = new Float64Array(30);
    fillCurve(out, 0, 30, 0, one, 0, false);
    expect(Array.from(out)).toEqual(Array.from({ length: 30 }, () => -3));
  });
});
