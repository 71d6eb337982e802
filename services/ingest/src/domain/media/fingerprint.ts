import { FingerprintMismatchError } from "./errors.ts";
import { fft } from "./fft.ts";

// An audio fingerprint in the manner of Haitsma and Kalker's "highly robust audio fingerprinting": the mono
// downmix, low-passed and decimated to about 11-12 kHz, is cut into overlapping frames (128 ms Hann windows every 11.6 ms), each frame's energy is
// measured in 33 bands spaced logarithmically from 300 Hz to 3 kHz, and each of its 32 bits says whether
// the energy difference between two neighbouring bands grew or shrank since the previous frame.
// - Gain: every energy scales by the same factor, so no difference changes sign: a -6 dB copy gives the
//   same bits.
// - Offset: a shifted copy is compared at the frame offset that fits best (up to half a second either way);
//   a shift between two frame starts leaves frames that overlap by more than 95 %, so few bits flip.
// - Frames quieter than -90 dBFS carry no information and are left out of comparisons.

export interface Fingerprint {
  readonly version: 1;
  readonly hopSeconds: number;
  readonly windowSeconds: number;
  /** One 32-bit word per frame, from the second frame on (each compares with the one before). */
  readonly bits: Uint32Array;
  /** 1 where the frame (or the one before it) was near silence. */
  readonly quiet: Uint8Array;
}

const HOP_SECONDS = 0.0116;
const WINDOW_SECONDS = 0.128;
const BANDS = 33;
const LOW_HZ = 300;
const HIGH_HZ = 3000;
const QUIET_MEAN_SQUARE = 1e-9; // -90 dBFS
const MAX_SHIFT_SECONDS = 0.5;
const MIN_COMPARED_FRAMES = 20;

/** Similarity from which two fingerprints are taken for the same recording (bit error rate below 25 %). */
export const FINGERPRINT_MATCH_THRESHOLD = 0.5;

function downmix(channels: Float32Array[] | Float32Array, length: number): Float64Array {
  const list = Array.isArray(channels) ? channels : [channels];
  const mono = new Float64Array(length);
  for (const channel of list) for (let i = 0; i < length; i++) mono[i] = (mono[i] as number) + (channel[i] ?? 0) / list.length;
  return mono;
}

/**
 * Keeps every `factor`-th sample after a windowed-sinc low-pass below the new Nyquist: the bands stop at
 * 3 kHz, so analysing at about 11-12 kHz gives the same bits for a quarter of the work (and the same rate
 * band layout for 44.1 and 48 kHz files).
 */
function decimate(signal: Float64Array, factor: number): Float64Array {
  if (factor <= 1) return signal;
  const half = 8 * factor;
  const cutoff = 0.45 / factor;
  const taps = Float64Array.from({ length: 2 * half + 1 }, (_, i) => {
    const n = i - half;
    const sinc = n === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * n) / (Math.PI * n);
    return sinc * (0.54 + 0.46 * Math.cos((Math.PI * n) / half));
  });
  const out = new Float64Array(Math.floor(signal.length / factor));
  for (let o = 0; o < out.length; o++) {
    const centre = o * factor;
    let sum = 0;
    const from = Math.max(0, centre - half);
    const to = Math.min(signal.length - 1, centre + half);
    for (let i = from; i <= to; i++) sum += (signal[i] as number) * (taps[i - centre + half] as number);
    out[o] = sum;
  }
  return out;
}

/**
 * The fingerprint of the first `seconds` of a recording (float samples, one array per channel or one mono
 * array). Shorter audio gives fewer frames; less than one window gives an empty fingerprint.
 */
export function fingerprintPcm(channels: Float32Array[] | Float32Array, fileSampleRate: number, seconds = 10): Fingerprint {
  if (!Number.isFinite(fileSampleRate) || fileSampleRate <= 0)
    throw new RangeError(`fingerprintPcm: sample rate ${fileSampleRate} is not positive`);
  const available = Array.isArray(channels) ? Math.min(...channels.map((c) => c.length)) : channels.length;
  const factor = Math.max(1, Math.floor(fileSampleRate / 11025));
  const mono = decimate(downmix(channels, Math.max(0, Math.min(available, Math.floor(seconds * fileSampleRate)))), factor);
  const length = mono.length;
  const sampleRate = fileSampleRate / factor;
  const window = Math.round(WINDOW_SECONDS * sampleRate);
  const hop = HOP_SECONDS * sampleRate;
  let size = 1;
  while (size < window) size <<= 1;
  const hann = Float64Array.from({ length: window }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / window));
  const edges = Array.from({ length: BANDS + 1 }, (_, b) => Math.round((LOW_HZ * (HIGH_HZ / LOW_HZ) ** (b / BANDS) * size) / sampleRate));
  const frames = length < window ? 0 : Math.floor((length - window) / hop) + 1;
  const energies: Float64Array[] = [];
  const quietFrame: boolean[] = [];
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  for (let f = 0; f < frames; f++) {
    const start = Math.round(f * hop);
    re.fill(0);
    im.fill(0);
    let meanSquare = 0;
    for (let i = 0; i < window; i++) {
      const sample = mono[start + i] as number;
      meanSquare += sample * sample;
      re[i] = sample * (hann[i] as number);
    }
    quietFrame.push(meanSquare / window < QUIET_MEAN_SQUARE);
    fft(re, im);
    const bands = new Float64Array(BANDS);
    for (let b = 0; b < BANDS; b++) {
      let sum = 0;
      for (let k = edges[b] as number; k < Math.max(edges[b + 1] as number, (edges[b] as number) + 1); k++)
        sum += (re[k] as number) ** 2 + (im[k] as number) ** 2;
      bands[b] = sum;
    }
    energies.push(bands);
  }
  const count = Math.max(0, frames - 1);
  const bits = new Uint32Array(count);
  const quiet = new Uint8Array(count);
  for (let f = 1; f < frames; f++) {
    const now = energies[f] as Float64Array;
    const before = energies[f - 1] as Float64Array;
    let word = 0;
    for (let m = 0; m < BANDS - 1; m++) {
      const difference = (now[m] as number) - (now[m + 1] as number) - ((before[m] as number) - (before[m + 1] as number));
      if (difference > 0) word |= 1 << m;
    }
    bits[f - 1] = word >>> 0;
    quiet[f - 1] = quietFrame[f] || quietFrame[f - 1] ? 1 : 0;
  }
  return { version: 1, hopSeconds: HOP_SECONDS, windowSeconds: WINDOW_SECONDS, bits, quiet };
}

function popcount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * How alike two fingerprints are, 0..1: 1 - 2 x the bit error rate at the best frame offset within half a
 * second (so unrelated audio, about half the bits wrong, is near 0, and the same audio near 1). 0 when fewer
 * than 20 frames with sound overlap: there is not enough to tell.
 */
export function compareFingerprints(a: Fingerprint, b: Fingerprint): number {
  if (a.version !== b.version || a.hopSeconds !== b.hopSeconds || a.windowSeconds !== b.windowSeconds) {
    throw new FingerprintMismatchError("compareFingerprints: the fingerprints were made with different parameters");
  }
  const maxShift = Math.ceil(MAX_SHIFT_SECONDS / a.hopSeconds);
  const needed = Math.max(MIN_COMPARED_FRAMES, Math.floor(0.3 * Math.min(a.bits.length, b.bits.length)));
  let best = 0;
  for (let shift = -maxShift; shift <= maxShift; shift++) {
    let compared = 0;
    let wrong = 0;
    for (let i = Math.max(0, -shift); i < a.bits.length && i + shift < b.bits.length; i++) {
      if (a.quiet[i] === 1 || b.quiet[i + shift] === 1) continue;
      compared++;
      wrong += popcount(((a.bits[i] as number) ^ (b.bits[i + shift] as number)) >>> 0);
    }
    if (compared < needed) continue;
    best = Math.max(best, 1 - (2 * wrong) / (compared * 32));
  }
  return Math.max(0, Math.min(1, best));
}
