import { describe, expect, it } from "vitest";
import { type ByteSource, bufferByteSource, cachedByteSource } from "./byte-source.ts";

function counting(bytes: Uint8Array): { source: ByteSource; reads: () => number } {
  const inner = bufferByteSource(bytes);
  let reads = 0;
  return {
    source: {
      size: inner.size,
      read(offset, length) {
        reads++;
        return inner.read(offset, length);
      },
    },
    reads: () => reads,
  };
}

const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31 + 7) % 251);

describe("cachedByteSource", () => {
  it("returns exactly the bytes of the source for every window, across block edges and the end", async () => {
    const { source } = counting(data);
    const cached = cachedByteSource(source, { blockSize: 256, maxBlocks: 4 });
    for (const [offset, length] of [
      [0, 10],
      [250, 10],
      [255, 2],
      [256, 256],
      [1000, 600],
      [9990, 50],
      [10_000, 5],
      [0, 10_000],
    ] as const) {
      expect(await cached.read(offset, length), `${offset}+${length}`).toEqual(
        data.subarray(offset, Math.min(offset + length, data.length)),
      );
    }
  });

  it("serves small reads inside a cached block without reading the source again, and evicts the oldest", async () => {
    const { source, reads } = counting(data);
    const cached = cachedByteSource(source, { blockSize: 1024, maxBlocks: 2 });
    for (let offset = 0; offset < 1024; offset += 64) await cached.read(offset, 64);
    expect(reads()).toBe(1);
    await cached.read(2048, 10); // block 2
    await cached.read(4096, 10); // block 4 evicts block 0
    await cached.read(0, 10);
    expect(reads()).toBe(4);
  });

  it("refuses a block size that is not a power of two", () => {
    expect(() => cachedByteSource(bufferByteSource(data), { blockSize: 1000 })).toThrow(/power of two/);
  });
});
