import type { ByteSource, StreamReader } from "@dubstage/aaf";

/**
 * A StreamReader over byte ranges of a file taken end to end (an OMF value stored in several segments),
 * so the AAF package's essence layouts and converters read OMF media data too.
 */
export function rangesStreamReader(source: ByteSource, ranges: readonly { offset: number; length: number }[]): StreamReader {
  const size = ranges.reduce((sum, r) => sum + r.length, 0);
  const read = async (offset: number, length: number): Promise<Uint8Array> => {
    const end = Math.min(size, offset + length);
    const out = new Uint8Array(Math.max(0, end - offset));
    let start = 0;
    for (const range of ranges) {
      const from = Math.max(offset, start);
      const to = Math.min(end, start + range.length);
      if (from < to) out.set(await source.read(range.offset + (from - start), to - from), from - offset);
      start += range.length;
      if (start >= end) break;
    }
    return out;
  };
  return {
    size,
    read,
    async readAll(maxBytes) {
      if (size > maxBytes) throw new RangeError(`the value is ${size} bytes, over the ${maxBytes}-byte limit`);
      return read(0, size);
    },
    async *chunks(chunkBytes) {
      for (let at = 0; at < size; at += chunkBytes) yield await read(at, Math.min(chunkBytes, size - at));
    },
  };
}
