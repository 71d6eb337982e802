import { describe, expect, it } from "vitest";
import { fadeGain } from "./fade-curves.ts";
import { dbToGain } from "./gain.ts";
import { createMemoryMediaReader } from "./media-reader.ts";
import { curveAt, piecewise } from "./piecewise.ts";
import { crossfadeSpan, type MixOutput, type MixPlan, TRACK_ROLES } from "./plan.ts";
import { panLawGain, routesFor } from "./routing.ts";
import { renderAll } from "./test-fixtures.ts";
import { randomPlan } from "./test-random-plan.ts";

// The block renderer against a naive one written straight from the README's formulas: sample by sample,
// clip by clip, no blocks, no buffers, no shortcuts. They must agree (to float32 rounding) on random plans
// with every feature at once.

function naiveRender(plan: MixPlan, files: Record<string, Float32Array[]>): Record<MixOutput, Float64Array[]> {
  const { start, end } = plan.range;
  const channels = plan.layout === "STEREO" ? 2 : plan.layout === "5.1" ? 6 : 8;
  const stems = TRACK_ROLES.map(() => Array.from({ length: channels }, () => new Float64Array(end - start)));
  const anySolo = plan.tracks.some((t) => t.mix.solo);
  for (const track of plan.tracks) {
    if (track.mix.muted || (anySolo && !track.mix.solo)) continue;
    const role = TRACK_ROLES.indexOf(track.role);
    const routes = routesFor(track.channelFormat, plan.layout);
    const volume = track.volumeAutomation?.length
      ? piecewise(track.volumeAutomation.map((p) => ({ x: p.position, y: p.value })))
      : undefined;
    const pan = track.panAutomation?.length ? piecewise(track.panAutomation.map((p) => ({ x: p.position, y: p.value }))) : undefined;
    for (const clip of track.clips) {
      if (clip.muted) continue;
      const incoming = plan.crossfades.find((x) => x.incomingClipId === clip.clipId && x.length > 0);
      const outgoing = plan.crossfades.find((x) => x.outgoingClipId === clip.clipId && x.length > 0);
      const clipEnd = clip.position + clip.length;
      const first = incoming ? clip.position - crossfadeSpan(incoming.length, incoming.alignment).pre : clip.position;
      const last = outgoing ? clipEnd + crossfadeSpan(outgoing.length, outgoing.alignment).post : clipEnd;
      const automation = clip.volume?.length ? piecewise(clip.volume.map((p) => ({ x: p.offset, y: p.gainDb }))) : undefined;
      for (let n = Math.max(first, start); n < Math.min(last, end); n++) {
        let g = dbToGain(clip.gainDb + (automation ? curveAt(automation, n - clip.position) : 0));
        if (incoming) {
          const s = clip.position - crossfadeSpan(incoming.length, incoming.alignment).pre;
          if (n < s + incoming.length) g *= fadeGain(incoming.shape, (n - s) / incoming.length);
        } else if (clip.fadeIn && n < clip.position + clip.fadeIn.length)
          g *= fadeGain(clip.fadeIn.shape, (n - clip.position) / clip.fadeIn.length);
        if (outgoing) {
          const s = clipEnd - crossfadeSpan(outgoing.length, outgoing.alignment).pre;
          if (n >= s) g *= fadeGain(outgoing.shape, (outgoing.length - (n - s)) / outgoing.length);
        } else if (clip.fadeOut && n >= clipEnd - clip.fadeOut.length) {
          const s = clipEnd - clip.fadeOut.length;
          g *= fadeGain(clip.fadeOut.shape, (clip.fadeOut.length - (n - s)) / clip.fadeOut.length);
        }
        const fader = dbToGain(volume ? curveAt(volume, n) : track.mix.volumeDb);
        const p = pan ? curveAt(pan, n) : track.mix.pan;
        for (const route of routes) {
          const ref = clip.channels[route.from]!;
          const sample = files[ref.mediaKey]![ref.channel - 1]![n - clip.position + clip.sourceOffset]!;
          const k = typeof route.law === "number" ? route.law : panLawGain(route.law, p);
          stems[role]![route.to]![n - start]! += sample * g * fader * k;
        }
      }
    }
  }
  const sum = (roles: number[]) =>
    Array.from({ length: channels }, (_, c) =>
      Float64Array.from({ length: end - start }, (_, i) => roles.reduce((acc, r) => acc + stems[r]![c]![i]!, 0)),
    );
  return {
    DX: stems[0]!,
    MX: stems[1]!,
    FX: stems[2]!,
    BG: stems[3]!,
    FOLEY: stems[4]!,
    PRINTMASTER: sum([0, 1, 2, 3, 4]),
    ME: sum([1, 2, 3, 4]),
  };
}

describe("the block renderer agrees with a naive per-sample renderer", () => {
  for (const seed of [11, 12, 13]) {
    it(`random plan ${seed}`, async () => {
      const random = randomPlan(seed);
      const expected = naiveRender(random.plan, random.files);
      const { outputs } = await renderAll(random.plan, createMemoryMediaReader(random.files), { blockSize: 1000 });
      let compared = 0;
      let worst = 0;
      for (const [name, planes] of Object.entries(expected) as [MixOutput, Float64Array[]][]) {
        planes.forEach((plane, c) => {
          const got = outputs[name]?.[c] as Float32Array;
          for (let i = 0; i < plane.length; i++) {
            const e = plane[i] as number;
            const err = Math.abs((got[i] as number) - e);
            // float32 rounding of the output plus summation-order differences in float64.
            if (err > 1e-7 * Math.max(1, Math.abs(e))) expect.fail(`${name}[${c}] sample ${i}: ${got[i]} vs ${e}`);
            worst = Math.max(worst, err);
            if (e !== 0) compared++;
          }
        });
      }
      expect(compared).toBeGreaterThan(10_000);
      expect(worst).toBeGreaterThan(0); // float32 output: some rounding is certain, so the comparison is real
    }, 60_000);
  }
});
