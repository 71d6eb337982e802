import { InvalidLoudnessInputError } from "./errors.ts";

/** One biquad section, normalised so that a0 = 1: y = b0 x + b1 x1 + b2 x2 - a1 y1 - a2 y2. */
export interface Biquad {
  readonly b0: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/** The two K-weighting stages of BS.1770: the high-shelf pre-filter, then the RLB high-pass. */
export interface KWeighting {
  readonly shelf: Biquad;
  readonly highpass: Biquad;
}

/**
 * Analog-prototype parameters of the K-filter, as commonly published (they reproduce the BS.1770 48 kHz
 * table). The shelf's "Vb" exponent makes the bilinear shelf's mid-band gain match the table.
 */
export const K_WEIGHTING_PROTOTYPE = {
  shelf: { f0: 1681.974450955533, gainDb: 3.999843853973347, q: 0.7071752369554196, vbExponent: 0.4996667741545416 },
  highpass: { f0: 38.13547087602444, q: 0.5003270373238773 },
} as const;

/** The BS.1770 table coefficients at 48 kHz (what the design below must reproduce). */
export const BS1770_48K_TABLE: KWeighting = {
  shelf: { b0: 1.53512485958697, b1: -2.69169618940638, b2: 1.19839281085285, a1: -1.69065929318241, a2: 0.73248077421585 },
  highpass: { b0: 1, b1: -2, b2: 1, a1: -1.99004745483398, a2: 0.99007225036621 },
};

/**
 * K-weighting biquads for any sample rate, by bilinear transform (with the tan prewarp of f0) of the
 * analog shelf and high-pass prototypes, so every rate gets the same response rather than the 48 kHz
 * coefficients reused. The high-pass keeps b = [1, -2, 1] like the table (its gain is ~1.0000 in the band).
 */
export function kWeighting(sampleRate: number): KWeighting {
  if (!Number.isFinite(sampleRate) || sampleRate < 8000) {
    throw new InvalidLoudnessInputError(`sample rate ${sampleRate} Hz is not supported (need >= 8000)`, "sampleRate");
  }
  const s = K_WEIGHTING_PROTOTYPE.shelf;
  const vh = 10 ** (s.gainDb / 20);
  const vb = vh ** s.vbExponent;
  const k1 = Math.tan((Math.PI * s.f0) / sampleRate);
  const d1 = 1 + k1 / s.q + k1 * k1;
  const shelf: Biquad = {
    b0: (vh + (vb * k1) / s.q + k1 * k1) / d1,
    b1: (2 * (k1 * k1 - vh)) / d1,
    b2: (vh - (vb * k1) / s.q + k1 * k1) / d1,
    a1: (2 * (k1 * k1 - 1)) / d1,
    a2: (1 - k1 / s.q + k1 * k1) / d1,
  };
  const h = K_WEIGHTING_PROTOTYPE.highpass;
  const k2 = Math.tan((Math.PI * h.f0) / sampleRate);
  const d2 = 1 + k2 / h.q + k2 * k2;
  const highpass: Biquad = { b0: 1, b1: -2, b2: 1, a1: (2 * (k2 * k2 - 1)) / d2, a2: (1 - k2 / h.q + k2 * k2) / d2 };
  return { shelf, highpass };
}

function biquadMagnitudeSquared(f: Biquad, w: number): number {
  // |B(e^jw)|^2 / |A(e^jw)|^2 with A = 1 + a1 z^-1 + a2 z^-2.
  const c1 = Math.cos(w);
  const s1 = Math.sin(w);
  const c2 = Math.cos(2 * w);
  const s2 = Math.sin(2 * w);
  const br = f.b0 + f.b1 * c1 + f.b2 * c2;
  const bi = -(f.b1 * s1 + f.b2 * s2);
  const ar = 1 + f.a1 * c1 + f.a2 * c2;
  const ai = -(f.a1 * s1 + f.a2 * s2);
  return (br * br + bi * bi) / (ar * ar + ai * ai);
}

/** Gain in dB of the K-weighting (both stages) at `frequencyHz`, from the coefficients for `sampleRate`. */
export function kWeightingGainDb(frequencyHz: number, sampleRate: number, filter: KWeighting = kWeighting(sampleRate)): number {
  const w = (2 * Math.PI * frequencyHz) / sampleRate;
  return 10 * Math.log10(biquadMagnitudeSquared(filter.shelf, w) * biquadMagnitudeSquared(filter.highpass, w));
}
