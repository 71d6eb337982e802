import { describe, expect, it } from "vitest";
import { createLoudnessMeter, defaultOversampling, designTruePeakFilter } from "./index.ts";
import { fadedSine, noise } from "./testing/synth.ts";
import { TruePeakDetector } from "./true-peak.ts";

/** Every interpolated point computed in full (no skipping), as the reference for the detector. */
function bruteForceTruePeak(x: Float32Array, factor: number, taps: number): number {
  const f = designTruePeakFilter(factor, taps);
  const half = taps / 2;
  let peak = 0;
  for (let m = -half; m < x.length; m++) {
    peak = Math.max(peak, Math.abs(x[m] ?? 0));
    for (let p = 0; p < factor - 1; p++) {
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += f.coefficients[p * taps + k]! * (x[m - half + 1 + k] ?? 0);
      peak = Math.max(peak, Math.abs(acc));
    }
  }
  return peak;
}

function meterPeaks(planes: Float32Array[], sampleRate = 48000, block = 4096) {
  const m = createLoudnessMeter({ sampleRate, channels: planes.map(() => 1) });
  for (let i = 0; i < planes[0]!.length; i += block) m.push(planes.map((p) => p.subarray(i, i + block)));
  return m.result();
}

describe("true peak", () => {
  it("chooses the oversampling so the interpolated rate is >= 192 kHz", () => {
    expect([32000, 44100, 48000, 88200, 96000, 192000].map(defaultOversampling)).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it("skips only points that cannot beat the peak: equal to computing every point (noise, bursts, impulses)", () => {
    const x = noise(48000, 0.05, 7);
    x[12345] = 0.9;
    x[12346] = -0.9;
    for (let i = 30000; i < 30400; i++) x[i] = 0.4 * Math.sin(i * 2.9);
    for (const factor of [4, 5, 2]) {
      const block = factor === 4 ? 777 : 4096;
      const det = new TruePeakDetector(designTruePeakFilter(factor, 24), 1);
      for (let i = 0; i < x.length; i += block) det.push([x], i, Math.min(x.length, i + block));
      let samplePeak = 0;
      for (const v of x) samplePeak = Math.max(samplePeak, Math.abs(v));
      const got = Math.max(det.flushedPeaks()[0]!, samplePeak);
      expect(got, `${factor}x`).toBeCloseTo(bruteForceTruePeak(x, factor, 24), 12);
    }
  });

  it("is never below the sample peak (impulse, square wave, DC, full-scale noise)", () => {
    const impulse = new Float32Array(1000);
    impulse[500] = 0.8;
    const square = Float32Array.from({ length: 4800 }, (_, i) => (Math.floor(i / 7) % 2 ? 0.7 : -0.7));
    const dc = new Float32Array(4800).fill(-0.5);
    for (const x of [impulse, square, dc, noise(48000, 0.3, 3)]) {
      const r = meterPeaks([x]);
      expect(r.truePeakDbtp).toBeGreaterThanOrEqual(r.samplePeakDbfs);
    }
  });

  it("reads sines of 20 Hz - 20 kHz at any phase within +0.05/-0.75 dB of their amplitude at 48 kHz", () => {
    // Below: inherent 4x under-read 20 log10(cos(pi f / (4 fs))) (-0.47 dB at 20 kHz) plus the filter error.
    for (let f = 20; f <= 20000; f *= 1.37) {
      for (const ph of [0, 0.3, 1.1]) {
        // Faded in and out: an abrupt start is a step, whose band-limited reconstruction really overshoots.
        const x = fadedSine(48000, 1, f, 0.5, (ph * 180) / Math.PI, f < 100 ? 0.5 : 0.1, f < 100 ? 0.2 : 0.02);
        const err = meterPeaks(x).truePeakDbtp - 20 * Math.log10(0.5);
        const inherent = 20 * Math.log10(Math.cos((Math.PI * f) / (4 * 48000)));
        expect(err, `${f.toFixed(0)} Hz`).toBeLessThan(0.05);
        expect(err, `${f.toFixed(0)} Hz`).toBeGreaterThan(inherent - 0.05);
      }
    }
  });

  it("measures inter-sample peaks at 44.1 kHz (5x) and 96 kHz (2x)", () => {
    for (const fs of [44100, 96000]) {
      // fs/4 at 45 degrees: every sample at 0.707 of the crest.
      const r = meterPeaks(fadedSine(fs, 1, fs / 4, 0.5, 45, 0.5, 0.01), fs);
      expect(r.samplePeakDbfs).toBeCloseTo(-9.03, 1);
      // Points every 1/L sample: the crest is missed by up to pi/(4L) of phase at fs/4.
      const inherent = 20 * Math.log10(Math.cos(Math.PI / 4 / defaultOversampling(fs)));
      expect(r.truePeakDbtp, `${fs}`).toBeGreaterThan(-6.02 + inherent - 0.05);
      expect(r.truePeakDbtp).toBeLessThan(-6.02 + 0.05);
    }
  });
});
