import { describe, expect, it } from "vitest";
import { compareFingerprints, FINGERPRINT_MATCH_THRESHOLD, fingerprintPcm } from "./fingerprint.ts";

// A speech-like test signal: a voice with a gliding pitch and five harmonics, syllables of 120-400 ms with
// pauses, and a little breath noise, from a seeded generator so every run hears the same recording.
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function voice(seed: number, seconds: number, sampleRate = 48000): Float32Array {
  const next = random(seed);
  const out = new Float32Array(Math.round(seconds * sampleRate));
  let i = 0;
  let phase = 0;
  while (i < out.length) {
    const syllable = Math.round((0.12 + 0.28 * next()) * sampleRate);
    const pause = Math.round(0.05 * next() * sampleRate);
    const f0 = 100 + 150 * next();
    const glide = (next() - 0.5) * 80;
    const amplitude = 0.1 + 0.3 * next();
    const formant = 1 + Math.floor(next() * 4);
    for (let k = 0; k < syllable && i < out.length; k++, i++) {
      const t = k / syllable;
      const f = f0 + glide * t;
      phase += (2 * Math.PI * f) / sampleRate;
      let s = 0;
      for (let h = 1; h <= 6; h++) s += Math.sin(h * phase) / (h === formant ? 0.6 : h);
      out[i] = amplitude * Math.sin(Math.PI * t) * s * 0.3 + 0.01 * (next() - 0.5);
    }
    for (let k = 0; k < pause && i < out.length; k++, i++) out[i] = 0.01 * (next() - 0.5);
  }
  return out;
}

const gain = (signal: Float32Array, db: number) => signal.map((s) => s * 10 ** (db / 20));

describe("fingerprintPcm and compareFingerprints", () => {
  const original = voice(1, 12);
  const fingerprint = fingerprintPcm(original, 48000);

  it("takes the first 10 s in 11.6 ms frames", () => {
    // 10 s decimated to 12 kHz: 120000 samples, 1536-sample windows every 139.2 samples.
    expect(fingerprint.bits.length).toBe(Math.floor((120000 - 1536) / 139.2)); // frames - 1
  });

  it("scores the same recording at -6 dB as identical", () => {
    expect(compareFingerprints(fingerprint, fingerprintPcm(gain(original, -6), 48000))).toBeGreaterThan(0.99);
  });

  it("scores the recording shifted by 10 ms (and 37 ms, and at -6 dB) well above the threshold", () => {
    const shifted10 = fingerprintPcm(original.subarray(480), 48000);
    const shifted37 = fingerprintPcm(gain(original.subarray(1776), -6), 48000);
    const s10 = compareFingerprints(fingerprint, shifted10);
    const s37 = compareFingerprints(fingerprint, shifted37);
    console.info(`[fingerprint] similarity: 10 ms shift ${s10.toFixed(3)}, 37 ms shift at -6 dB ${s37.toFixed(3)}`);
    expect(s10).toBeGreaterThan(0.7);
    expect(s37).toBeGreaterThan(0.7);
  });

  it("scores a different recording near 0, far below the threshold", () => {
    const other = compareFingerprints(fingerprint, fingerprintPcm(voice(2, 12), 48000));
    console.info(`[fingerprint] similarity to another voice: ${other.toFixed(3)}`);
    expect(other).toBeLessThan(FINGERPRINT_MATCH_THRESHOLD / 2);
  });

  it("downmixes channels (a stereo copy matches its mono) and reads nothing in silence", () => {
    const stereo = fingerprintPcm([original, original], 48000);
    expect(compareFingerprints(fingerprint, stereo)).toBeGreaterThan(0.99);
    const silence = fingerprintPcm(new Float32Array(480000), 48000);
    expect(compareFingerprints(silence, silence)).toBe(0);
    expect(fingerprintPcm(new Float32Array(100), 48000).bits.length).toBe(0);
  });

  it("matches the same recording at 44.1 kHz (frames are in seconds)", () => {
    // Linear interpolation is a fair resampler below the 3 kHz the bands reach.
    const at44 = fingerprintPcm(
      Float32Array.from({ length: 44100 * 11 }, (_, i) => {
        const x = (i * 48000) / 44100;
        const j = Math.floor(x);
        return (original[j] as number) + ((original[j + 1] as number) - (original[j] as number)) * (x - j);
      }),
      44100,
    );
    expect(compareFingerprints(fingerprint, at44)).toBeGreaterThan(0.6);
  });
});
