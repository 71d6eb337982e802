import { createLoudnessMeter, type LoudnessSegment } from "@dubstage/loudness";
import { LAYOUT_CHANNELS, type MediaReader, type MixOutput, type MixPlan, renderMix } from "@dubstage/mix";
import { encodeSegment } from "../domain/segment-codec.ts";
import type { RenderStore } from "./ports.ts";
import { renderObject } from "./render-objects.ts";

// One job of the farm: one output of a render over one time chunk, rendered with dither to 24 bits and
// stored as raw interleaved little-endian PCM under a key named by the chunk's content key, with its
// loudness (100 ms block energies, peaks, maxima) beside it. The meter is settled on the second before the
// chunk and reads a few samples after it, both rendered exactly as the neighbouring chunks render them, so
// the merged figures are the single pass's.

/** A chunk job as it travels through the work queue. */
export interface ChunkJob {
  readonly v: 1;
  readonly renderId: string;
  /** Media key of the render's plan (JSON of the MixPlan). */
  readonly planKey: string;
  readonly output: MixOutput;
  readonly index: number;
  readonly start: number;
  readonly end: number;
  readonly chunkKey: string;
  readonly ditherSeed: number;
}

/** Samples rendered before a chunk only to settle the K-weighting filter (its impulse response dies out well within). */
const METER_PREROLL_SECONDS = 1;
/** Samples after a chunk the true-peak interpolator looks at (it is centred: half its taps lie ahead). */
const METER_POSTROLL = 64;
const BLOCK = 8192;

const chunkAudio = (chunkKey: string) => renderObject(`${chunkKey}/pcm24`);
const chunkLoudness = (chunkKey: string) => renderObject(`${chunkKey}/loudness`);
export const chunkAudioKey = (chunkKey: string) => chunkAudio(chunkKey).key;
export const chunkLoudnessKey = (chunkKey: string) => chunkLoudness(chunkKey).key;

/** True when an earlier render (of any request) made this chunk already: same inputs, same bytes. */
export async function chunkDone(store: RenderStore, chunkKey: string): Promise<boolean> {
  // The loudness is written after the audio: its presence means both are whole.
  return await store.exists(chunkLoudnessKey(chunkKey));
}

export interface ChunkResult {
  readonly audioKey: string;
  readonly loudnessKey: string;
  readonly segment: LoudnessSegment;
}

export async function renderChunk(
  job: ChunkJob,
  plan: MixPlan,
  media: MediaReader,
  store: RenderStore,
  signal?: AbortSignal,
): Promise<ChunkResult> {
  const channels = LAYOUT_CHANNELS[plan.layout].length;
  const meter = createLoudnessMeter({
    sampleRate: plan.sampleRate,
    channels: plan.layout === "STEREO" ? "stereo" : plan.layout,
    truePeak: true,
  });
  const preFrom = Math.max(plan.range.start, job.start - METER_PREROLL_SECONDS * plan.sampleRate);
  const postTo = Math.min(plan.range.end, job.end + METER_POSTROLL);
  const bytesPerFrame = channels * 3;
  const audio: Uint8Array[] = [];
  // The meter takes its pre-roll and its post-roll in one call each.
  const preroll = Array.from({ length: channels }, () => new Float32Array(job.start - preFrom));
  const postroll = Array.from({ length: channels }, () => new Float32Array(postTo - job.end));
  let prerolled = preroll[0]!.length === 0;
  for await (const block of renderMix(plan, media, {
    from: preFrom,
    to: postTo,
    outputs: [job.output],
    dither: { seed: job.ditherSeed },
    blockSize: BLOCK,
  })) {
    signal?.throwIfAborted();
    const codes = block.pcm24![job.output]!;
    // The samples as a reader of the written file will decode them.
    const planes = codes.map((c) => {
      const f = new Float32Array(c.length);
      for (let i = 0; i < c.length; i++) f[i] = (c[i] as number) / 8_388_608;
      return f;
    });
    const a = Math.min(block.length, Math.max(0, job.start - block.start));
    const b = Math.max(a, Math.min(block.length, job.end - block.start));
    if (a > 0) for (let c = 0; c < channels; c++) preroll[c]!.set(planes[c]!.subarray(0, a), block.start - preFrom);
    if (b > a) {
      if (!prerolled) {
        meter.preroll(preroll);
        prerolled = true;
      }
      meter.push(planes.map((p) => p.subarray(a, b)));
      audio.push(interleave24(codes, a, b, bytesPerFrame));
    }
    if (b < block.length) for (let c = 0; c < channels; c++) postroll[c]!.set(planes[c]!.subarray(b), block.start + b - job.end);
  }
  if (postroll[0]!.length > 0) meter.postroll(postroll);
  const audioObject = chunkAudio(job.chunkKey);
  const loudnessObject = chunkLoudness(job.chunkKey);
  const audioKey = audioObject.key;
  const loudnessKey = loudnessObject.key;
  await store.put(audio, {
    scheme: audioObject.scheme,
    contentType: "application/octet-stream",
  });
  const segment = meter.segment();
  await store.put([Buffer.from(JSON.stringify(encodeSegment(segment)))], {
    scheme: loudnessObject.scheme,
    contentType: "application/json",
  });
  return { audioKey, loudnessKey, segment };
}

/** Frames [a, b) of planar 24-bit codes as interleaved little-endian bytes. */
function interleave24(codes: readonly Int32Array[], a: number, b: number, bytesPerFrame: number): Uint8Array {
  const out = new Uint8Array((b - a) * bytesPerFrame);
  const channels = codes.length;
  for (let c = 0; c < channels; c++) {
    const plane = codes[c]!;
    let at = c * 3;
    for (let i = a; i < b; i++, at += bytesPerFrame) {
      const v = plane[i] as number;
      out[at] = v & 0xff;
      out[at + 1] = (v >> 8) & 0xff;
      out[at + 2] = (v >> 16) & 0xff;
    }
  }
  return out;
}
