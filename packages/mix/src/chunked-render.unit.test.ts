import { describe, expect, it } from "vitest";
import { createMemoryMediaReader } from "./media-reader.ts";
import {
  CHANNEL_FORMATS,
  type ChannelFormat,
  crossfadeSpan,
  FADE_SHAPES,
  FORMAT_CHANNEL_COUNTS,
  type LanePoint,
  MIX_OUTPUTS,
  type MixClip,
  type MixCrossfade,
  type MixPlan,
  type MixTrack,
  OUTPUT_LAYOUTS,
  TRACK_ROLES,
} from "./plan.ts";
import { type Collected, prng, renderAll } from "./test-fixtures.ts";

// THE property: a render split into chunks at any boundaries (inside fades, crossfades and automation
// ramps) stitches to the single-pass render bit for bit, as float and as dithered 24-bit output.

interface RandomPlan {
  readonly plan: MixPlan;
  readonly files: Record<string, Float32Array[]>;
  /** Timeline spans where a gain changes per sample: fades, crossfades, automation ramps. */
  readonly ramps: { kind: "fade" | "crossfade" | "clip-automation" | "lane"; start: number; end: number }[];
}

function randomPlan(seed: number): RandomPlan {
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

/** Chunk boundaries: one strictly inside each of many ramps, plus random ones. */
function boundaries(seed: number, random: RandomPlan): { cuts: number[]; inside: Record<string, number> } {
  const rnd = prng(seed ^ 0x5eed);
  const { start, end } = random.plan.range;
  const cuts = new Set<number>();
  const inside: Record<string, number> = { fade: 0, crossfade: 0, "clip-automation": 0, lane: 0 };
  for (const ramp of random.ramps) {
    if (rnd() < 0.5) continue;
    const lo = Math.max(ramp.start + 1, start + 1);
    const hi = Math.min(ramp.end - 1, end - 1);
    if (lo > hi) continue;
    const cut = lo + Math.floor(rnd() * (hi - lo + 1));
    cuts.add(cut);
    inside[ramp.kind] = (inside[ramp.kind] ?? 0) + 1;
  }
  for (let i = 0; i < 20; i++) cuts.add(start + 1 + Math.floor(rnd() * (end - start - 1)));
  return { cuts: [...cuts].sort((a, b) => a - b), inside };
}

async function renderChunked(random: RandomPlan, cuts: readonly number[], seed: number, dither: boolean): Promise<Collected> {
  const rnd = prng(seed ^ 0xb10c);
  const { start, end } = random.plan.range;
  const media = createMemoryMediaReader(random.files);
  const edges = [start, ...cuts, end];
  const outputs: Collected["outputs"] = {};
  const pcm24: Collected["pcm24"] = {};
  let blocks = 0;
  for (let i = 0; i + 1 < edges.length; i++) {
    const from = edges[i] as number;
    const to = edges[i + 1] as number;
    const blockSize = [1, 17, 64, 333, 1024, 4096, 5000][Math.floor(rnd() * 7)] as number;
    const chunk = await renderAll(random.plan, media, {
      from,
      to,
      blockSize: to - from > 3000 && blockSize === 1 ? 7 : blockSize,
      ...(dither ? { dither: { seed: 42 } } : {}),
    });
    blocks += chunk.blocks;
    for (const name of MIX_OUTPUTS) {
      outputs[name] ??= (chunk.outputs[name] ?? []).map(() => new Float32Array(end - start));
      chunk.outputs[name]?.forEach((plane, c) => {
        outputs[name]?.[c]?.set(plane, from - start);
      });
      if (dither) {
        pcm24[name] ??= (chunk.pcm24[name] ?? []).map(() => new Int32Array(end - start));
        chunk.pcm24[name]?.forEach((plane, c) => {
          pcm24[name]?.[c]?.set(plane, from - start);
        });
      }
    }
  }
  return { outputs, pcm24, blocks };
}

const bytes = (a: Float32Array | Int32Array | undefined) => Buffer.from((a as Float32Array).buffer);

function expectBitIdentical(single: Collected, chunked: Collected, field: "outputs" | "pcm24"): void {
  for (const name of MIX_OUTPUTS) {
    const a = single[field][name];
    const b = chunked[field][name];
    expect(a?.length, name).toBeGreaterThan(0);
    expect(b?.length, name).toBe(a?.length);
    a?.forEach((plane, c) => {
      const other = b?.[c];
      if (!bytes(plane).equals(bytes(other))) {
        const first = plane.findIndex((v, i) => !Object.is(v, other?.[i]));
        expect.fail(`${field} ${name} channel ${c} differs first at sample ${first}: ${plane[first]} vs ${other?.[first]}`);
      }
    });
  }
}

describe("chunked render equals single-pass render, bit for bit", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`random plan ${seed}: float and dithered 24-bit`, async () => {
      const random = randomPlan(seed);
      const { cuts, inside } = boundaries(seed, random);
      // The condition the test claims: boundaries really fall inside fades, crossfades and ramps.
      expect(inside.fade).toBeGreaterThan(0);
      expect(inside.crossfade).toBeGreaterThan(0);
      expect(inside["clip-automation"]).toBeGreaterThan(0);
      expect(cuts.length).toBeGreaterThan(30);

      const media = createMemoryMediaReader(random.files);
      const single = await renderAll(random.plan, media, { dither: { seed: 42 } });
      const chunked = await renderChunked(random, cuts, seed, true);
      expect(chunked.blocks).toBeGreaterThan(single.blocks);
      // Not vacuous: the mix is not silent.
      const printmaster = single.outputs.PRINTMASTER?.[0] as Float32Array;
      expect(printmaster.filter((v) => v !== 0).length).toBeGreaterThan(1000);
      expectBitIdentical(single, chunked, "outputs");
      expectBitIdentical(single, chunked, "pcm24");
    }, 60_000);
  }

  it("the block size does not change a sample", async () => {
    const random = randomPlan(99);
    const media = createMemoryMediaReader(random.files);
    const a = await renderAll(random.plan, media, { blockSize: 4096 });
    const b = await renderAll(random.plan, media, { blockSize: 13 });
    expect(b.blocks).toBeGreaterThan(a.blocks * 100);
    expectBitIdentical(a, b, "outputs");
  }, 60_000);
});
