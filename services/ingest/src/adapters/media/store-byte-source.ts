import { type ByteSource, cachedByteSource } from "@dubstage/aaf";
import type { MediaStore } from "@dubstage/media-store";

/** Random access to a stored object by ranged reads, cached in blocks (readers ask for small pieces). */
export function storeByteSource(store: MediaStore, key: string, size: number): ByteSource {
  const raw: ByteSource = {
    size,
    async read(offset, length) {
      const end = Math.min(size, offset + length);
      if (end <= offset) return new Uint8Array(0);
      const chunks: Buffer[] = [];
      for await (const chunk of await store.getRange(key, { start: offset, end: end - 1 })) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
  };
  return cachedByteSource(raw);
}
