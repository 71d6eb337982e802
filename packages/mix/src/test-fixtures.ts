// Builders and collectors shared by the unit tests (not exported from the package).
import type { MediaReader } from "./media-reader.ts";
import type { ChannelFormat, MixClip, MixOutput, MixPlan, MixTrack, OutputLayout, TrackRole } from "./plan.ts";
import { type RenderMixOptions, renderMix } from "./render-mix.ts";

export function clip(overrides: Partial<MixClip> & Pick<MixClip, "clipId">): MixClip {
  return {
    position: 0,
    length: 100,
    sourceOffset: 0,
    sourceLength: 100,
    channels: [{ mediaKey: "m", channel: 1 }],
    gainDb: 0,
    muted: false,
    ...overrides,
  };
}

export function track(
  trackId: string,
  clips: readonly MixClip[],
  options: { role?: TrackRole; format?: ChannelFormat; pan?: number; volumeDb?: number; muted?: boolean; solo?: boolean } & Partial<
    Pick<MixTrack, "volumeAutomation" | "panAutomation">
  > = {},
): MixTrack {
  return {
    trackId,
    role: options.role ?? "DX",
    channelFormat: options.format ?? "MONO",
    mix: { volumeDb: options.volumeDb ?? 0, pan: options.pan ?? -1, muted: options.muted ?? false, solo: options.solo ?? false },
    ...(options.volumeAutomation !== undefined ? { volumeAutomation: options.volumeAutomation } : {}),
    ...(options.panAutomation !== undefined ? { panAutomation: options.panAutomation } : {}),
    clips,
  };
}

export function plan(
  tracks: readonly MixTrack[],
  options: { layout?: OutputLayout; end?: number; start?: number; crossfades?: MixPlan["crossfades"] } = {},
): MixPlan {
  return {
    sampleRate: 48_000,
    layout: options.layout ?? "STEREO",
    range: { start: options.start ?? 0, end: options.end ?? 1000 },
    tracks,
    crossfades: options.crossfades ?? [],
  };
}

/** Whole outputs of a render: per output, one Float32Array per channel covering [from, to); pcm24 when dithered. */
export interface Collected {
  readonly outputs: Partial<Record<MixOutput, Float32Array[]>>;
  readonly pcm24: Partial<Record<MixOutput, Int32Array[]>>;
  readonly blocks: number;
}

export async function renderAll(p: MixPlan, media: MediaReader, options: RenderMixOptions = {}): Promise<Collected> {
  const from = options.from ?? p.range.start;
  const to = options.to ?? p.range.end;
  const outputs: Partial<Record<MixOutput, Float32Array[]>> = {};
  const pcm24: Partial<Record<MixOutput, Int32Array[]>> = {};
  let blocks = 0;
  for await (const block of renderMix(p, media, options)) {
    blocks++;
    for (const [name, planes] of Object.entries(block.outputs) as [MixOutput, Float32Array[]][]) {
      outputs[name] ??= planes.map(() => new Float32Array(to - from));
      planes.forEach((plane, c) => {
        outputs[name]?.[c]?.set(plane, block.start - from);
      });
    }
    for (const [name, planes] of Object.entries(block.pcm24 ?? {}) as [MixOutput, Int32Array[]][]) {
      pcm24[name] ??= planes.map(() => new Int32Array(to - from));
      planes.forEach((plane, c) => {
        pcm24[name]?.[c]?.set(plane, block.start - from);
      });
    }
  }
  return { outputs, pcm24, blocks };
}

/** The non-zero samples of a plane as [index, value] pairs. */
export function nonZero(plane: Float32Array | undefined): [number, number][] {
  const found: [number, number][] = [];
  plane?.forEach((v, i) => {
    if (v !== 0) found.push([i, v]);
  });
  return found;
}

/** A deterministic PRNG (mulberry32-style) for randomised tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
