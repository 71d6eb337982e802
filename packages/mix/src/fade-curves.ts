import type { FadeShape } from "./plan.ts";

// Fade curves. A fade of L samples starting at timeline sample s gives sample n (s <= n < s + L) the
// phase t = (n - s) / L, in [0, 1). A fade-in multiplies by g(t), a fade-out by g(1 - t), computed as
// g((L - k) / L) with k = n - s so both are one exact division of integers. The fade-in therefore starts
// at exactly g(0) = 0 and a fade-out starts at g(1) = 1; for any shape, the fade-in and fade-out of one
// crossfade at the same sample are g(t) and g(1 - t): complementary in amplitude (LINEAR, S_CURVE,
// EXPONENTIAL with LOGARITHMIC being its inverse) or in power (EQUAL_POWER). The curves:
//
//   LINEAR       g(t) = t
//   EQUAL_POWER  g(t) = sin(t * pi / 2)                  g(t)^2 + g(1-t)^2 = 1 (constant power)
//   S_CURVE      g(t) = (1 - cos(t * pi)) / 2            raised cosine; g(t) + g(1-t) = 1
//   EXPONENTIAL  g(t) = (1000^t - 1) / 999               slow start: about linear in dB over the top 60 dB
//   LOGARITHMIC  g(t) = log10(1 + 999 t) / 3             the inverse function of EXPONENTIAL: fast start
//
// All are exactly 0 at t = 0 and exactly 1 at t = 1 (1000^1 and log10(1000) are exact).

const HALF_PI = Math.PI / 2;

/** The fade-in gain g(t) of a shape, t in [0, 1]. */
export function fadeGain(shape: FadeShape, t: number): number {
  switch (shape) {
    case "LINEAR":
      return t;
    case "EQUAL_POWER":
      return Math.sin(t * HALF_PI);
    case "S_CURVE":
      return (1 - Math.cos(t * Math.PI)) / 2;
    case "EXPONENTIAL":
      return (1000 ** t - 1) / 999;
    case "LOGARITHMIC":
      return Math.log10(1 + 999 * t) / 3;
  }
}

/**
 * Multiplies gains[at .. at + count) by a fade's curve, where gains[at] is fade sample `k0` (n - s) of a fade
 * of `length` samples; `out` selects the fade-out mirror. One loop per shape: no per-sample dispatch.
 */
export function applyFade(
  gains: Float64Array,
  at: number,
  count: number,
  k0: number,
  length: number,
  shape: FadeShape,
  out: boolean,
): void {
  const end = at + count;
  // Phase numerator at the first sample and its step: k for a fade-in, L - k for a fade-out.
  const step = out ? -1 : 1;
  let num = out ? length - k0 : k0;
  switch (shape) {
    case "LINEAR":
      for (let i = at; i < end; i++, num += step) gains[i] = (gains[i] as number) * (num / length);
      return;
    case "EQUAL_POWER":
      for (let i = at; i < end; i++, num += step) gains[i] = (gains[i] as number) * Math.sin((num / length) * HALF_PI);
      return;
    case "S_CURVE":
      for (let i = at; i < end; i++, num += step) gains[i] = (gains[i] as number) * ((1 - Math.cos((num / length) * Math.PI)) / 2);
      return;
    case "EXPONENTIAL":
      for (let i = at; i < end; i++, num += step) gains[i] = (gains[i] as number) * ((1000 ** (num / length) - 1) / 999);
      return;
    case "LOGARITHMIC":
      for (let i = at; i < end; i++, num += step) gains[i] = (gains[i] as number) * (Math.log10(1 + 999 * (num / length)) / 3);
      return;
  }
}
