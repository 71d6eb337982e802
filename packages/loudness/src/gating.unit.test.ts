import { describe, expect, it } from "vitest";
import {
  gatedLoudnessFromGatingBlocks,
  integratedFromBlocks,
  loudnessRangeFromShortTerm,
  lufsToEnergy,
  slidingWindowEnergies,
} from "./index.ts";

describe("gating over block energies", () => {
  const e20 = lufsToEnergy(-20);

  it("integrated: the relative gate drops the -40 blocks but keeps the gating blocks that straddle the step", () => {
    // 40 blocks of 100 ms at -20 LUFS, then 40 at -40. Gating blocks: 37 at -20, three mixed (3/4, 1/2,
    // 1/4 of -20), 37 at -40. Relative gate: power mean of all 77 (-22.97) - 10 = -32.97 LUFS.
    const blocks = Float64Array.from({ length: 80 }, (_, i) => (i < 40 ? e20 : e20 / 100));
    const expected = -20 + 10 * Math.log10((37 + 0.7525 + 0.505 + 0.2575) / 40);
    expect(integratedFromBlocks(blocks)).toBeCloseTo(expected, 10);
    const g = gatedLoudnessFromGatingBlocks(slidingWindowEnergies(blocks, 4));
    expect(g.gatingBlockCount).toBe(77);
    expect(g.keptBlockCount).toBe(40);
    expect(g.relativeThresholdLufs).toBeCloseTo(-20 + 10 * Math.log10((38.515 + 0.37) / 77) - 10, 10);
  });

  it("integrated: nothing above -70 LUFS, or under 400 ms, is -Infinity", () => {
    expect(integratedFromBlocks(new Float64Array(50).fill(lufsToEnergy(-75)))).toBe(Number.NEGATIVE_INFINITY);
    expect(integratedFromBlocks(new Float64Array(3).fill(e20))).toBe(Number.NEGATIVE_INFINITY);
    expect(integratedFromBlocks(new Float64Array(4).fill(e20))).toBeCloseTo(-20, 10);
  });

  it("loudness range: 10th and 95th percentile with the Tech 3342 index rule", () => {
    // -30..-11 LUFS: all pass both gates; n = 20, indices round(1.9) = 2 and round(18.05) = 18.
    const st = Array.from({ length: 20 }, (_, i) => -30 + i);
    const r = loudnessRangeFromShortTerm(st.reverse());
    expect(r.lowLufs).toBeCloseTo(-28, 10);
    expect(r.highLufs).toBeCloseTo(-12, 10);
    expect(r.loudnessRangeLu).toBeCloseTo(16, 10);
    expect(r.keptCount).toBe(20);
  });

  it("loudness range: the -20 LU relative gate and the -70 absolute gate remove quiet values", () => {
    const r = loudnessRangeFromShortTerm([-10, -10, -10, -10, -45, -80, Number.NEGATIVE_INFINITY]);
    expect(r.keptCount).toBe(4);
    expect(r.loudnessRangeLu).toBeCloseTo(0, 10);
    expect(loudnessRangeFromShortTerm([]).loudnessRangeLu).toBe(0);
  });
});
