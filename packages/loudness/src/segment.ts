import { InvalidLoudnessInputError } from "./errors.ts";
import { energyToLufs, gatedLoudnessFromGatingBlocks, loudnessRangeFromBlocks, slidingWindowEnergies } from "./gating.ts";

/** 10 ms sub-blocks per 400 ms momentary window. */
export const SUBS_PER_MOMENTARY = 40;
/** 10 ms sub-blocks per 3 s short-term window. */
export const SUBS_PER_SHORT_TERM = 300;
/** 10 ms sub-blocks per 100 ms block. */
export const SUBS_PER_BLOCK = 10;

/**
 * What a meter measured over one stretch of a programme, in a form that merges exactly with the next
 * stretch's (see README "Chunks"). Energies are mean squares of the K-weighted, channel-weighted sum,
 * each over its nominal duration (a partial sub-block at the end counts as if padded with silence).
 */
export interface LoudnessSegment {
  readonly sampleRate: number;
  readonly channelCount: number;
  /** Samples (per channel) measured, pre- and post-roll excluded. */
  readonly samples: number;
  /** Mean square of every complete 100 ms block, from the segment's first sample. */
  readonly blocks: Float64Array;
  /** The first (up to) 300 10 ms sub-block mean squares, a partial last one included. */
  readonly head: Float64Array;
  /** The last (up to) 300 10 ms sub-block mean squares, a partial last one included. */
  readonly tail: Float64Array;
  /**
   * Largest mean square of a 400 ms / 3 s window ending at any 10 ms sub-block end (and at the end),
   * treating time before the segment as silence; merging adds the windows that straddle the join.
   */
  readonly maxMomentary: number;
  readonly maxShortTerm: number;
  /** Linear |sample| peak per channel. */
  readonly samplePeaks: Float64Array;
  /** Linear true peak per channel, never below the sample peak (0 when true peak is off). */
  readonly truePeaks: Float64Array;
}

/** What a meter reports. Levels of silence are -Infinity (see `toJsonResult` for JSON). */
export interface LoudnessResult {
  /** BS.1770 gated integrated loudness, LUFS. */
  readonly integratedLufs: number;
  /** Tech 3342 loudness range, LU (0 when nothing survives its gates, e.g. under 3 s or silence). */
  readonly loudnessRangeLu: number;
  /** Max over channels of max(true peak, sample peak), dBTP; -Infinity when true peak is off or silent. */
  readonly truePeakDbtp: number;
  /** Max over channels of |sample|, dBFS. */
  readonly samplePeakDbfs: number;
  /** Max momentary (400 ms) loudness over windows ending every 10 ms, LUFS. */
  readonly maxMomentaryLufs: number;
  /** Max short-term (3 s) loudness over windows ending every 10 ms, LUFS. */
  readonly maxShortTermLufs: number;
  /** Relative gate of the integrated measurement (absolute-gated level - 10 LU), LUFS. */
  readonly relativeThresholdLufs: number;
  /** 10th and 95th percentile of the gated short-term loudness, LUFS. */
  readonly loudnessRangeLowLufs: number;
  readonly loudnessRangeHighLufs: number;
  readonly durationSeconds: number;
  readonly channelTruePeaksDbtp: readonly number[];
  readonly channelSamplePeaksDbfs: readonly number[];
}

/** `LoudnessResult` with every -Infinity (silence) as null, since JSON has no -Infinity. */
export type LoudnessResultJson = {
  readonly [K in keyof LoudnessResult]: LoudnessResult[K] extends number ? number | null : (number | null)[];
};

const toDb = (linear: number): number => (linear > 0 ? 20 * Math.log10(linear) : Number.NEGATIVE_INFINITY);

/** The result of a (possibly merged) segment measured from the programme start. */
export function resultFromSegment(s: LoudnessSegment): LoudnessResult {
  const gated = gatedLoudnessFromGatingBlocks(slidingWindowEnergies(s.blocks, 4));
  const lra = loudnessRangeFromBlocks(s.blocks);
  let tp = 0;
  let sp = 0;
  for (let c = 0; c < s.channelCount; c++) {
    tp = Math.max(tp, s.truePeaks[c]!);
    sp = Math.max(sp, s.samplePeaks[c]!);
  }
  return {
    integratedLufs: gated.integratedLufs,
    loudnessRangeLu: lra.loudnessRangeLu,
    truePeakDbtp: toDb(tp),
    samplePeakDbfs: toDb(sp),
    maxMomentaryLufs: energyToLufs(s.maxMomentary),
    maxShortTermLufs: energyToLufs(s.maxShortTerm),
    relativeThresholdLufs: gated.relativeThresholdLufs,
    loudnessRangeLowLufs: lra.lowLufs,
    loudnessRangeHighLufs: lra.highLufs,
    durationSeconds: s.samples / s.sampleRate,
    channelTruePeaksDbtp: Array.from(s.truePeaks, toDb),
    channelSamplePeaksDbfs: Array.from(s.samplePeaks, toDb),
  };
}

/** Maps -Infinity (silence) to null so the result survives JSON.stringify (which would write null anyway, silently). */
export function toJsonResult(r: LoudnessResult): LoudnessResultJson {
  const fin = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = Array.isArray(v) ? v.map(fin) : fin(v as number);
  return out as LoudnessResultJson;
}

/** Largest mean of `width` consecutive values of seq ending at indices from..to (values before 0 are silence). */
export function maxWindowMean(seq: ArrayLike<number>, width: number, from: number, to: number): number {
  let best = 0;
  for (let e = Math.max(from, 0); e <= to && e < seq.length; e++) {
    let s = 0;
    for (let i = Math.max(0, e - width + 1); i <= e; i++) s += seq[i]!;
    if (s > best) best = s;
  }
  return best / width;
}

function concat(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * The segment of `a` followed immediately by `b` (consecutive chunks of one programme). `a` must hold a
 * whole number of 100 ms blocks so that block and sub-block boundaries continue across the join. Windows
 * straddling the join are rebuilt from a's last and b's first 300 sub-blocks; gating and loudness range
 * are then computed over the concatenated blocks as if measured in one pass.
 */
export function mergeSegments(a: LoudnessSegment, b: LoudnessSegment): LoudnessSegment {
  if (a.sampleRate !== b.sampleRate || a.channelCount !== b.channelCount) {
    throw new InvalidLoudnessInputError(
      `cannot merge ${a.channelCount} ch at ${a.sampleRate} Hz with ${b.channelCount} ch at ${b.sampleRate} Hz`,
      "segments",
    );
  }
  if ((a.samples * 10) % a.sampleRate !== 0) {
    throw new InvalidLoudnessInputError(
      `the first segment has ${a.samples} samples, not a whole number of 100 ms blocks at ${a.sampleRate} Hz`,
      "segments",
    );
  }
  const join = concat(a.tail, b.head);
  const at = a.tail.length;
  const crossM = maxWindowMean(join, SUBS_PER_MOMENTARY, at, at + SUBS_PER_MOMENTARY - 2);
  const crossS = maxWindowMean(join, SUBS_PER_SHORT_TERM, at, at + SUBS_PER_SHORT_TERM - 2);
  const head = a.head.length < SUBS_PER_SHORT_TERM ? concat(a.head, b.head).slice(0, SUBS_PER_SHORT_TERM) : a.head;
  const tailAll = b.tail.length < SUBS_PER_SHORT_TERM ? concat(a.tail, b.tail) : b.tail;
  const tail = tailAll.slice(Math.max(0, tailAll.length - SUBS_PER_SHORT_TERM));
  const samplePeaks = new Float64Array(a.channelCount);
  const truePeaks = new Float64Array(a.channelCount);
  for (let c = 0; c < a.channelCount; c++) {
    samplePeaks[c] = Math.max(a.samplePeaks[c]!, b.samplePeaks[c]!);
    truePeaks[c] = Math.max(a.truePeaks[c]!, b.truePeaks[c]!);
  }
  return {
    sampleRate: a.sampleRate,
    channelCount: a.channelCount,
    samples: a.samples + b.samples,
    blocks: concat(a.blocks, b.blocks),
    head,
    tail,
    maxMomentary: Math.max(a.maxMomentary, b.maxMomentary, crossM),
    maxShortTerm: Math.max(a.maxShortTerm, b.maxShortTerm, crossS),
    samplePeaks,
    truePeaks,
  };
}

/** Merges consecutive segments in order. */
export function mergeAllSegments(segments: readonly LoudnessSegment[]): LoudnessSegment {
  if (segments.length === 0) throw new InvalidLoudnessInputError("no segments to merge", "segments");
  let acc = segments[0]!;
  for (let i = 1; i < segments.length; i++) acc = mergeSegments(acc, segments[i]!);
  return acc;
}

/** A `LoudnessSegment` as plain JSON (arrays of numbers), to send between processes. */
export interface LoudnessSegmentJson {
  readonly sampleRate: number;
  readonly channelCount: number;
  readonly samples: number;
  readonly blocks: number[];
  readonly head: number[];
  readonly tail: number[];
  readonly maxMomentary: number;
  readonly maxShortTerm: number;
  readonly samplePeaks: number[];
  readonly truePeaks: number[];
}

/** Plain-JSON form of a segment; every value is a finite number, so JSON round-trips it exactly. */
export function segmentToJson(s: LoudnessSegment): LoudnessSegmentJson {
  return {
    sampleRate: s.sampleRate,
    channelCount: s.channelCount,
    samples: s.samples,
    blocks: Array.from(s.blocks),
    head: Array.from(s.head),
    tail: Array.from(s.tail),
    maxMomentary: s.maxMomentary,
    maxShortTerm: s.maxShortTerm,
    samplePeaks: Array.from(s.samplePeaks),
    truePeaks: Array.from(s.truePeaks),
  };
}

/** Reads a segment back from `segmentToJson` output (e.g. after JSON.parse), checking its shape. */
export function segmentFromJson(j: LoudnessSegmentJson): LoudnessSegment {
  const fail = (why: string): never => {
    throw new InvalidLoudnessInputError(`not a loudness segment: ${why}`, "segment");
  };
  const int = (v: unknown, name: string): number =>
    Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : fail(`${name} is not a non-negative integer`);
  const nums = (v: unknown, name: string, length?: number): Float64Array => {
    if (!Array.isArray(v) || !v.every((x) => typeof x === "number" && Number.isFinite(x) && x >= 0))
      fail(`${name} is not an array of finite numbers >= 0`);
    if (length !== undefined && (v as number[]).length !== length) fail(`${name} has ${(v as number[]).length} values, expected ${length}`);
    return Float64Array.from(v as number[]);
  };
  if (typeof j !== "object" || j === null) fail("not an object");
  const sampleRate = int(j.sampleRate, "sampleRate");
  const channelCount = int(j.channelCount, "channelCount");
  const samples = int(j.samples, "samples");
  if (sampleRate < 8000) fail("sampleRate below 8000");
  // Complete 100 ms blocks: the largest n with floor(n * fs / 10) <= samples.
  const blocks = nums(j.blocks, "blocks", Math.floor((10 * (samples + 1) - 1) / sampleRate));
  const head = nums(j.head, "head");
  const tail = nums(j.tail, "tail");
  if (head.length > SUBS_PER_SHORT_TERM || tail.length > SUBS_PER_SHORT_TERM) fail("head or tail longer than 300 sub-blocks");
  const [maxMomentary, maxShortTerm] = nums([j.maxMomentary, j.maxShortTerm], "maxima");
  return {
    sampleRate,
    channelCount,
    samples,
    blocks,
    head,
    tail,
    maxMomentary: maxMomentary!,
    maxShortTerm: maxShortTerm!,
    samplePeaks: nums(j.samplePeaks, "samplePeaks", channelCount),
    truePeaks: nums(j.truePeaks, "truePeaks", channelCount),
  };
}
