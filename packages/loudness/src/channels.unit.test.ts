import { describe, expect, it } from "vitest";
import {
  channelWeights,
  createLoudnessMeter,
  InvalidLoudnessInputError,
  kWeightingGainDb,
  positionsFromChannelMask,
  weightForPosition,
} from "./index.ts";
import { toneSegments } from "./testing/synth.ts";

describe("channel weights", () => {
  it("weights the named layouts per BS.1770-4 (LFE 0, |az| 60..120 at ear height 1.41, others 1)", () => {
    expect(Array.from(channelWeights("stereo"))).toEqual([1, 1]);
    expect(Array.from(channelWeights("5.1"))).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(Array.from(channelWeights("5.1-film"))).toEqual([1, 1, 1, 1.41, 1.41, 0]);
    expect(Array.from(channelWeights("7.1"))).toEqual([1, 1, 1, 0, 1.41, 1.41, 1, 1]);
    expect(Array.from(channelWeights("7.1.4"))).toEqual([1, 1, 1, 0, 1.41, 1.41, 1, 1, 1, 1, 1, 1]);
  });

  it("applies the azimuth and elevation limits inclusively at 60 and 120 degrees, exclusively at 30 degrees up", () => {
    expect(weightForPosition({ label: "a", azimuthDeg: 60, elevationDeg: 0 })).toBe(1.41);
    expect(weightForPosition({ label: "a", azimuthDeg: -120, elevationDeg: 0 })).toBe(1.41);
    expect(weightForPosition({ label: "a", azimuthDeg: 59, elevationDeg: 0 })).toBe(1);
    expect(weightForPosition({ label: "a", azimuthDeg: 135, elevationDeg: 0 })).toBe(1);
    expect(weightForPosition({ label: "a", azimuthDeg: 90, elevationDeg: 29 })).toBe(1.41);
    expect(weightForPosition({ label: "a", azimuthDeg: 90, elevationDeg: 30 })).toBe(1);
    expect(weightForPosition({ label: "a", azimuthDeg: 250, elevationDeg: 0 })).toBe(1.41); // = -110
  });

  it("reads WAVE_FORMAT_EXTENSIBLE masks in bit order, BL/BR as 5.1 surrounds only without SL/SR", () => {
    expect(Array.from(channelWeights({ channelMask: 0x3f, channelCount: 6 }))).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(Array.from(channelWeights({ channelMask: 0x60f, channelCount: 6 }))).toEqual([1, 1, 1, 0, 1.41, 1.41]);
    expect(Array.from(channelWeights({ channelMask: 0x63f, channelCount: 8 }))).toEqual([1, 1, 1, 0, 1, 1, 1.41, 1.41]);
    expect(positionsFromChannelMask(0x2d63f, 12).map((p) => p.label)).toEqual([
      "FL",
      "FR",
      "FC",
      "LFE",
      "BL",
      "BR",
      "SL",
      "SR",
      "TFL",
      "TFR",
      "TBL",
      "TBR",
    ]);
    expect(Array.from(channelWeights({ channelMask: 0x3, channelCount: 3 }))).toEqual([1, 1, 1]);
  });

  it("rejects masks naming more speakers than channels, or unknown bits", () => {
    expect(() => channelWeights({ channelMask: 0x3f, channelCount: 2 })).toThrow(InvalidLoudnessInputError);
    expect(() => channelWeights({ channelMask: 0x80000, channelCount: 8 })).toThrow(/outside/);
    expect(() => channelWeights([1, -1])).toThrow(/weight/);
  });

  it("measures channel 7 of an 8-channel 7.1 file (channels past the fifth are not ignored)", () => {
    const level = -20;
    const planes = toneSegments(48000, 8, 1000, [{ durationS: 10, levelDbfs: [null, null, null, null, null, null, level, null] }]);
    const m = createLoudnessMeter({ sampleRate: 48000, channels: { channelMask: 0x63f, channelCount: 8 }, truePeak: false });
    m.push(planes);
    // One sine channel: mean square a^2/2, K gain at 1 kHz, side-surround weight 1.41.
    const a = 10 ** (level / 20);
    const expected = -0.691 + 10 * Math.log10((1.41 * (a * a)) / 2) + kWeightingGainDb(1000, 48000);
    expect(m.result().integratedLufs).toBeCloseTo(expected, 2);
    expect(m.result().samplePeakDbfs).toBeCloseTo(level, 3);
  });

  it("excludes the LFE but still reports its peaks", () => {
    const planes = toneSegments(48000, 6, 60, [{ durationS: 3, levelDbfs: [null, null, null, -6, null, null] }]);
    const m = createLoudnessMeter({ sampleRate: 48000, channels: "5.1" });
    m.push(planes);
    const r = m.result();
    expect(r.integratedLufs).toBe(Number.NEGATIVE_INFINITY);
    expect(r.samplePeakDbfs).toBeCloseTo(-6, 2);
    expect(r.channelSamplePeaksDbfs[3]).toBeCloseTo(-6, 2);
  });
});
