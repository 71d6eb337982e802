import type { StreamReader } from "../storage.ts";

/** A StreamReader over bytes in memory (test only). */
export function memoryStreamReader(bytes: Uint8Array): StreamReader {
  const read = async (offset: number, length: number) => bytes.subarray(offset, Math.min(bytes.byteLength, offset + length));
  return {
    size: bytes.byteLength,
    read,
    readAll: async () => {
      throw new Error("the essence code must not call readAll");
    },
    async *chunks(chunkBytes: number) {
      for (let at = 0; at < bytes.byteLength; at += chunkBytes) yield await read(at, chunkBytes);
    },
  };
}

/**
 * A StreamReader of `size` bytes that exist only while read: `header` first, then a byte pattern (test only).
 * Each chunk is a new buffer, so whatever a consumer keeps shows up in the heap.
 */
export function generatedStreamReader(header: Uint8Array, size: number): StreamReader {
  const pattern = new Uint8Array(1 << 16).map((_, i) => (i * 31 + (i >> 8)) & 0xff);
  const read = async (offset: number, length: number) => {
    const n = Math.max(0, Math.min(length, size - offset));
    const out = new Uint8Array(n);
    for (let i = 0; i < n; ) {
      const at = (offset + i) % pattern.byteLength;
      const piece = pattern.subarray(at, Math.min(pattern.byteLength, at + n - i));
      out.set(piece, i);
      i += piece.byteLength;
    }
    if (offset < header.byteLength) out.set(header.subarray(offset, offset + n));
    return out;
  };
  return {
    size,
    read,
    readAll: async () => {
      throw new Error("the essence code must not call readAll");
    },
    async *chunks(chunkBytes: number) {
      for (let at = 0; at < size; at += chunkBytes) yield await read(at, chunkBytes);
    },
  };
}
