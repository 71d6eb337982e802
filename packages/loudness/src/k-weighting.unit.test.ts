import { describe, expect, it } from "vitest";
import { BS1770_48K_TABLE, createLoudnessMeter, kWeighting, kWeightingGainDb } from "./index.ts";
import { toneSegments } from "./testing/synth.ts";

describe("K-weighting design", () => {
  it("reproduces the BS.1770 48 kHz table coefficients to 1e-8", () => {
    const k = kWeighting(48000);
    for (const stage of ["shelf", "highpass"] as const) {
      for (const c of ["b0", "b1", "b2", "a1", "a2"] as const) {
        expect(Math.abs(k[stage][c] - BS1770_48K_TABLE[stage][c]), `${stage}.${c}`).toBeLessThan(1e-8);
      }
    }
  });

  it("gives the published 48 kHz gain table", () => {
    // derived_tables.k_weighting_gain_db_48k_from_published_coefficients in loudness-cases.json
    const table: [number, number][] = [
      [20, -13.275],
      [50, -3.934],
      [100, -1.133],
      [500, 0.042],
      [997, 0.691],
      [1000, 0.698],
      [2000, 3.071],
      [10000, 4.042],
      [20000, 4.043],
    ];
    for (const [f, db] of table) expect(kWeightingGainDb(f, 48000), `${f} Hz`).toBeCloseTo(db, 2);
  });

  it("keeps the 48 kHz response at 32, 44.1, 88.2, 96 and 192 kHz within 0.05 dB (20 Hz - 15 kHz)", () => {
    for (const fs of [32000, 44100, 88200, 96000, 192000]) {
      let worst = 0;
      for (let f = 20; f <= Math.min(15000, fs * 0.45); f *= 1.1)
        worst = Math.max(worst, Math.abs(kWeightingGainDb(f, fs) - kWeightingGainDb(f, 48000)));
      expect(worst, `${fs} Hz`).toBeLessThan(0.05);
    }
  });

  it("reads a 0 dBFS 997 Hz sine in one channel as -3.01 LKFS within 0.03 LU at 44.1, 48 and 96 kHz", () => {
    // The bilinear designs at other rates differ from the 48 kHz response by up to ~0.02 dB in the band.
    for (const fs of [44100, 48000, 96000]) {
      const m = createLoudnessMeter({ sampleRate: fs, channels: "mono", truePeak: false });
      m.push(toneSegments(fs, 1, 997, [{ durationS: 5, levelDbfs: 0 }]));
      expect(Math.abs(m.result().integratedLufs + 3.01), `${fs} Hz`).toBeLessThan(fs === 48000 ? 0.005 : 0.03);
    }
  });

  it("rejects rates it cannot design for", () => {
    expect(() => kWeighting(100)).toThrow(/sample rate/);
  });
});
