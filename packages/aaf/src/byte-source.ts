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
