import { type CompiledClip, type CompiledPlan, type CompiledTrack, compileMixPlan, type GainRamp } from "./compile-plan.ts";
import { ditherTo24Bit, outputDitherSeed } from "./dither.ts";
import { InvalidMixPlanError, MediaReadError } from "./errors.ts";
import { applyFade } from "./fade-curves.ts";
import type { MediaReader } from "./media-reader.ts";
import { fillCurve } from "./piecewise.ts";
import { MIX_OUTPUTS, type MixOutput, type MixPlan, TRACK_ROLES } from "./plan.ts";
import { fillMonoPan, panLawGain } from "./routing.ts";

// The block renderer. Every gain of a sample is computed from that sample's absolute timeline position
// (fades, crossfades, automation, pan), never carried from the previous sample or block, and sums run in a
// fixed order (clips of a track by start, tracks in plan order, stems DX MX FX BG FOLEY), so a sample's
// value does not depend on where blocks or chunks begin: rendering [a, b) then [b, c) equals [a, c).

export const DEFAULT_BLOCK_SIZE = 4096;

const ALL_ROLES = TRACK_ROLES.map((_, r) => r);
const ME_ROLES = ALL_ROLES.filter((r) => TRACK_ROLES[r] !== "DX");

export interface RenderMixOptions {
  /** First timeline sample to render (default plan.range.start). */
  readonly from?: number;
  /** End of the render, exclusive (default plan.range.end). */
  readonly to?: number;
  /** Samples per block (default 4096); the last block may be shorter. */
  readonly blockSize?: number;
  /** Which outputs to produce (default all of MIX_OUTPUTS). Fewer outputs cost less. */
  readonly outputs?: readonly MixOutput[];
  /** Also quantise every output to 24 bits with TPDF dither seeded by `seed` and the output's id. */
  readonly dither?: { readonly seed: number };
}

export interface MixBlock {
  /** Timeline position of the block's first sample. */
  readonly start: number;
  readonly length: number;
  /** Planar float samples per output, one Float32Array per layout channel (LAYOUT_CHANNELS order). Fresh per block. */
  readonly outputs: Partial<Record<MixOutput, Float32Array[]>>;
  /** With the dither option: 24-bit codes per output, same planes. */
  readonly pcm24?: Partial<Record<MixOutput, Int32Array[]>>;
}

interface ReadJob {
  readonly track: CompiledTrack;
  readonly clip: CompiledClip;
  /** Block-relative span of the clip in this block. */
  readonly from: number;
  readonly to: number;
  readonly data: (Float32Array | Promise<Float32Array>)[];
}

/**
 * Renders [from, to) of a plan block by block. Memory is bounded by the block size, the number of tracks
 * and channels, whatever the session length: no block holds more than `blockSize` samples per plane and
 * the reader is asked for at most `blockSize` samples per read.
 */
export async function* renderMix(plan: MixPlan, media: MediaReader, options: RenderMixOptions = {}): AsyncGenerator<MixBlock> {
  const compiled = compileMixPlan(plan);
  const from = options.from ?? plan.range.start;
  const to = options.to ?? plan.range.end;
  const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!Number.isSafeInteger(from) || from < plan.range.start)
    throw new InvalidMixPlanError(`must be a sample at or after range.start`, "from");
  if (!Number.isSafeInteger(to) || to > plan.range.end || to <= from)
    throw new InvalidMixPlanError("must be after from and at most range.end", "to");
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new InvalidMixPlanError("must be a whole number >= 1", "blockSize");
  const outputs = options.outputs ?? MIX_OUTPUTS;
  const renderer = new BlockRenderer(compiled, blockSize);
  for (let start = from; start < to; start += blockSize) {
    const length = Math.min(blockSize, to - start);
    const jobs = renderer.reads(media, start, length);
    if (jobs.some((job) => job.data.some(isPromise))) {
      await Promise.all(jobs.map(async (job) => job.data.splice(0, job.data.length, ...(await Promise.all(job.data)))));
    }
    renderer.mix(jobs, start, length);
    const planes = renderer.emit(outputs, length);
    const dither = options.dither;
    const pcm24 =
      dither === undefined
        ? undefined
        : Object.fromEntries(
            Object.entries(planes).map(([output, p]) => [
              output,
              ditherTo24Bit(p, start, outputDitherSeed(dither.seed, output as MixOutput)),
            ]),
          );
    yield pcm24 === undefined ? { start, length, outputs: planes } : { start, length, outputs: planes, pcm24 };
  }
}

function isPromise(value: Float32Array | Promise<Float32Array>): value is Promise<Float32Array> {
  return typeof (value as { then?: unknown }).then === "function";
}

/** Index of the first clip whose audible span may reach `position` (maxEnd is non-decreasing). */
function firstReaching(maxEnd: Float64Array, position: number): number {
  let lo = 0;
  let hi = maxEnd.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((maxEnd[mid] as number) > position) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The part of a ramp inside block-relative [from, to), applied to gains (block-indexed). */
function applyRamp(gains: Float64Array, ramp: GainRamp, blockStart: number, from: number, to: number, out: boolean): void {
  if (ramp.length === 0) return;
  const a = Math.max(from, ramp.start - blockStart);
  const b = Math.min(to, ramp.start + ramp.length - blockStart);
  if (a >= b) return;
  applyFade(gains, a, b - a, blockStart + a - ramp.start, ramp.length, ramp.shape, out);
}

/** Per-render scratch buffers, reused for every block (nothing is allocated per sample). */
class BlockRenderer {
  readonly #plan: CompiledPlan;
  readonly #size: number;
  readonly #clipGain: Float64Array;
  readonly #trackGain: Float64Array;
  readonly #pan: Float64Array;
  readonly #bus: Float64Array;
  /** Stem accumulators: role r, output channel o at ((r * outputChannels) + o) * size. */
  readonly #stems: Float64Array;
  /**
   * Accumulator planes (role x output channel) written this block; the others are silent and are neither zeroed nor summed.
   * Skipping them changes no value: an accumulator is never -0 (it starts at +0 and adds products of
   * non-negative gains), so adding a silent stem's +0 is the identity.
   */
  readonly #live: Uint8Array;
  readonly #sum: Float64Array;
  /** Per-sample gain of each route of the current track (route r at r * size). */
  readonly #routeGain: Float64Array;

  constructor(plan: CompiledPlan, size: number) {
    this.#plan = plan;
    this.#size = size;
    this.#clipGain = new Float64Array(size);
    this.#trackGain = new Float64Array(size);
    this.#pan = new Float64Array(size);
    this.#bus = new Float64Array(plan.maxTrackChannels * size);
    this.#stems = new Float64Array(TRACK_ROLES.length * plan.outputChannels * size);
    this.#sum = new Float64Array(size);
    this.#routeGain = new Float64Array(plan.maxRoutes * size);
    this.#live = new Uint8Array(TRACK_ROLES.length * plan.outputChannels);
  }

  /** The reads of one block: per sounding clip that reaches it, each channel's source samples in the block. */
  reads(media: MediaReader, start: number, length: number): ReadJob[] {
    const jobs: ReadJob[] = [];
    const end = start + length;
    for (const track of this.#plan.tracks) {
      if (!track.sounding) continue;
      const clips = track.clips;
      for (let i = firstReaching(track.maxEnd, start); i < clips.length; i++) {
        const clip = clips[i] as CompiledClip;
        if (clip.start >= end) break;
        if (clip.end <= start) continue;
        const a = Math.max(clip.start, start);
        const b = Math.min(clip.end, end);
        const sourceStart = clip.sourceAtStart + (a - clip.start);
        const data = clip.channels.map((ref) => media.read(ref.mediaKey, ref.channel, sourceStart, b - a));
        jobs.push({ track, clip, from: a - start, to: b - start, data });
      }
    }
    return jobs;
  }

  mix(jobs: readonly ReadJob[], start: number, length: number): void {
    this.#live.fill(0);
    const size = this.#size;
    const bus = this.#bus;
    const stems = this.#stems;
    const clipGain = this.#clipGain;
    const routeGain = this.#routeGain;
    let j = 0;
    while (j < jobs.length) {
      const track = (jobs[j] as ReadJob).track;
      // This track's jobs are consecutive (reads() walks tracks in order), sorted by start.
      let k = j;
      let lo = length;
      let hi = 0;
      let disjoint = true;
      for (; k < jobs.length && (jobs[k] as ReadJob).track === track; k++) {
        const job = jobs[k] as ReadJob;
        if (job.from < hi) disjoint = false;
        lo = Math.min(lo, job.from);
        hi = Math.max(hi, job.to);
      }
      const constants = this.#routeGains(track, start, lo, hi);
      const outs = this.#outputPlanes(track);
      const routes = track.routes;
      if (disjoint) {
        // No two clips share a sample here (no crossfade overlap in this block): each clip goes straight to
        // the stem. (src * clipGain) * routeGain is the same product the bus path forms, since a bus holding
        // one clip's sample holds exactly src * clipGain.
        for (let q = j; q < k; q++) {
          const job = jobs[q] as ReadJob;
          const { from, to } = job;
          this.#clipGains(job, start);
          for (let r = 0; r < routes.length; r++) {
            const route = routes[r] as (typeof routes)[number];
            const src = job.data[route.from] as Float32Array;
            const out = outs[r] as number;
            const g = constants[r] as number;
            if (!Number.isNaN(g)) {
              for (let i = from; i < to; i++)
                stems[out + i] = (stems[out + i] as number) + (src[i - from] as number) * (clipGain[i] as number) * g;
            } else {
              const rg = r * size;
              for (let i = from; i < to; i++) {
                stems[out + i] =
                  (stems[out + i] as number) + (src[i - from] as number) * (clipGain[i] as number) * (routeGain[rg + i] as number);
              }
            }
          }
        }
      } else {
        for (let c = 0; c < track.channels; c++) bus.fill(0, c * size + lo, c * size + hi);
        for (let q = j; q < k; q++) {
          const job = jobs[q] as ReadJob;
          const { from, to } = job;
          this.#clipGains(job, start);
          for (let c = 0; c < track.channels; c++) {
            const src = job.data[c] as Float32Array;
            const base = c * size;
            for (let i = from; i < to; i++) bus[base + i] = (bus[base + i] as number) + (src[i - from] as number) * (clipGain[i] as number);
          }
        }
        for (let r = 0; r < routes.length; r++) {
          const src = (routes[r] as (typeof routes)[number]).from * size;
          const out = outs[r] as number;
          const g = constants[r] as number;
          if (!Number.isNaN(g)) {
            for (let i = lo; i < hi; i++) stems[out + i] = (stems[out + i] as number) + (bus[src + i] as number) * g;
          } else {
            const rg = r * size;
            for (let i = lo; i < hi; i++)
              stems[out + i] = (stems[out + i] as number) + (bus[src + i] as number) * (routeGain[rg + i] as number);
          }
        }
      }
      j = k;
    }
  }

  /** clipGain[from, to) of a job: clip gain and automation, then its fade-in and fade-out ramps. Checks the read's length. */
  #clipGains(job: ReadJob, start: number): void {
    const { clip, from, to } = job;
    const count = to - from;
    job.data.forEach((src, c) => {
      if ((src as Float32Array).length !== count) {
        const ref = clip.channels[c] as (typeof clip.channels)[number];
        throw new MediaReadError(
          `the reader returned ${(src as Float32Array).length} samples`,
          ref.mediaKey,
          ref.channel,
          clip.sourceAtStart + (start + from - clip.start),
          count,
        );
      }
    });
    const clipGain = this.#clipGain;
    if (clip.volume === undefined) clipGain.fill(clip.constantGain, from, to);
    else fillCurve(clipGain, from, count, start + from - clip.position, clip.volume, clip.gainDb, true);
    applyRamp(clipGain, clip.fadeIn, start, from, to, false);
    applyRamp(clipGain, clip.fadeOut, start, from, to, true);
  }

  /** The stem accumulator offset of each route of a track, zeroing planes on their first use in the block. */
  #outputPlanes(track: CompiledTrack): number[] {
    const size = this.#size;
    const live = this.#live;
    const roleBase = track.roleIndex * this.#plan.outputChannels;
    return track.routes.map((route) => {
      const plane = roleBase + route.to;
      if (live[plane] === 0) {
        live[plane] = 1;
        this.#stems.fill(0, plane * size, (plane + 1) * size);
      }
      return plane * size;
    });
  }

  /**
   * The gain of each route of a track (fader x routing coefficient or pan law) over [lo, hi): a constant
   * per route when neither the fader nor the pan moves (NaN otherwise), else per sample in routeGain.
   */
  #routeGains(track: CompiledTrack, start: number, lo: number, hi: number): number[] {
    const size = this.#size;
    const gain = this.#trackGain;
    const pan = this.#pan;
    const routeGain = this.#routeGain;
    const faded = track.volume !== undefined;
    if (track.volume !== undefined) fillCurve(gain, lo, hi - lo, start + lo, track.volume, 0, true);
    const panned = track.pan !== undefined && track.routes.some((r) => typeof r.law === "string");
    if (panned && track.pan !== undefined) fillCurve(pan, lo, hi - lo, start + lo, track.pan, 0, false);
    const v = track.constantVolume;
    if (panned && track.channels === 1 && track.routes.length === 2) {
      // Mono into stereo: routes 0 and 1 are the left and right pan laws; both from one sine per sample.
      fillMonoPan(pan, faded ? gain : undefined, v, lo, hi, routeGain, 0, size);
      return [Number.NaN, Number.NaN];
    }
    return track.routes.map((route, r) => {
      const law = route.law;
      const rg = r * size;
      if (typeof law === "number" || !panned) {
        const k = typeof law === "number" ? law : panLawGain(law, track.constantPan);
        if (!faded) return v * k;
        for (let i = lo; i < hi; i++) routeGain[rg + i] = (gain[i] as number) * k;
        return Number.NaN;
      }
      if (faded) for (let i = lo; i < hi; i++) routeGain[rg + i] = (gain[i] as number) * panLawGain(law, pan[i] as number);
      else for (let i = lo; i < hi; i++) routeGain[rg + i] = v * panLawGain(law, pan[i] as number);
      return Number.NaN;
    });
  }

  /** Rounds the accumulators of the requested outputs to fresh Float32 planes. */
  emit(outputs: readonly MixOutput[], length: number): Partial<Record<MixOutput, Float32Array[]>> {
    const size = this.#size;
    const channels = this.#plan.outputChannels;
    const stems = this.#stems;
    const sum = this.#sum;
    const live = this.#live;
    const result: Partial<Record<MixOutput, Float32Array[]>> = {};
    for (const output of outputs) {
      // A stem is its role; the printmaster sums DX MX FX BG FOLEY and the M&E MX FX BG FOLEY, left to right in
      // float64, rounded once. Silent accumulators (never written this block) are skipped: adding +0 is the identity.
      const roles = output === "PRINTMASTER" ? ALL_ROLES : output === "ME" ? ME_ROLES : [TRACK_ROLES.indexOf(output)];
      const planes: Float32Array[] = [];
      for (let o = 0; o < channels; o++) {
        const plane = new Float32Array(length);
        // first: the first live accumulator; summed: whether `sum` holds first + later ones.
        let first = -1;
        let summed = false;
        for (const r of roles) {
          const index = r * channels + o;
          if (live[index] === 0) continue;
          const b = index * size;
          if (first < 0) first = b;
          else if (!summed) {
            for (let i = 0; i < length; i++) sum[i] = (stems[first + i] as number) + (stems[b + i] as number);
            summed = true;
          } else {
            for (let i = 0; i < length; i++) sum[i] = (sum[i] as number) + (stems[b + i] as number);
          }
        }
        if (summed) for (let i = 0; i < length; i++) plane[i] = sum[i] as number;
        else if (first >= 0) for (let i = 0; i < length; i++) plane[i] = stems[first + i] as number;
        planes.push(plane);
      }
      result[output] = planes;
    }
    return result;
  }
}
