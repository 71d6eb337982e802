import { InvalidLoudnessInputError } from "./errors.ts";

/** L = -0.691 + 10 log10(sum of weighted mean squares): BS.1770's constant, so 997 Hz at 0 dBFS on one channel reads -3.01. */
export const LUFS_OFFSET = -0.691;
/** BS.1770 absolute gate for integrated loudness, and Tech 3342's for the loudness range. */
export const ABSOLUTE_GATE_LUFS = -70;
/** BS.1770 relative gate: gating blocks more than 10 LU below the absolute-gated level are dropped. */
export const RELATIVE_GATE_LU = -10;
/** Tech 3342 relative gate for the loudness range. */
export const LRA_RELATIVE_GATE_LU = -20;
/** 100 ms blocks per 400 ms gating block (75 % overlap = 100 ms hop). */
export const BLOCKS_PER_GATING_BLOCK = 4;
/** 100 ms blocks per 3 s short-term window (Tech 3342 at a 10 Hz rate). */
export const BLOCKS_PER_SHORT_TERM = 30;

/** Loudness of a K-weighted, channel-weighted mean square; -Infinity for silence (mean square 0). */
export function energyToLufs(meanSquare: number): number {
  return meanSquare > 0 ? LUFS_OFFSET + 10 * Math.log10(meanSquare) : Number.NEGATIVE_INFINITY;
}

/** The mean square that reads `lufs`. */
export function lufsToEnergy(lufs: number): number {
  return 10 ** ((lufs - LUFS_OFFSET) / 10);
}

const ABSOLUTE_GATE_ENERGY = lufsToEnergy(ABSOLUTE_GATE_LUFS);

/**
 * Mean squares of windows of `width` consecutive 100 ms blocks at a 100 ms hop, complete windows only
 * (a programme shorter than one window has none). Each is the plain mean of its blocks, summed directly
 * (no running sum, so nothing drifts over ten hours).
 */
export function slidingWindowEnergies(blocks: ArrayLike<number>, width: number): Float64Array {
  if (!Number.isInteger(width) || width < 1)
    throw new InvalidLoudnessInputError(`window width ${width} is not a positive integer`, "width");
  const n = blocks.length - width + 1;
  if (n <= 0) return new Float64Array(0);
  const out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < width; k++) s += blocks[j + k]!;
    out[j] = s / width;
  }
  return out;
}

/** Integrated loudness and what its gates kept. */
export interface GatedLoudness {
  /** -Infinity when no gating block passes the gates (silence, or shorter than 400 ms). */
  readonly integratedLufs: number;
  /** The relative threshold applied (absolute-gated level - 10 LU); -Infinity when nothing passed the absolute gate. */
  readonly relativeThresholdLufs: number;
  /** Gating blocks kept by both gates, out of `gatingBlockCount`. */
  readonly keptBlockCount: number;
  readonly gatingBlockCount: number;
}

/**
 * BS.1770 gated loudness over the mean squares of 400 ms gating blocks: absolute gate (> -70 LUFS),
 * relative gate (> absolute-gated power mean - 10 LU), then the power mean of what is left.
 * `include`, when given, marks the blocks eligible at all (used by dialogue gating).
 */
export function gatedLoudnessFromGatingBlocks(
  gatingBlocks: ArrayLike<number>,
  include?: ArrayLike<boolean | number>,
  relativeGate = true,
): GatedLoudness {
  const n = gatingBlocks.length;
  let sum = 0;
  let count = 0;
  for (let j = 0; j < n; j++) {
    const z = gatingBlocks[j]!;
    if (z > ABSOLUTE_GATE_ENERGY && (include === undefined || include[j])) {
      sum += z;
      count++;
    }
  }
  if (count === 0) {
    return {
      integratedLufs: Number.NEGATIVE_INFINITY,
      relativeThresholdLufs: Number.NEGATIVE_INFINITY,
      keptBlockCount: 0,
      gatingBlockCount: n,
    };
  }
  if (!relativeGate) {
    return {
      integratedLufs: energyToLufs(sum / count),
      relativeThresholdLufs: Number.NEGATIVE_INFINITY,
      keptBlockCount: count,
      gatingBlockCount: n,
    };
  }
  const relativeEnergy = (sum / count) * 10 ** (RELATIVE_GATE_LU / 10);
  const gate = Math.max(relativeEnergy, ABSOLUTE_GATE_ENERGY);
  let sum2 = 0;
  let count2 = 0;
  for (let j = 0; j < n; j++) {
    const z = gatingBlocks[j]!;
    if (z > gate && (include === undefined || include[j])) {
      sum2 += z;
      count2++;
    }
  }
  return {
    integratedLufs: count2 > 0 ? energyToLufs(sum2 / count2) : Number.NEGATIVE_INFINITY,
    relativeThresholdLufs: energyToLufs(relativeEnergy),
    keptBlockCount: count2,
    gatingBlockCount: n,
  };
}

/**
 * Integrated loudness (BS.1770-4/-5) from the programme's 100 ms block mean squares (K-weighted,
 * channel-weighted sums, blocks starting at the programme start). Concatenate the blocks of
 * consecutive chunks to measure the whole programme: never average chunk LUFS.
 */
export function integratedFromBlocks(blocks: ArrayLike<number>): number {
  return gatedLoudnessFromGatingBlocks(slidingWindowEnergies(blocks, BLOCKS_PER_GATING_BLOCK)).integratedLufs;
}

/** Loudness range and the percentiles it spans. */
export interface LoudnessRange {
  /** L95 - L10 in LU; 0 when no short-term value survives the gates (silence, or under 3 s). */
  readonly loudnessRangeLu: number;
  readonly lowLufs: number;
  readonly highLufs: number;
  /** Short-term values kept by both gates. */
  readonly keptCount: number;
}

/**
 * Tech 3342 loudness range from short-term loudness values (3 s windows at >= 10 Hz): absolute gate
 * -70 LUFS, relative gate -20 LU below the power mean of the absolute-gated values, then the 10th and
 * 95th percentiles as in the Tech 3342 MATLAB reference (sorted[round((n-1)p/100)], 0-based).
 */
export function loudnessRangeFromShortTerm(shortTermLufs: ArrayLike<number>): LoudnessRange {
  const energies = new Float64Array(shortTermLufs.length);
  for (let i = 0; i < energies.length; i++) {
    const l = shortTermLufs[i]!;
    energies[i] = l === Number.NEGATIVE_INFINITY ? 0 : lufsToEnergy(l);
  }
  return loudnessRangeFromShortTermEnergies(energies);
}

/** As `loudnessRangeFromShortTerm`, from short-term mean squares. */
export function loudnessRangeFromShortTermEnergies(energies: ArrayLike<number>): LoudnessRange {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < energies.length; i++) {
    const z = energies[i]!;
    if (z > ABSOLUTE_GATE_ENERGY) {
      sum += z;
      count++;
    }
  }
  const none: LoudnessRange = { loudnessRangeLu: 0, lowLufs: Number.NEGATIVE_INFINITY, highLufs: Number.NEGATIVE_INFINITY, keptCount: 0 };
  if (count === 0) return none;
  const gate = Math.max((sum / count) * 10 ** (LRA_RELATIVE_GATE_LU / 10), ABSOLUTE_GATE_ENERGY);
  const kept = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < energies.length; i++) {
    const z = energies[i]!;
    if (z > gate) kept[k++] = z;
  }
  if (k === 0) return none;
  const sorted = kept.subarray(0, k).sort();
  const low = energyToLufs(sorted[Math.round(((k - 1) * 10) / 100)]!);
  const high = energyToLufs(sorted[Math.round(((k - 1) * 95) / 100)]!);
  return { loudnessRangeLu: high - low, lowLufs: low, highLufs: high, keptCount: k };
}

/** Tech 3342 loudness range from 100 ms block mean squares (short-term windows at a 100 ms hop). */
export function loudnessRangeFromBlocks(blocks: ArrayLike<number>): LoudnessRange {
  return loudnessRangeFromShortTermEnergies(slidingWindowEnergies(blocks, BLOCKS_PER_SHORT_TERM));
}
