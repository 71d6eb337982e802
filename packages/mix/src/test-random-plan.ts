import {
  CHANNEL_FORMATS,
  type ChannelFormat,
  crossfadeSpan,
  FADE_SHAPES,
  FORMAT_CHANNEL_COUNTS,
  type LanePoint,
  type MixClip,
  type MixCrossfade,
  type MixPlan,
  type MixTrack,
  OUTPUT_LAYOUTS,
  TRACK_ROLES,
} from "./plan.ts";
import { prng } from "./test-fixtures.ts";

// A random plan for property tests: 8 tracks of random formats and roles over 24,000 samples at a reel's
// timeline position, clips abutting or with gaps, crossfades of every alignment and shape, fades, clip
// volume automation, volume and pan lanes, some muted clips and tracks; with its media and the spans
// where a gain moves per sample.

export interface RandomPlan {
  readonly plan: MixPlan;
  readonly files: Record<string, Float32Array[]>;
  /** Timeline spans where a gain changes per sample: fades, crossfades, automation ramps. */
  readonly ramps: { kind: "fade" | "crossfade" | "clip-automation" | "lane"; start: number; end: number }[];
}

export function randomPlan(seed: number): RandomPlan {
  const rnd = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
  const start = 172_800_000 + int(0, 100_000); // a reel at 01:00:00:00, 48 kHz
  const end = start + 24_000;
  const files: Record<string, Float32Array[]> = {};
  const ramps: RandomPlan["ramps"] = [];
  const crossfades: MixCrossfade[] = [];
  const tracks: MixTrack[] = [];
  const lane = (min: number, max: number): LanePoint[] | undefined => {
    if (rnd() < 0.4) return undefined;
    const points: LanePoint[] = [];
    let position = start + int(-2000, 4000);
    for (let i = int(1, 5); i > 0; i--) {
      points.push({ position, value: min + rnd() * (max - min) });
      position += int(1, 8000);
    }
    for (let i = 1; i < points.length; i++)
      ramps.push({ kind: "lane", start: (points[i - 1] as LanePoint).position, end: (points[i] as LanePoint).position });
    return points;
  };
  for (let t = 0; t < 8; t++) {
    const format: ChannelFormat = pick(CHANNEL_FORMATS);
    const channels = FORMAT_CHANNEL_COUNTS[format];
    const placed: { clip: MixClip; abutsPrevious: boolean }[] = [];
    let cursor = start - int(0, 3000);
    while (cursor < end) {
      const length = int(300, 6000);
      const head = int(0, 1500);
      const tail = int(0, 1500);
      const key = `t${t}-c${placed.length}`;
      files[key] = Array.from({ length: channels }, () => Float32Array.from({ length: head + length + tail }, () => rnd() - 0.5));
      const volume = rnd() < 0.5 ? [0, int(1, length - 1), length].map((offset) => ({ offset, gainDb: -30 + rnd() * 36 })) : undefined;
      const clip: MixClip = {
        clipId: key,
        position: cursor,
        length,
        sourceOffset: head,
        sourceLength: head + length + tail,
        channels: Array.from({ length: channels }, (_, c) => ({ mediaKey: key, channel: c + 1 })),
        gainDb: -12 + rnd() * 12,
        muted: rnd() < 0.05,
        ...(volume !== undefined ? { volume } : {}),
      };
      placed.push({ clip, abutsPrevious: placed.length > 0 && rnd() < 0.7 });
      cursor += length;
      const next = placed.length;
      if (rnd() < 0.3 || next === 0) cursor += int(1, 2000);
    }
    // Decide crossfades on abutting pairs first, then fades on the free edges.
    const xIn = new Set<string>();
    const xOut = new Set<string>();
    for (let i = 1; i < placed.length; i++) {
      const a = (placed[i - 1] as { clip: MixClip }).clip;
      const b = (placed[i] as { clip: MixClip }).clip;
      if (a.position + a.length !== b.position || rnd() < 0.2) continue;
      const alignment = pick(["CENTERED", "PRE_CUT", "POST_CUT"] as const);
      const aTail = a.sourceLength - a.sourceOffset - a.length;
      const room = {
        CENTERED: 2 * Math.min(aTail, b.sourceOffset, a.length, b.length),
        PRE_CUT: Math.min(b.sourceOffset, a.length),
        POST_CUT: Math.min(aTail, b.length),
      }[alignment];
      if (room < 2) continue;
      const length = int(1, room - (alignment === "CENTERED" ? 1 : 0));
      const { pre, post } = crossfadeSpan(length, alignment);
      crossfades.push({ outgoingClipId: a.clipId, incomingClipId: b.clipId, length, shape: pick(FADE_SHAPES), alignment });
      xOut.add(a.clipId);
      xIn.add(b.clipId);
      ramps.push({ kind: "crossfade", start: b.position - pre, end: b.position + post });
    }
    const clips = placed.map(({ clip }) => {
      let c = clip;
      if (!xIn.has(c.clipId) && rnd() < 0.6) c = { ...c, fadeIn: { length: int(1, Math.floor(c.length / 2)), shape: pick(FADE_SHAPES) } };
      if (!xOut.has(c.clipId) && rnd() < 0.6) c = { ...c, fadeOut: { length: int(1, Math.floor(c.length / 2)), shape: pick(FADE_SHAPES) } };
      if (c.fadeIn !== undefined) ramps.push({ kind: "fade", start: c.position, end: c.position + c.fadeIn.length });
      if (c.fadeOut !== undefined)
        ramps.push({ kind: "fade", start: c.position + c.length - c.fadeOut.length, end: c.position + c.length });
      c.volume?.forEach((p, i) => {
        const q = c.volume?.[i + 1];
        if (q !== undefined) ramps.push({ kind: "clip-automation", start: c.position + p.offset, end: c.position + q.offset });
      });
      return c;
    });
    const volumeAutomation = lane(-30, 6);
    const panAutomation = lane(-1, 1);
    tracks.push({
      trackId: `t${t}`,
      role: pick(TRACK_ROLES),
      channelFormat: format,
      mix: { volumeDb: -10 + rnd() * 10, pan: rnd() * 2 - 1, muted: rnd() < 0.05, solo: false },
      ...(volumeAutomation !== undefined ? { volumeAutomation } : {}),
      ...(panAutomation !== undefined ? { panAutomation } : {}),
      clips: rnd() < 0.5 ? clips : [...clips].reverse(), // order in the plan must not matter
    });
  }
  const plan: MixPlan = { sampleRate: 48_000, layout: pick(OUTPUT_LAYOUTS), range: { start, end }, tracks, crossfades };
  return { plan, files, ramps: ramps.filter((r) => r.end - r.start >= 2 && r.start < end - 1 && r.end > start + 1) };
}
