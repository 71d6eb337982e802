import { describe, expect, it } from "vitest";
import { InvalidWavError } from "./errors.ts";
import { parseWavHeader } from "./header.ts";
import { openWav } from "./reader.ts";
import { bufferByteSource } from "./source.ts";
import { chunked, concatBytes, readAll, testSignal } from "./test-support/helpers.ts";
import { createWavWriter } from "./writer.ts";

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seedFile(rf64: boolean): Uint8Array {
  const writer = createWavWriter({
    sampleRate: 48000,
    channels: 3,
    sampleFormat: "pcm24",
    rf64: rf64 ? "always" : "auto",
    bext: { description: "fuzz", loudnessValue: -2300 },
    ixml: { tracks: ["a", "b", "c"] },
  });
  const data = writer.encode(testSignal(3, 40));
  const end = writer.finish();
  return concatBytes([end.header, data, end.tail]);
}

/** Every outcome must be a parse or an InvalidWavError: never a RangeError, a TypeError or a hang. */
async function outcome(bytes: Uint8Array, strict: boolean, stream: boolean): Promise<"ok" | "invalid"> {
  try {
    const reader = await openWav(stream ? chunked(bytes, 13) : bufferByteSource(bytes), { strict });
    const channels = await readAll(reader, 16);
    expect(channels.length).toBe(reader.info.format.channels);
    return "ok";
  } catch (error) {
    if (error instanceof InvalidWavError) return "invalid";
    throw new Error(`not an InvalidWavError: ${String(error)}`, { cause: error });
  }
}

describe("mutated headers", () => {
  it("either parse or throw InvalidWavError, over 2,000 byte flips and truncations", async () => {
    const counts = { ok: 0, invalid: 0 };
    let slowest = 0;
    for (const rf64 of [false, true]) {
      const seed = seedFile(rf64);
      const headerEnd = parseWavHeader(seed).dataOffset;
      const next = random(rf64 ? 2 : 1);
      for (let i = 0; i < 1000; i++) {
        const started = performance.now();
        let bytes = seed.slice();
        const flips = 1 + Math.floor(next() * 4);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(next() * headerEnd);
          bytes[at] = next() < 0.3 ? 0xff : Math.floor(next() * 256);
        }
        if (next() < 0.2) bytes = bytes.subarray(0, Math.floor(next() * bytes.length));
        for (const strict of [true, false]) {
          for (const stream of [false, true]) counts[await outcome(bytes, strict, stream)]++;
        }
        try {
          parseWavHeader(bytes);
        } catch (error) {
          if (!(error instanceof InvalidWavError)) throw new Error(`case ${i}: parseWavHeader threw ${String(error)}`);
        }
        slowest = Math.max(slowest, performance.now() - started);
      }
    }
    // Both outcomes happen: the mutations reach the checks, and harmless ones (in text fields) still parse.
    expect(counts.ok).toBeGreaterThan(100);
    expect(counts.invalid).toBeGreaterThan(100);
    console.log(`wav fuzz: ${counts.ok} parsed, ${counts.invalid} rejected; slowest case ${slowest.toFixed(1)} ms`);
  }, 60_000);
});
