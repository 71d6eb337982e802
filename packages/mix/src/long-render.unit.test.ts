import { describe, expect, it } from "vitest";
import { DEFAULT_BLOCK_SIZE, renderMix } from "./render-mix.ts";
import { clip, plan, track } from "./test-fixtures.ts";
import { createGeneratorMediaReader } from "./testing/generator-media-reader.ts";

// Memory is bounded by the block size whatever the session length: an hour at 48 kHz streams through
// blocks of at most DEFAULT_BLOCK_SIZE samples, and the reader is never asked for more than one block.
// (Not timed: performance is measured by scripts/bench-mix.ts.)

describe("a one-hour render", () => {
  it("streams in blocks no larger than the block size, reading at most one block per read", async () => {
    const rate = 48_000;
    const hour = 3600 * rate;
    const start = 172_800_000;
    const reader = createGeneratorMediaReader((_key, _channel, sourceStart, out) => {
      for (let i = 0; i < out.length; i++) out[i] = ((sourceStart + i) % 97) / 97 - 0.5;
    });
    // Ten-minute clips back to back with crossfades, each from a one-hour "source".
    const clipLength = 600 * rate;
    const clips = Array.from({ length: 6 }, (_, i) =>
      clip({ clipId: `c${i}`, position: start + i * clipLength, length: clipLength, sourceOffset: 48_000, sourceLength: hour + 96_000 }),
    );
    const crossfades = clips.slice(1).map((c, i) => ({
      outgoingClipId: `c${i}`,
      incomingClipId: c.clipId,
      length: 4800,
      shape: "EQUAL_POWER" as const,
      alignment: "CENTERED" as const,
    }));
    const mix = { ...plan([track("dx", clips, { pan: 0 })], { start, end: start + hour, crossfades }), sampleRate: rate };
    let blocks = 0;
    let samples = 0;
    let largest = 0;
    let heard = 0;
    for await (const block of renderMix(mix, reader, { outputs: ["PRINTMASTER"] })) {
      blocks++;
      samples += block.length;
      largest = Math.max(largest, block.length, ...(block.outputs.PRINTMASTER ?? []).map((p) => p.length));
      if (blocks % 1000 === 0 && block.outputs.PRINTMASTER?.[0]?.some((v) => v !== 0)) heard++;
    }
    expect(samples).toBe(hour);
    expect(blocks).toBe(Math.ceil(hour / DEFAULT_BLOCK_SIZE));
    expect(largest).toBe(DEFAULT_BLOCK_SIZE);
    expect(reader.stats.largestRead).toBeLessThanOrEqual(DEFAULT_BLOCK_SIZE);
    // Every sample of the hour was read once, plus the crossfade handles (5 crossfades x 4800 samples).
    expect(reader.stats.samples).toBe(hour + 5 * 4800);
    expect(heard).toBe(Math.floor(blocks / 1000));
  }, 300_000);
});
