/**
 * Test-signal synthesis for the conformance tests and the speed script (not part of the public API).
 * Levels are per-channel PEAK dBFS (amplitude 10^(dBFS/20)), as in EBU Tech 3341.
 */

export const dbToAmplitude = (db: number): number => 10 ** (db / 20);

/** One stretch of a tone: `levelDbfs` null is silence (the tone's phase runs on). */
export interface ToneSegment {
  readonly durationS: number;
  /** One level for every channel, or one per channel (null = silent channel). */
  readonly levelDbfs: number | null | readonly (number | null)[];
}

/** Rounds to a `bits`-bit PCM grid (like reading a 16- or 24-bit file). */
export function quantize(planes: Float32Array[], bits: number): Float32Array[] {
  const q = 2 ** (bits - 1);
  for (const p of planes) {
    for (let i = 0; i < p.length; i++) p[i] = Math.max(-q, Math.min(q - 1, Math.round(p[i]! * q))) / q;
  }
  return planes;
}

/**
 * A phase-continuous sine (phase 2 pi f n / fs from the first sample) whose level steps at segment
 * boundaries (each at round(t * fs)).
 */
export function toneSegments(sampleRate: number, channels: number, frequencyHz: number, segments: readonly ToneSegment[]): Float32Array[] {
  const bounds: number[] = [0];
  let t = 0;
  for (const s of segments) {
    t += s.durationS;
    bounds.push(Math.round(t * sampleRate));
  }
  const total = bounds[bounds.length - 1]!;
  const planes = Array.from({ length: channels }, () => new Float32Array(total));
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  segments.forEach((s, i) => {
    for (let c = 0; c < channels; c++) {
      const level = Array.isArray(s.levelDbfs) ? s.levelDbfs[c] : s.levelDbfs;
      if (level === null || level === undefined) continue;
      const a = dbToAmplitude(level as number);
      const p = planes[c]!;
      for (let n = bounds[i]!; n < bounds[i + 1]!; n++) p[n] = a * Math.sin(w * n);
    }
  });
  return planes;
}

/** A sine of `amplitude` (fraction of full scale) at `frequencyHz` with a start phase and linear fades. */
export function fadedSine(
  sampleRate: number,
  channels: number,
  frequencyHz: number,
  amplitude: number,
  phaseDeg: number,
  durationS: number,
  fadeS: number,
): Float32Array[] {
  const n = Math.round(durationS * sampleRate);
  const fade = Math.round(fadeS * sampleRate);
  const p = new Float32Array(n);
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  const ph = (phaseDeg * Math.PI) / 180;
  for (let i = 0; i < n; i++) {
    const g = Math.min(1, i / fade, (n - 1 - i) / fade);
    p[i] = amplitude * g * Math.sin(w * i + ph);
  }
  return Array.from({ length: channels }, () => Float32Array.from(p));
}

/**
 * EBU Tech 3341 cases 20-23: at 4 fs, a 0.5 FFS sine at fs/6 with one period of a 1.0 FFS sine at fs/4
 * inserted at a positive-going zero crossing (phase-continuous), low-passed (511-tap Blackman-windowed
 * sinc, 20 kHz at 192 kHz), normalised to a 4 fs peak of 1.0, then every 4th sample from `offset`.
 */
export function interSamplePeakCase(sampleRate: number, offset: number, durationS = 0.5): Float32Array[] {
  const hi = 4 * sampleRate;
  const n = Math.round(durationS * hi);
  const baseHz = sampleRate / 6;
  const burstHz = sampleRate / 4;
  const basePeriod = hi / baseHz; // 24 samples
  const burstLen = hi / burstHz; // 16 samples
  const insertAt = Math.round(n / 2 / basePeriod) * basePeriod;
  const fade = Math.round(0.01 * hi);
  const raw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let v: number;
    if (i < insertAt) v = 0.5 * Math.sin((2 * Math.PI * i) / basePeriod);
    else if (i < insertAt + burstLen) v = Math.sin((2 * Math.PI * (i - insertAt)) / burstLen);
    else v = 0.5 * Math.sin((2 * Math.PI * (i - insertAt - burstLen)) / basePeriod);
    raw[i] = v * Math.min(1, i / fade, (n - 1 - i) / fade);
  }
  const taps = 511;
  const half = (taps - 1) / 2;
  const fc = 20000 / hi;
  const h = new Float64Array(taps);
  let sum = 0;
  for (let k = 0; k < taps; k++) {
    const t = k - half;
    const sinc = t === 0 ? 2 * fc : Math.sin(2 * Math.PI * fc * t) / (Math.PI * t);
    const win = 0.42 - 0.5 * Math.cos((2 * Math.PI * k) / (taps - 1)) + 0.08 * Math.cos((4 * Math.PI * k) / (taps - 1));
    h[k] = sinc * win;
    sum += h[k]!;
  }
  const filtered = new Float64Array(n);
  let peak = 0;
  for (let i = 0; i < n; i++) {
    let acc = 0;
    const k0 = Math.max(0, i + half - (n - 1));
    const k1 = Math.min(taps - 1, i + half);
    for (let k = k0; k <= k1; k++) acc += h[k]! * raw[i + half - k]!;
    filtered[i] = acc / sum;
    peak = Math.max(peak, Math.abs(filtered[i]!));
  }
  const out = new Float32Array(Math.floor((n - offset) / 4));
  for (let j = 0; j < out.length; j++) out[j] = filtered[offset + 4 * j]! / peak;
  return [out, Float32Array.from(out)];
}

/** Deterministic Gaussian-ish noise (sum of 4 uniforms from a xorshift), RMS `rms`. */
export function noise(length: number, rms: number, seed = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(length);
  const k = rms * Math.sqrt(3); // 4 uniforms in [-1,1): variance 4/3
  for (let i = 0; i < length; i++) {
    let acc = 0;
    for (let j = 0; j < 4; j++) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      acc += (s >>> 0) / 2147483648 - 1;
    }
    out[i] = (acc * k) / 2;
  }
  return out;
}
