import { type ChannelSpec, channelWeights } from "./channels.ts";
import { InvalidLoudnessInputError } from "./errors.ts";
import { energyToLufs } from "./gating.ts";
import { kWeighting } from "./k-weighting.ts";
import {
  type LoudnessResult,
  type LoudnessSegment,
  maxWindowMean,
  resultFromSegment,
  SUBS_PER_BLOCK,
  SUBS_PER_MOMENTARY,
  SUBS_PER_SHORT_TERM,
} from "./segment.ts";
import { DEFAULT_TAPS_PER_PHASE, defaultOversampling, designTruePeakFilter, TruePeakDetector } from "./true-peak.ts";

/** Planar samples: one array per channel, equal lengths, full scale +-1.0. */
export type Planes = readonly (Float32Array | Float64Array)[];

export interface LoudnessMeterOptions {
  /** Hz, any integer rate >= 8000 (the K-filter is designed for it). */
  readonly sampleRate: number;
  /** Named layout, WAVE channel mask, positions or explicit weights: see `channelWeights`. */
  readonly channels: ChannelSpec;
  /** Measure true peak (default true); off saves the interpolation. */
  readonly truePeak?: boolean;
  /** Oversampling factor; default `defaultOversampling(sampleRate)` (interpolated rate >= 192 kHz). */
  readonly truePeakOversampling?: number;
  /** Interpolator taps per phase (even); default 32. */
  readonly truePeakTapsPerPhase?: number;
}

/** A streaming BS.1770 / EBU Mode meter. Memory: 8 bytes per 100 ms of programme plus fixed buffers. */
export interface LoudnessMeter {
  readonly sampleRate: number;
  readonly channelCount: number;
  /** BS.1770 weight of each channel (0 = excluded, e.g. LFE). */
  readonly weights: Float64Array;
  /**
   * Feeds samples that precede the measured stretch (a chunk's pre-roll): they settle the K-filter and
   * the true-peak history and count for nothing. Only before the first `push`.
   */
  preroll(planes: Planes): void;
  /** Measures a block of any length. */
  push(planes: Planes): void;
  /** Feeds samples that follow the measured stretch so true-peak points near its end are exact. */
  postroll(planes: Planes): void;
  /** Momentary loudness of the 400 ms ending at the last completed 10 ms sub-block (silence before the start). */
  momentaryLufs(): number;
  /** Short-term loudness of the 3 s ending at the last completed 10 ms sub-block. */
  shortTermLufs(): number;
  /** Samples measured so far (per channel). */
  readonly samples: number;
  /** The measurement so far (as if the programme ended now). Does not change the state. */
  result(): LoudnessResult;
  /** The mergeable record of what was measured so far (see `mergeSegments`). Does not change the state. */
  segment(): LoudnessSegment;
}

/** Creates a meter; see `LoudnessMeterOptions`. */
export function createLoudnessMeter(options: LoudnessMeterOptions): LoudnessMeter {
  return new StreamingLoudnessMeter(options);
}

/** Float64 state per channel: x[n-1], x[n-2], stage-1 y[n-1], y[n-2], stage-2 z[n-1], z[n-2]. */
const STATE = 6;

/**
 * Runs both K-weighting biquads (direct form I, Float64) over x[from, to) and returns the sum of squares
 * of the output. Direct form I with the feedback term added last keeps the loop-carried dependency to one
 * multiply and one add per stage (faster than transposed form II here, same result to ~1e-12). State
 * s[o..o+5] is read into locals and written back once.
 */
function kFilterSumSquares(
  x: Float32Array | Float64Array,
  from: number,
  to: number,
  s: Float64Array,
  o: number,
  b0: number,
  b1: number,
  b2: number,
  a1: number,
  a2: number,
  c1: number,
  c2: number,
): number {
  let x1 = s[o]!;
  let x2 = s[o + 1]!;
  let y1 = s[o + 2]!;
  let y2 = s[o + 3]!;
  let z1 = s[o + 4]!;
  let z2 = s[o + 5]!;
  let acc = 0;
  for (let i = from; i < to; i++) {
    const v = x[i]!;
    const y = b0 * v + b1 * x1 + b2 * x2 - a2 * y2 - a1 * y1;
    // Second stage has b = [1, -2, 1]; its input history is the first stage's output history.
    const z = y - 2 * y1 + y2 - c2 * z2 - c1 * z1;
    x2 = x1;
    x1 = v;
    y2 = y1;
    y1 = y;
    z2 = z1;
    z1 = z;
    acc += z * z;
  }
  // Flush values too small to matter (avoids slow subnormal arithmetic after a signal stops).
  s[o] = x1;
  s[o + 1] = x2;
  s[o + 2] = Math.abs(y1) < 1e-30 ? 0 : y1;
  s[o + 3] = Math.abs(y2) < 1e-30 ? 0 : y2;
  s[o + 4] = Math.abs(z1) < 1e-30 ? 0 : z1;
  s[o + 5] = Math.abs(z2) < 1e-30 ? 0 : z2;
  return acc;
}

function growTo(a: Float64Array, n: number): Float64Array {
  if (a.length >= n) return a;
  const b = new Float64Array(Math.max(n, a.length * 2));
  b.set(a);
  return b;
}

class StreamingLoudnessMeter implements LoudnessMeter {
  readonly sampleRate: number;
  readonly channelCount: number;
  readonly weights: Float64Array;
  readonly #coef: Float64Array;
  readonly #state: Float64Array;
  readonly #truePeak: TruePeakDetector | undefined;
  readonly #samplePeaks: Float64Array;
  /** Nominal samples per 10 ms sub-block (fs / 100, maybe fractional). */
  readonly #subNominal: number;
  #samples = 0;
  #subCount = 0;
  #subEnd: number;
  #subAcc = 0;
  /** Ring of the last 300 sub-block mean squares; slot of sub-block k is k % 300. */
  readonly #ring = new Float64Array(SUBS_PER_SHORT_TERM);
  readonly #head = new Float64Array(SUBS_PER_SHORT_TERM);
  #blockAcc = 0;
  #blocks: Float64Array = new Float64Array(1024);
  #blockCount = 0;
  #maxMomentary = 0;
  #maxShortTerm = 0;
  #momentary = 0;
  #shortTerm = 0;
  #pushed = false;
  #postrolled = false;

  constructor(o: LoudnessMeterOptions) {
    if (!Number.isInteger(o.sampleRate) || o.sampleRate < 8000 || o.sampleRate > 768000) {
      throw new InvalidLoudnessInputError(`sample rate ${o.sampleRate} is not an integer in 8000..768000 Hz`, "sampleRate");
    }
    this.sampleRate = o.sampleRate;
    this.weights = channelWeights(o.channels);
    this.channelCount = this.weights.length;
    const k = kWeighting(o.sampleRate);
    this.#coef = Float64Array.of(k.shelf.b0, k.shelf.b1, k.shelf.b2, k.shelf.a1, k.shelf.a2, k.highpass.a1, k.highpass.a2);
    this.#state = new Float64Array(STATE * this.channelCount);
    this.#samplePeaks = new Float64Array(this.channelCount);
    this.#subNominal = o.sampleRate / 100;
    this.#subEnd = Math.floor(o.sampleRate / 100);
    if (o.truePeak !== false) {
      const factor = o.truePeakOversampling ?? defaultOversampling(o.sampleRate);
      this.#truePeak = new TruePeakDetector(
        designTruePeakFilter(factor, o.truePeakTapsPerPhase ?? DEFAULT_TAPS_PER_PHASE),
        this.channelCount,
      );
    }
  }

  get samples(): number {
    return this.#samples;
  }

  #check(planes: Planes): number {
    if (!Array.isArray(planes) || planes.length !== this.channelCount) {
      throw new InvalidLoudnessInputError(
        `expected ${this.channelCount} planes, got ${Array.isArray(planes) ? planes.length : typeof planes}`,
        "planes",
      );
    }
    const n = planes[0]!.length;
    for (let c = 0; c < planes.length; c++) {
      const p = planes[c];
      if (!(p instanceof Float32Array || p instanceof Float64Array)) {
        throw new InvalidLoudnessInputError(`plane ${c} is not a Float32Array or Float64Array`, "planes");
      }
      if (p.length !== n) throw new InvalidLoudnessInputError(`plane ${c} has ${p.length} samples, plane 0 has ${n}`, "planes");
    }
    return n;
  }

  preroll(planes: Planes): void {
    const n = this.#check(planes);
    if (this.#pushed) throw new InvalidLoudnessInputError("preroll must come once, before any push", "planes");
    this.#pushed = true;
    const c = this.#coef;
    for (let ch = 0; ch < this.channelCount; ch++) {
      if (this.weights[ch] === 0) continue;
      kFilterSumSquares(planes[ch]!, 0, n, this.#state, STATE * ch, c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!);
    }
    if (this.#truePeak !== undefined) {
      this.#truePeak.beginPreroll(n);
      this.#truePeak.push(planes, 0, n);
    }
  }

  postroll(planes: Planes): void {
    const n = this.#check(planes);
    this.#postrolled = true;
    if (this.#truePeak !== undefined) {
      this.#truePeak.beginPostroll();
      this.#truePeak.push(planes, 0, n);
    }
  }

  push(planes: Planes): void {
    const n = this.#check(planes);
    if (this.#postrolled) throw new InvalidLoudnessInputError("push after postroll", "planes");
    this.#pushed = true;
    if (n === 0) return;
    const nch = this.channelCount;
    const w = this.weights;
    const st = this.#state;
    const c = this.#coef;
    const b0 = c[0]!;
    const b1 = c[1]!;
    const b2 = c[2]!;
    const a1 = c[3]!;
    const a2 = c[4]!;
    const c1 = c[5]!;
    const c2 = c[6]!;
    let offset = 0;
    while (offset < n) {
      const len = Math.min(n - offset, this.#subEnd - this.#samples);
      let acc = 0;
      for (let ch = 0; ch < nch; ch++) {
        const g = w[ch]!;
        if (g === 0) continue;
        acc += g * kFilterSumSquares(planes[ch]!, offset, offset + len, st, STATE * ch, b0, b1, b2, a1, a2, c1, c2);
      }
      this.#subAcc += acc;
      offset += len;
      this.#samples += len;
      if (this.#samples === this.#subEnd) this.#completeSubBlock();
    }
    const peaks = this.#samplePeaks;
    for (let ch = 0; ch < nch; ch++) {
      const x = planes[ch]!;
      let p = peaks[ch]!;
      for (let i = 0; i < n; i++) {
        const v = x[i]!;
        if (v > p) p = v;
        else if (-v > p) p = -v;
      }
      peaks[ch] = p;
    }
    this.#truePeak?.push(planes, 0, n);
  }

  #completeSubBlock(): void {
    const ms = this.#subAcc / this.#subNominal;
    this.#subAcc = 0;
    const k = this.#subCount;
    this.#ring[k % SUBS_PER_SHORT_TERM] = ms;
    if (k < SUBS_PER_SHORT_TERM) this.#head[k] = ms;
    this.#subCount = k + 1;
    this.#subEnd = Math.floor(((k + 2) * this.sampleRate) / 100);
    this.#updateWindows(this.#ring, k);
    this.#blockAcc += ms;
    if ((k + 1) % SUBS_PER_BLOCK === 0) {
      this.#blocks = growTo(this.#blocks, this.#blockCount + 1);
      this.#blocks[this.#blockCount++] = this.#blockAcc / SUBS_PER_BLOCK;
      this.#blockAcc = 0;
    }
  }

  /** Momentary and short-term mean squares of the windows ending at sub-block k (ring slot k % 300). */
  #updateWindows(ring: Float64Array, k: number): void {
    let m = 0;
    const mFirst = Math.max(0, k - SUBS_PER_MOMENTARY + 1);
    for (let i = mFirst; i <= k; i++) m += ring[i % SUBS_PER_SHORT_TERM]!;
    let s = m;
    const sFirst = Math.max(0, k - SUBS_PER_SHORT_TERM + 1);
    for (let i = sFirst; i < mFirst; i++) s += ring[i % SUBS_PER_SHORT_TERM]!;
    this.#momentary = m / SUBS_PER_MOMENTARY;
    this.#shortTerm = s / SUBS_PER_SHORT_TERM;
    if (this.#momentary > this.#maxMomentary) this.#maxMomentary = this.#momentary;
    if (this.#shortTerm > this.#maxShortTerm) this.#maxShortTerm = this.#shortTerm;
  }

  momentaryLufs(): number {
    return energyToLufs(this.#momentary);
  }

  shortTermLufs(): number {
    return energyToLufs(this.#shortTerm);
  }

  /** The last min(300, total) sub-blocks in order, a partial one (the samples since the last boundary) included. */
  #subBlocks(): { head: Float64Array; tail: Float64Array; partial: boolean } {
    const k = this.#subCount;
    const partialStart = Math.floor((k * this.sampleRate) / 100);
    const partial = this.#samples > partialStart;
    const total = k + (partial ? 1 : 0);
    const n = Math.min(total, SUBS_PER_SHORT_TERM);
    const tail = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      const idx = total - n + j;
      tail[j] = idx === k ? this.#subAcc / this.#subNominal : this.#ring[idx % SUBS_PER_SHORT_TERM]!;
    }
    const headLen = Math.min(total, SUBS_PER_SHORT_TERM);
    const head = this.#head.slice(0, headLen);
    if (partial && k < SUBS_PER_SHORT_TERM) head[k] = this.#subAcc / this.#subNominal;
    return { head, tail, partial };
  }

  segment(): LoudnessSegment {
    const { head, tail, partial } = this.#subBlocks();
    let maxM = this.#maxMomentary;
    let maxS = this.#maxShortTerm;
    if (partial) {
      // The windows ending at the end of the stream (mid sub-block).
      maxM = Math.max(maxM, maxWindowMean(tail, SUBS_PER_MOMENTARY, tail.length - 1, tail.length - 1));
      maxS = Math.max(maxS, maxWindowMean(tail, SUBS_PER_SHORT_TERM, tail.length - 1, tail.length - 1));
    }
    const samplePeaks = Float64Array.from(this.#samplePeaks);
    const truePeaks = new Float64Array(this.channelCount);
    if (this.#truePeak !== undefined) {
      const tp = this.#truePeak.flushedPeaks();
      for (let c = 0; c < this.channelCount; c++) truePeaks[c] = Math.max(tp[c]!, samplePeaks[c]!);
    }
    return {
      sampleRate: this.sampleRate,
      channelCount: this.channelCount,
      samples: this.#samples,
      blocks: this.#blocks.slice(0, this.#blockCount),
      head,
      tail,
      maxMomentary: maxM,
      maxShortTerm: maxS,
      samplePeaks,
      truePeaks,
    };
  }

  result(): LoudnessResult {
    return resultFromSegment(this.segment());
  }
}
