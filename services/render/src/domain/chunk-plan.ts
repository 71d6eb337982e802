import { createHash } from "node:crypto";
import {
  crossfadeSpan,
  type LanePoint,
  MIX_OUTPUTS,
  type MixClip,
  type MixCrossfade,
  type MixOutput,
  type MixPlan,
  type MixTrack,
  type TrackRole,
} from "@dubstage/mix";
import { InvalidRenderRequestError } from "./errors.ts";

// A render is cut into jobs of one output (a stem, the printmaster or the M&E) over one time chunk. Each
// job's key hashes everything its samples depend on, so after an edit only the jobs whose inputs changed
// are rendered again: the rest are reused from the previous render with the same key. The engine computes
// every gain from the absolute timeline position (no state carried between samples), so a chunk needs no
// audio pre-roll: its slice of the tracklay (clips reaching into it, their crossfades, the lane points that
// shape it) is all it depends on.

/** Which tracks each output sums. */
export const OUTPUT_ROLES: Readonly<Record<MixOutput, readonly TrackRole[]>> = {
  DX: ["DX"],
  MX: ["MX"],
  FX: ["FX"],
  BG: ["BG"],
  FOLEY: ["FOLEY"],
  PRINTMASTER: ["DX", "MX", "FX", "BG", "FOLEY"],
  ME: ["MX", "FX", "BG", "FOLEY"],
};

export interface ChunkPlanOptions {
  /** Samples per chunk: a whole number of 100 ms loudness blocks, so chunk energies merge exactly. */
  readonly chunkSamples: number;
  readonly outputs?: readonly MixOutput[];
  /** The engine's version: a new engine renders everything again. */
  readonly engineVersion: string;
  /** Whatever of the delivery profile shapes the samples (bit depth, dither seed): part of every key. */
  readonly profileKey: string;
  /**
   * The content identity of a media key. Keys of the content-addressed space (`media/sha256/...`) are
   * their own identity; any other key must be mapped to a hash of its bytes by the caller.
   */
  readonly mediaIdentity?: (mediaKey: string) => string;
}

export interface RenderChunk {
  readonly output: MixOutput;
  /** 0-based chunk number within the render. */
  readonly index: number;
  /** Timeline samples [start, end). */
  readonly start: number;
  readonly end: number;
  /** `sha256:<hex>` of everything the chunk's samples depend on. */
  readonly key: string;
}

export interface ChunkPlan {
  readonly chunks: readonly RenderChunk[];
  /** `sha256:<hex>` of the whole plan (every chunk key in order): recorded on the result. */
  readonly planHash: string;
}

const CONTENT_ADDRESSED = /^media\/sha256\/[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{64}$/;

function defaultMediaIdentity(mediaKey: string): string {
  if (!CONTENT_ADDRESSED.test(mediaKey)) {
    throw new InvalidRenderRequestError(
      `media ${mediaKey} is not content-addressed: pass its content hash (mediaIdentity)`,
      "mediaIdentity",
    );
  }
  return mediaKey;
}

/** Every chunk of every output of the plan, with its content key. */
export function planChunks(plan: MixPlan, options: ChunkPlanOptions): ChunkPlan {
  const block = plan.sampleRate / 10;
  if (!Number.isInteger(block))
    throw new InvalidRenderRequestError(`sample rate ${plan.sampleRate} has no whole 100 ms block`, "sampleRate");
  const { chunkSamples } = options;
  if (!Number.isSafeInteger(chunkSamples) || chunkSamples <= 0 || chunkSamples % block !== 0) {
    throw new InvalidRenderRequestError(`must be a positive multiple of ${block} samples (100 ms) (got ${chunkSamples})`, "chunkSamples");
  }
  const outputs = options.outputs ?? MIX_OUTPUTS;
  const identity = options.mediaIdentity ?? defaultMediaIdentity;
  const soloed = plan.tracks.filter((t) => t.mix.solo).map((t) => t.trackId);
  const chunks: RenderChunk[] = [];
  const { start, end } = plan.range;
  for (const output of outputs) {
    const tracks = plan.tracks.filter((t) => OUTPUT_ROLES[output].includes(t.role));
    for (let index = 0, s = start; s < end; index++, s += chunkSamples) {
      const e = Math.min(end, s + chunkSamples);
      const slice = {
        engine: options.engineVersion,
        profile: options.profileKey,
        sampleRate: plan.sampleRate,
        layout: plan.layout,
        output,
        start: s,
        end: e,
        // A solo anywhere silences every other track, in every output.
        soloed,
        // Tracks with nothing sounding in the span add exact zeros: leaving them out keeps the key when one is added.
        tracks: tracks.map((t) => trackSlice(t, plan.crossfades, s, e, identity)).filter((t) => t.clips.length > 0),
      };
      chunks.push({ output, index, start: s, end: e, key: sha256(JSON.stringify(slice)) });
    }
  }
  return { chunks, planHash: sha256(chunks.map((c) => c.key).join("\n")) };
}

/** What of a track reaches samples [s, e): its mix, the lane points that shape the span, the clips sounding in it. */
function trackSlice(track: MixTrack, crossfades: readonly MixCrossfade[], s: number, e: number, identity: (key: string) => string) {
  const byId = new Map(track.clips.map((c) => [c.clipId, c]));
  const fades = crossfades.filter((x) => byId.has(x.outgoingClipId) && byId.has(x.incomingClipId));
  const clips = track.clips.filter((clip) => {
    const [from, to] = audibleSpan(clip, fades);
    return from < e && to > s;
  });
  const ids = new Set(clips.map((c) => c.clipId));
  return {
    trackId: track.trackId,
    channelFormat: track.channelFormat,
    mix: track.mix,
    volume: lanePointsShaping(track.volumeAutomation, s, e),
    pan: lanePointsShaping(track.panAutomation, s, e),
    clips: clips.map((c) => ({ ...c, channels: c.channels.map((ch) => ({ media: identity(ch.mediaKey), channel: ch.channel })) })),
    crossfades: fades.filter((x) => ids.has(x.outgoingClipId) || ids.has(x.incomingClipId)),
  };
}

/** Where a clip can sound: its own span widened by the crossfades that play its handles. */
function audibleSpan(clip: MixClip, crossfades: readonly MixCrossfade[]): [number, number] {
  let from = clip.position;
  let to = clip.position + clip.length;
  for (const x of crossfades) {
    const span = crossfadeSpan(x.length, x.alignment);
    if (x.incomingClipId === clip.clipId) from = Math.min(from, clip.position - span.pre);
    if (x.outgoingClipId === clip.clipId) to = Math.max(to, clip.position + clip.length + span.post);
  }
  return [from, to];
}

/**
 * The lane points that decide values in [s, e): those inside it and the nearest on each side (a lane is
 * linear between points and held outside them). Points farther away do not change a sample of the span.
 */
function lanePointsShaping(points: readonly LanePoint[] | undefined, s: number, e: number): readonly LanePoint[] {
  if (!points || points.length === 0) return [];
  let first = 0;
  while (first + 1 < points.length && points[first + 1]!.position <= s) first++;
  let last = points.length - 1;
  while (last - 1 >= 0 && points[last - 1]!.position >= e) last--;
  return points.slice(first, last + 1);
}

function sha256(text: string): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}
