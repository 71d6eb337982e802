import { describe, expect, it } from "vitest";
import {
  createLoudnessMeter,
  integratedFromBlocks,
  type LoudnessSegment,
  loudnessRangeFromBlocks,
  mergeAllSegments,
  mergeSegments,
  resultFromSegment,
  segmentFromJson,
  segmentToJson,
} from "./index.ts";
import { noise, toneSegments } from "./testing/synth.ts";

const fs = 48000;

/** 5.1 test programme: noise whose level steps every 1.7 s, a 400 ms tone burst and a click near 10 s. */
function programme(seconds: number): Float32Array[] {
  const planes = Array.from({ length: 6 }, (_, c) => noise(seconds * fs, 0.02, c + 11));
  for (const p of planes) {
    for (let i = 0; i < p.length; i++) p[i] = p[i]! * (1 + 3 * (Math.floor(i / (1.7 * fs)) % 4));
  }
  const burst = toneSegments(fs, 1, 1000, [{ durationS: 0.4, levelDbfs: 0 }])[0]!;
  for (const c of [0, 1, 2]) planes[c]!.set(burst, Math.round(9.83 * fs)); // straddles the 10 s chunk boundary
  planes[2]![10 * fs - 1] = 0.99; // a peak on the last sample of a chunk
  return planes;
}

function measureChunks(planes: Float32Array[], chunkS: number, prerollS: number, postroll: number): LoudnessSegment[] {
  const out: LoudnessSegment[] = [];
  const n = planes[0]!.length;
  for (let start = 0; start < n; start += chunkS * fs) {
    const end = Math.min(n, start + chunkS * fs);
    const m = createLoudnessMeter({ sampleRate: fs, channels: "5.1" });
    const pre = Math.max(0, start - prerollS * fs);
    if (start > 0) m.preroll(planes.map((p) => p.subarray(pre, start)));
    m.push(planes.map((p) => p.subarray(start, end)));
    if (end < n) m.postroll(planes.map((p) => p.subarray(end, Math.min(n, end + postroll))));
    out.push(m.segment());
  }
  return out;
}

describe("chunked measurement", () => {
  const planes = programme(35);
  const whole = createLoudnessMeter({ sampleRate: fs, channels: "5.1" });
  whole.push(planes);
  const one = whole.result();

  it("merging 10 s chunks (1 s pre-roll, 64-sample post-roll) gives the single-pass result", () => {
    const merged = resultFromSegment(mergeAllSegments(measureChunks(planes, 10, 1, 64)));
    expect(merged.integratedLufs).toBeCloseTo(one.integratedLufs, 9);
    expect(merged.loudnessRangeLu).toBeCloseTo(one.loudnessRangeLu, 9);
    expect(merged.maxMomentaryLufs).toBeCloseTo(one.maxMomentaryLufs, 9);
    expect(merged.maxShortTermLufs).toBeCloseTo(one.maxShortTermLufs, 9);
    expect(merged.truePeakDbtp).toBeCloseTo(one.truePeakDbtp, 9);
    expect(merged.channelTruePeaksDbtp).toEqual(one.channelTruePeaksDbtp.map((v) => expect.closeTo(v, 9)));
    expect(merged.samplePeakDbfs).toBe(one.samplePeakDbfs);
  });

  it("rebuilds the 400 ms window that straddles a join (the burst across 10 s is the max momentary)", () => {
    const segments = measureChunks(planes, 10, 1, 64);
    const inside = Math.max(...segments.map((s) => s.maxMomentary));
    const merged = mergeAllSegments(segments);
    expect(merged.maxMomentary).toBeGreaterThan(inside * 1.5);
    expect(resultFromSegment(merged).maxMomentaryLufs).toBeCloseTo(one.maxMomentaryLufs, 9);
  });

  it("merges in any grouping (associative)", () => {
    const [a, b, c, d] = measureChunks(planes, 10, 1, 64) as [LoudnessSegment, LoudnessSegment, LoudnessSegment, LoudnessSegment];
    const left = resultFromSegment(mergeSegments(mergeSegments(mergeSegments(a, b), c), d));
    const right = resultFromSegment(mergeSegments(a, mergeSegments(b, mergeSegments(c, d))));
    expect(right).toEqual(left);
  });

  it("also merges short chunks (2.5 s, under one short-term window)", () => {
    const merged = resultFromSegment(mergeAllSegments(measureChunks(planes, 2.5, 1, 64)));
    expect(merged.maxShortTermLufs).toBeCloseTo(one.maxShortTermLufs, 9);
    expect(merged.integratedLufs).toBeCloseTo(one.integratedLufs, 9);
  });

  it("programme loudness comes from the concatenated block energies, not from averaging chunk LUFS", () => {
    const segments = measureChunks(planes, 10, 1, 64);
    const blocks = Float64Array.from(segments.flatMap((s) => Array.from(s.blocks)));
    expect(integratedFromBlocks(blocks)).toBeCloseTo(one.integratedLufs, 9);
    expect(loudnessRangeFromBlocks(blocks).loudnessRangeLu).toBeCloseTo(one.loudnessRangeLu, 9);
    const meanOfChunkLufs = segments.reduce((s, g) => s + resultFromSegment(g).integratedLufs, 0) / segments.length;
    expect(Math.abs(meanOfChunkLufs - one.integratedLufs)).toBeGreaterThan(0.05);
  });

  it("without pre-roll the K-filter restarts at each chunk and the result drifts (why pre-roll exists)", () => {
    const merged = resultFromSegment(mergeAllSegments(measureChunks(planes, 10, 0, 64)));
    expect(Math.abs(merged.integratedLufs - one.integratedLufs)).toBeLessThan(0.05);
    expect(merged.integratedLufs).not.toBeCloseTo(one.integratedLufs, 9);
  });

  it("segments survive JSON exactly (segmentToJson / segmentFromJson), and malformed ones are refused", () => {
    const segments = measureChunks(planes, 10, 1, 64);
    const shipped = segments.map((s) => segmentFromJson(JSON.parse(JSON.stringify(segmentToJson(s)))));
    expect(shipped).toEqual(segments);
    expect(resultFromSegment(mergeAllSegments(shipped))).toEqual(resultFromSegment(mergeAllSegments(segments)));
    const bad = { ...segmentToJson(segments[0]!), blocks: [1, 2] };
    expect(() => segmentFromJson(bad)).toThrow(/blocks has 2 values/);
    expect(() => segmentFromJson({ ...segmentToJson(segments[0]!), truePeaks: [Number.NaN] })).toThrow(/truePeaks/);
  });

  it("refuses to merge after a chunk that is not a whole number of 100 ms blocks", () => {
    const m = createLoudnessMeter({ sampleRate: fs, channels: "mono" });
    m.push([new Float32Array(4801)]);
    expect(() => mergeSegments(m.segment(), m.segment())).toThrow(/100 ms/);
    const s = createLoudnessMeter({ sampleRate: 44100, channels: "stereo" });
    expect(() => mergeSegments(m.segment(), s.segment())).toThrow(/merge/);
  });
});
