import { describe, expect, it } from "vitest";
import { createMemoryMediaReader } from "./media-reader.ts";
import { MIX_OUTPUTS } from "./plan.ts";
import { type Collected, prng, renderAll } from "./test-fixtures.ts";
import { type RandomPlan, randomPlan } from "./test-random-plan.ts";

// THE property: a render split into chunks at any boundaries (inside fades, crossfades and automation
// ramps) stitches to the single-pass render bit for bit, as float and as dithered 24-bit output.

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
