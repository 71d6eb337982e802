/**
 * Random access to the bytes of a file. Structurally the same as `ByteSource` of `@dubstage/aaf`, so a file
 * source made for one works for the other. Reads past the end return fewer bytes (never throw).
 */
export interface ByteSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** What the reader accepts: a random-access source, a stream of byte chunks (any sizes), or bytes in memory. */
export type WavSource = ByteSource | AsyncIterable<Uint8Array> | Uint8Array;

/** A source over bytes already in memory. */
export function bufferByteSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.byteLength,
    async read(offset, length) {
      return bytes.subarray(Math.min(offset, bytes.byteLength), Math.min(offset + length, bytes.byteLength));
    },
  };
}

/** Sequential reads over either kind of source; the reader's only view of its input. */
export interface SequentialReader {
  /** Total size when known (random-access sources). */
  readonly size: number | undefined;
  readonly seekable: boolean;
  readonly position: number;
  /** Exactly `length` bytes from the current position, fewer only at the end of the source. */
  read(length: number): Promise<Uint8Array>;
  /** Moves forward `length` bytes (a stream reads and drops them). */
  skip(length: number): Promise<void>;
  /** Moves to `position` (seekable only; a stream may only move forward, by skipping). */
  seek(position: number): Promise<void>;
}

export function sequentialReader(source: WavSource): SequentialReader {
  if (source instanceof Uint8Array) return randomAccessReader(bufferByteSource(source));
  if (typeof (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] === "function") {
    return streamReader(source as AsyncIterable<Uint8Array>);
  }
  return randomAccessReader(source as ByteSource);
}

function randomAccessReader(source: ByteSource): SequentialReader {
  let position = 0;
  return {
    size: source.size,
    seekable: true,
    get position() {
      return position;
    },
    async read(length) {
      const bytes = await source.read(position, length);
      position += bytes.length;
      return bytes;
    },
    async skip(length) {
      position = Math.min(position + length, source.size);
    },
    async seek(to) {
      position = to;
    },
  };
}

/**
 * A stream reader that holds at most one incoming chunk beyond what was asked for, so memory stays bounded by
 * the largest read plus the stream's chunk size.
 */
function streamReader(stream: AsyncIterable<Uint8Array>): SequentialReader {
  const iterator = stream[Symbol.asyncIterator]();
  let pending: Uint8Array = new Uint8Array(0);
  let ended = false;
  let position = 0;
  const pull = async (): Promise<boolean> => {
    if (ended) return false;
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      return false;
    }
    pending = next.value;
    return true;
  };
  const reader: SequentialReader = {
    size: undefined,
    seekable: false,
    get position() {
      return position;
    },
    async read(length) {
      if (pending.length >= length) {
        const out = pending.subarray(0, length);
        pending = pending.subarray(length);
        position += length;
        return out;
      }
      // Gather the pieces first, so a large request (a declared 16 MiB bext) costs only what the stream has.
      const parts: Uint8Array[] = [];
      let filled = 0;
      while (filled < length) {
        if (pending.length === 0 && !(await pull())) break;
        const take = Math.min(pending.length, length - filled);
        parts.push(pending.subarray(0, take));
        pending = pending.subarray(take);
        filled += take;
      }
      position += filled;
      if (parts.length === 1) return parts[0]!;
      const out = new Uint8Array(filled);
      let at = 0;
      for (const part of parts) {
        out.set(part, at);
        at += part.length;
      }
      return out;
    },
    async skip(length) {
      let left = length;
      while (left > 0) {
        if (pending.length === 0 && !(await pull())) break;
        const take = Math.min(pending.length, left);
        pending = pending.subarray(take);
        left -= take;
        position += take;
      }
    },
    async seek(to) {
      if (to < position) throw new RangeError(`a stream cannot seek back from ${position} to ${to}`);
      await reader.skip(to - position);
    },
  };
  return reader;
}
