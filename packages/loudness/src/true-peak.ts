import { InvalidLoudnessInputError } from "./errors.ts";

/** Polyphase interpolator coefficients for true-peak measurement (BS.1770 Annex 2). */
export interface TruePeakFilter {
  /** Oversampling factor L: L-1 interpolated points between every two input samples. */
  readonly factor: number;
  /** Taps per phase T (even): each interpolated point uses the T/2 samples on either side. */
  readonly tapsPerPhase: number;
  /** (L-1) x T coefficients, phase p = 1..L-1 at offset (p-1)T; phase 0 is the input sample itself. */
  readonly coefficients: Float64Array;
  /** max over phases of sum |c|: |interpolated| <= gainBound * max |x| over the taps (used to skip quiet spans). */
  readonly gainBound: number;
  /** 4x only: [E (half), D (half)] with E = (c1[k] + c1[T-1-k]) / 2, D = (c1[k] - c1[T-1-k]) / 2. */
  readonly pairs: Float64Array;
  /** 4x only: phase 2's first half (it is symmetric). */
  readonly middle: Float64Array;
  /** 4x only: L2 norms of phase 1's and phase 2's taps outside the 6 central ones (bound of their sum). */
  readonly farNorm1: number;
  readonly farNorm2: number;
}

/** Default taps per phase: see README "True peak" for the measured accuracy of each choice. */
export const DEFAULT_TAPS_PER_PHASE = 24;
/** Kaiser window beta (see README for the error this gives at each taps-per-phase). */
const KAISER_BETA = 6;

/** Oversampling factor so the interpolated rate is >= 192 kHz: 5x at 44.1, 4x at 48, 2x at 96, 1x at 192 kHz. */
export function defaultOversampling(sampleRate: number): number {
  return Math.max(1, Math.ceil(192000 / sampleRate - 1e-9));
}

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 60; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * A windowed-sinc interpolator: g(t) = sinc(t) * kaiser(t / (T/2), beta 6), t in input samples, cut off at
 * the input Nyquist frequency, so phase 0 is exactly the input sample (sinc is zero at other integers)
 * and the interpolated curve passes through every sample. Each phase is normalised to a DC gain of 1.
 */
export function designTruePeakFilter(factor: number, tapsPerPhase: number = DEFAULT_TAPS_PER_PHASE): TruePeakFilter {
  if (!Number.isInteger(factor) || factor < 1 || factor > 16) {
    throw new InvalidLoudnessInputError(`true-peak oversampling ${factor} is not an integer in 1..16`, "truePeakOversampling");
  }
  if (!Number.isInteger(tapsPerPhase) || tapsPerPhase < 2 || tapsPerPhase % 2 !== 0 || tapsPerPhase > 128) {
    throw new InvalidLoudnessInputError(
      `true-peak taps per phase ${tapsPerPhase} is not an even integer in 2..128`,
      "truePeakTapsPerPhase",
    );
  }
  const half = tapsPerPhase / 2;
  const coefficients = new Float64Array((factor - 1) * tapsPerPhase);
  const i0b = besselI0(KAISER_BETA);
  let gainBound = 1;
  for (let p = 1; p < factor; p++) {
    const row = coefficients.subarray((p - 1) * tapsPerPhase, p * tapsPerPhase);
    let sum = 0;
    for (let k = 0; k < tapsPerPhase; k++) {
      // Tap k multiplies x[m - half + 1 + k] for the point at m + p/L.
      const t = p / factor + half - 1 - k;
      const u = t / half;
      const w = Math.abs(u) < 1 ? besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / i0b : 0;
      const c = (Math.sin(Math.PI * t) / (Math.PI * t)) * w;
      row[k] = c;
      sum += c;
    }
    let l1 = 0;
    for (let k = 0; k < tapsPerPhase; k++) {
      row[k] = row[k]! / sum;
      l1 += Math.abs(row[k]!);
    }
    gainBound = Math.max(gainBound, l1);
  }
  const pairs = new Float64Array(tapsPerPhase);
  const middle = new Float64Array(half);
  let far1 = 0;
  let far2 = 0;
  if (factor === 4 && half > NEAR_PAIRS) {
    for (let k = 0; k < half; k++) {
      const c1a = coefficients[k]!;
      const c1b = coefficients[tapsPerPhase - 1 - k]!;
      pairs[k] = (c1a + c1b) / 2;
      pairs[half + k] = (c1a - c1b) / 2;
      middle[k] = coefficients[tapsPerPhase + k]!;
      if (k < half - NEAR_PAIRS) {
        far1 += c1a * c1a + c1b * c1b;
        far2 += 2 * middle[k]! * middle[k]!;
      }
    }
  }
  // Slightly enlarged so rounding in the bound can never make it smaller than the true sum.
  const farNorm1 = Math.sqrt(far1) * (1 + 1e-9);
  const farNorm2 = Math.sqrt(far2) * (1 + 1e-9);
  return { factor, tapsPerPhase, coefficients, gainBound, pairs, middle, farNorm1, farNorm2 };
}

/** Outputs per span whose inputs are checked against the running peak before interpolating. */
const SPAN = 64;

/**
 * Streaming true-peak detector over several channels. Each channel keeps its last T-1 input samples
 * (Float64) so interpolation continues across blocks; a point between samples m and m+1 is computed once
 * sample m + T/2 has arrived. Spans of points whose inputs cannot beat the channel's peak so far
 * (gainBound * max |x| <= peak) are skipped: exact, and most of programme material is skipped.
 *
 * Counting window (for chunked measurement): points between samples before the first counted sample
 * are ignored when pre-roll was fed; points after the last counted sample are ignored during post-roll.
 */
export class TruePeakDetector {
  readonly #filter: TruePeakFilter;
  readonly #work: Float64Array[];
  readonly #peaks: Float64Array;
  readonly #history: number;
  /** Index (in counted coordinates) of the next interpolation point m to produce (between m and m+1). */
  #nextPoint: number;
  /** Samples fed so far, in counted coordinates (pre-roll samples are negative). */
  #fed = 0;
  #minCounted = Number.NEGATIVE_INFINITY;
  #maxCounted = Number.POSITIVE_INFINITY;

  constructor(filter: TruePeakFilter, channels: number) {
    this.#filter = filter;
    this.#history = filter.tapsPerPhase - 1;
    this.#work = Array.from({ length: channels }, () => new Float64Array(this.#history + 4096));
    this.#peaks = new Float64Array(channels);
    this.#nextPoint = -(filter.tapsPerPhase / 2);
  }

  /** Linear true peak per channel so far (interpolated points only: combine with the sample peak). */
  get peaks(): Float64Array {
    return this.#peaks;
  }

  /** Marks `length` samples about to be fed as pre-roll: they prime the history, their points do not count. */
  beginPreroll(length: number): void {
    this.#fed = -length;
    this.#nextPoint = -length - this.#filter.tapsPerPhase / 2;
    this.#minCounted = 0;
  }

  /** From now on, fed samples are post-roll: they complete points of counted samples but add none. */
  beginPostroll(): void {
    if (this.#maxCounted === Number.POSITIVE_INFINITY) this.#maxCounted = this.#fed;
  }

  /** Feeds samples [from, to) of every plane. */
  push(planes: readonly (Float32Array | Float64Array)[], from: number, to: number): void {
    const len = to - from;
    if (len <= 0) return;
    const h = this.#history;
    if (this.#work[0]!.length < h + len) {
      for (let c = 0; c < this.#work.length; c++) {
        const bigger = new Float64Array(h + Math.max(len, this.#work[c]!.length * 2));
        bigger.set(this.#work[c]!.subarray(0, h));
        this.#work[c] = bigger;
      }
    }
    const first = this.#nextPoint;
    const last = this.#fed + len - 1 - this.#filter.tapsPerPhase / 2;
    for (let c = 0; c < planes.length; c++) {
      const w = this.#work[c]!;
      const x = planes[c]!;
      copyIn(w, h, x, from, len);
      this.#scan(c, w, first, last, this.#fed - h);
      w.copyWithin(0, len, len + h);
    }
    this.#nextPoint = last + 1;
    this.#fed += len;
  }

  /**
   * Peaks including the points still waiting for their right-hand taps, as if zeros followed the last
   * sample (the end of the programme). Does not change the state.
   */
  flushedPeaks(): Float64Array {
    const out = Float64Array.from(this.#peaks);
    const half = this.#filter.tapsPerPhase / 2;
    const h = this.#history;
    const last = Math.min(this.#fed - 1, this.#maxCounted - 1);
    if (last < this.#nextPoint) return out;
    const tmp = new Float64Array(h + half);
    for (let c = 0; c < this.#work.length; c++) {
      tmp.fill(0);
      tmp.set(this.#work[c]!.subarray(0, h));
      out[c] = this.#scanInto(tmp, this.#nextPoint, last, this.#fed - h, out[c]!);
    }
    return out;
  }

  /** Interpolates points first..last of channel c; w[0] holds the sample at counted index `base`. */
  #scan(c: number, w: Float64Array, first: number, last: number, base: number): void {
    this.#peaks[c] = this.#scanInto(w, first, last, base, this.#peaks[c]!);
  }

  #scanInto(w: Float64Array, first: number, last: number, base: number, peakIn: number): number {
    const lo = Math.max(first, this.#minCounted);
    const hi = Math.min(last, this.#maxCounted - 1);
    const f = this.#filter;
    if (hi < lo || f.factor === 1) return peakIn;
    const half = f.tapsPerPhase / 2;
    const bound = f.gainBound;
    let peak = peakIn;
    for (let spanStart = lo; spanStart <= hi; spanStart += SPAN) {
      const spanEnd = Math.min(hi, spanStart + SPAN - 1);
      // Inputs used by points spanStart..spanEnd: x[spanStart - half + 1 .. spanEnd + half].
      const a = spanStart - half + 1 - base;
      const b = spanEnd + half - base;
      let local = 0;
      let energy = 0;
      for (let i = a; i <= b; i++) {
        const v = w[i]!;
        energy += v * v;
        if (v > local) local = v;
        else if (-v > local) local = -v;
      }
      if (local * bound <= peak) continue;
      peak =
        f.factor === 4 && f.tapsPerPhase / 2 > NEAR_PAIRS
          ? interpolate4(w, a, spanEnd - spanStart + 1, f, energy, peak)
          : interpolateAny(w, a, spanEnd - spanStart + 1, f, peak);
    }
    return peak;
  }
}

function copyIn(w: Float64Array, at: number, x: Float32Array | Float64Array, from: number, len: number): void {
  for (let i = 0; i < len; i++) w[at + i] = x[from + i]!;
}

/** Taps each side of the centre used for the cheap first estimate of a 4x point (see `interpolate4`). */
const NEAR_PAIRS = 3;

/**
 * 4x: phases 1 and 3 are mirror images (c3[k] = c1[T-1-k]) and phase 2 is symmetric, so with
 * u = x[k] + x[T-1-k] and v = x[k] - x[T-1-k]: y1 = E + D, y3 = E - D, y2 = sum cm u (1.5 T multiplies).
 * Each point is first estimated from its 6 central taps; by Cauchy-Schwarz the other taps add at most
 * ||c_far||2 * ||x||2 over the span's inputs (`energy`), so when the estimate plus that bound cannot
 * beat the peak so far, the full sum is skipped. Exact: a skipped point is provably below the peak.
 */
function interpolate4(w: Float64Array, start: number, count: number, f: TruePeakFilter, energy: number, peakIn: number): number {
  let peak = peakIn;
  const half = f.tapsPerPhase / 2;
  const last = 2 * half - 1;
  const pairs = f.pairs;
  const middle = f.middle;
  const nearFrom = half - NEAR_PAIRS;
  // The 3 central pairs, unrolled with their coefficients in locals (NEAR_PAIRS is 3).
  const e0 = pairs[half - 3]!;
  const e1 = pairs[half - 2]!;
  const e2 = pairs[half - 1]!;
  const d0 = pairs[2 * half - 3]!;
  const d1 = pairs[2 * half - 2]!;
  const d2 = pairs[2 * half - 1]!;
  const m0 = middle[half - 3]!;
  const m1 = middle[half - 2]!;
  const m2 = middle[half - 1]!;
  // The margin covers rounding in the energy sum.
  const root = Math.sqrt(energy * (1 + 1e-12) + 1e-300);
  const far1 = f.farNorm1 * root;
  const far2 = f.farNorm2 * root;
  for (let j = 0; j < count; j++) {
    const o = start + j;
    const c = o + half;
    const xa = w[c - 3]!;
    const xb = w[c - 2]!;
    const xc = w[c - 1]!;
    const xd = w[c]!;
    const xe = w[c + 1]!;
    const xf = w[c + 2]!;
    const ua = xa + xf;
    const ub = xb + xe;
    const uc = xc + xd;
    let e = e0 * ua + e1 * ub + e2 * uc;
    let d = d0 * (xa - xf) + d1 * (xb - xe) + d2 * (xc - xd);
    let m = m0 * ua + m1 * ub + m2 * uc;
    const ae = e < 0 ? -e : e;
    const ad = d < 0 ? -d : d;
    const am = m < 0 ? -m : m;
    if (ae + ad + far1 <= peak && am + far2 <= peak) continue;
    for (let k = 0; k < nearFrom; k++) {
      const x0 = w[o + k]!;
      const x1 = w[o + last - k]!;
      const u = x0 + x1;
      e += pairs[k]! * u;
      d += pairs[half + k]! * (x0 - x1);
      m += middle[k]! * u;
    }
    const y1 = e + d < 0 ? -(e + d) : e + d;
    const y3 = e - d < 0 ? d - e : e - d;
    const y2 = m < 0 ? -m : m;
    if (y1 > peak) peak = y1;
    if (y3 > peak) peak = y3;
    if (y2 > peak) peak = y2;
  }
  return peak;
}

/** Any factor: every phase directly. */
function interpolateAny(w: Float64Array, start: number, count: number, f: TruePeakFilter, peakIn: number): number {
  let peak = peakIn;
  const taps = f.tapsPerPhase;
  const coef = f.coefficients;
  const phases = f.factor - 1;
  for (let j = 0; j < count; j++) {
    const o = start + j;
    for (let p = 0; p < phases; p++) {
      const r = p * taps;
      let acc = 0;
      for (let k = 0; k < taps; k++) acc += coef[r + k]! * w[o + k]!;
      const av = acc < 0 ? -acc : acc;
      if (av > peak) peak = av;
    }
  }
  return peak;
}
