import { describe, expect, it } from "vitest";
import { createLoudnessMeter, InvalidLoudnessInputError, toJsonResult } from "./index.ts";
import { noise, toneSegments } from "./testing/synth.ts";

describe("createLoudnessMeter", () => {
  it("gives the same result whatever the block sizes pushed", () => {
    const planes = [noise(48000 * 5, 0.1, 1), noise(48000 * 5, 0.2, 2)];
    const once = createLoudnessMeter({ sampleRate: 48000, channels: "stereo" });
    once.push(planes);
    const odd = createLoudnessMeter({ sampleRate: 48000, channels: "stereo" });
    let i = 0;
    for (const size of [1, 7, 479, 480, 481, 4799, 10000, 1]) {
      odd.push(planes.map((p) => p.subarray(i, i + size)));
      i += size;
    }
    odd.push(planes.map((p) => p.subarray(i)));
    const a = once.result();
    const b = odd.result();
    expect(b.integratedLufs).toBeCloseTo(a.integratedLufs, 10);
    expect(b.maxMomentaryLufs).toBeCloseTo(a.maxMomentaryLufs, 10);
    expect(b.maxShortTermLufs).toBeCloseTo(a.maxShortTermLufs, 10);
    expect(b.truePeakDbtp).toBe(a.truePeakDbtp);
    expect(b.samplePeakDbfs).toBe(a.samplePeakDbfs);
  });

  it("represents silence as -Infinity, and as null in toJsonResult", () => {
    const m = createLoudnessMeter({ sampleRate: 48000, channels: "5.1" });
    m.push(Array.from({ length: 6 }, () => new Float32Array(48000 * 4)));
    const r = m.result();
    expect(r.integratedLufs).toBe(Number.NEGATIVE_INFINITY);
    expect(r.maxMomentaryLufs).toBe(Number.NEGATIVE_INFINITY);
    expect(r.truePeakDbtp).toBe(Number.NEGATIVE_INFINITY);
    expect(r.loudnessRangeLu).toBe(0);
    const j = toJsonResult(r);
    expect(j.integratedLufs).toBeNull();
    expect(j.channelTruePeaksDbtp).toEqual([null, null, null, null, null, null]);
    expect(j.durationSeconds).toBe(4);
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });

  it("needs a whole 400 ms gating block for integrated loudness, but reports max momentary of a shorter signal", () => {
    const m = createLoudnessMeter({ sampleRate: 48000, channels: "stereo", truePeak: false });
    m.push(toneSegments(48000, 2, 1000, [{ durationS: 0.3, levelDbfs: -20 }]));
    const r = m.result();
    expect(r.integratedLufs).toBe(Number.NEGATIVE_INFINITY);
    // 300 ms of tone in a 400 ms window (silence before the start): 10 log10(0.75) = -1.25 LU.
    expect(r.maxMomentaryLufs).toBeCloseTo(-20 + 0.007 - 1.249, 2);
  });

  it("stores 8 bytes per 100 ms: ten minutes are 6,000 block energies", () => {
    const m = createLoudnessMeter({ sampleRate: 48000, channels: "mono", truePeak: false });
    const block = [new Float32Array(48000 * 60)];
    for (let minute = 0; minute < 10; minute++) m.push(block);
    expect(m.segment().blocks.length).toBe(6000);
    expect(m.segment().blocks.byteLength).toBe(48000);
    expect(m.samples).toBe(48000 * 600);
  }, 60_000);

  it("measures at 44.1 kHz with the sub-block grid at floor(k * fs / 100)", () => {
    const m = createLoudnessMeter({ sampleRate: 44100, channels: "stereo", truePeak: false });
    m.push(toneSegments(44100, 2, 1000, [{ durationS: 10, levelDbfs: -23 }]));
    expect(m.result().integratedLufs).toBeCloseTo(-23 + 0.007, 1);
    expect(m.segment().blocks.length).toBe(100);
  });

  it("rejects bad options and planes, naming the field", () => {
    expect(() => createLoudnessMeter({ sampleRate: 4000, channels: "stereo" })).toThrow(InvalidLoudnessInputError);
    expect(() => createLoudnessMeter({ sampleRate: 48000, channels: "9.1" as "5.1" })).toThrow(/layout/);
    expect(() => createLoudnessMeter({ sampleRate: 48000, channels: "stereo", truePeakTapsPerPhase: 7 })).toThrow(/taps/);
    const m = createLoudnessMeter({ sampleRate: 48000, channels: "stereo" });
    expect(() => m.push([new Float32Array(10)])).toThrow(/planes/);
    expect(() => m.push([new Float32Array(10), new Float32Array(11)])).toThrow(/samples/);
    expect(() => m.push([new Float32Array(10), [1, 2] as unknown as Float32Array])).toThrow(/Float32Array/);
    m.push([new Float32Array(10), new Float32Array(10)]);
    expect(() => m.preroll([new Float32Array(10), new Float32Array(10)])).toThrow(/preroll/);
    try {
      m.push([]);
    } catch (e) {
      expect((e as InvalidLoudnessInputError).kind).toBe("validation");
      expect((e as InvalidLoudnessInputError).field).toBe("planes");
    }
  });
});

describe("block grid at a rate whose 100 ms is not a whole number of samples", () => {
  it("counts complete blocks as floor(n * fs / 10) <= samples (11025 Hz)", () => {
    const m = createLoudnessMeter({ sampleRate: 11025, channels: "mono", truePeak: false });
    m.push([new Float32Array(1102)]);
    expect(m.segment().blocks.length).toBe(1);
    m.push([new Float32Array(1103)]);
    expect(m.segment().blocks.length).toBe(2);
  });
});
