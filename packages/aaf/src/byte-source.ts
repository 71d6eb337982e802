/**
 * Random access to the bytes of a file, the only I/O the reader does. A file adapter reads with pread; a
 * buffer adapter serves tests. Reads past the end return fewer bytes (never throw), so callers check.
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** A source over bytes already in memory (tests, small files). */
export function bufferByteSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    async read(offset, length) {
      return bytes.subarray(Math.min(offset, bytes.byteLength), Math.min(offset + length, bytes.byteLength));
    },
  };
}

export interface BlockCacheOptions {
  /** Bytes per cached block, a power of two. @default 262144 (256 KiB) */
  readonly blockSize?: number;
  /** Blocks kept (least recently used goes first). @default 64 (16 MiB with the default block size) */
  readonly maxBlocks?: number;
}

/**
 * A ByteSource that reads whole aligned blocks and keeps the most recent ones, so the many small reads of
 * an AAF's metadata (directory sectors, FAT sectors, one small `properties` stream per object) cost one
 * read of the underlying file per block instead of one each. Large reads (embedded essence) bypass it.
 */
export function cachedByteSource(source: ByteSource, options: BlockCacheOptions = {}): ByteSource {
  const blockSize = options.blockSize ?? 262_144;
  const maxBlocks = options.maxBlocks ?? 64;
  if (!Number.isInteger(Math.log2(blockSize))) throw new RangeError(`blockSize must be a power of two, got ${blockSize}`);
  if (!Number.isInteger(maxBlocks) || maxBlocks < 1) throw new RangeError(`maxBlocks must be a positive integer, got ${maxBlocks}`);
  const blocks = new Map<number, Promise<Uint8Array>>();

  const block = (index: number): Promise<Uint8Array> => {
    const cached = blocks.get(index);
    if (cached) {
      blocks.delete(index); // re-insert: Map order is the recency order
      blocks.set(index, cached);
      return cached;
    }
    const loading = source.read(index * blockSize, blockSize);
    blocks.set(index, loading);
    loading.catch(() => blocks.delete(index));
    if (blocks.size > maxBlocks) blocks.delete(blocks.keys().next().value as number);
    return loading;
  };

  return {
    size: source.size,
    async read(offset, length) {
      const end = Math.min(offset + length, source.size);
      if (offset >= end) return new Uint8Array(0);
      if (end - offset >= blockSize) return source.read(offset, end - offset);
      const first = Math.floor(offset / blockSize);
      const last = Math.floor((end - 1) / blockSize);
      if (first === last) {
        const data = await block(first);
        return data.subarray(offset - first * blockSize, end - first * blockSize);
      }
      // Spans two blocks (shorter than one block): copy the two parts.
      const [a, b] = await Promise.all([block(first), block(last)]);
      const out = new Uint8Array(end - offset);
      const split = last * blockSize - offset;
      out.set(a.subarray(offset - first * blockSize), 0);
      out.set(b.subarray(0, end - last * blockSize), split);
      return out;
    },
  };
}
