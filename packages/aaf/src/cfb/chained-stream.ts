import type { StreamReader } from "../storage.ts";
import { CompoundFileError } from "./errors.ts";
import { findRun, type RunList } from "./run-list.ts";

/** Reads `length` bytes at `offset` of whatever holds the sectors (the file, or the mini stream). */
export type BackingRead = (offset: number, length: number) => Promise<Uint8Array>;
/** The same bytes when they are already in memory, else undefined (then use the BackingRead). */
export type BackingReadNow = (offset: number, length: number) => Uint8Array | undefined;

export function checkWindow(offset: number, length: number, where: string | (() => string)): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
    throw new RangeError(`${typeof where === "string" ? where : where()}: invalid read window (offset ${offset}, length ${length})`);
  }
}

/**
 * A stream laid out in a sector chain. A read maps its window onto the runs of the chain and issues one
 * backing read per run it touches, so a stream in consecutive sectors costs one read whatever its size.
 */
export class ChainedStream implements StreamReader {
  readonly size: number;
  readonly #runs: RunList;
  readonly #unitSize: number;
  /** Backing offset of unit 0: the header sector for the file, 0 inside the mini stream. */
  readonly #base: number;
  readonly #backing: BackingRead;
  readonly #where: string | { readonly path: string };
  readonly #unitName: string;

  /** `where` names the stream in errors: a string, or an entry whose path is built only if one is raised. */
  constructor(
    size: number,
    runs: RunList,
    unitSize: number,
    base: number,
    backing: BackingRead,
    where: string | { readonly path: string },
    unitName: string,
  ) {
    this.size = size;
    this.#runs = runs;
    this.#unitSize = unitSize;
    this.#base = base;
    this.#backing = backing;
    this.#where = where;
    this.#unitName = unitName;
  }

  get #path(): string {
    return typeof this.#where === "string" ? this.#where : this.#where.path;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    checkWindow(offset, length, () => this.#path);
    const end = Math.min(this.size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    const runs = this.#runs;
    const unit = this.#unitSize;
    let run = findRun(runs, Math.floor(offset / unit));
    let out: Uint8Array | undefined;
    let position = offset;
    while (position < end) {
      const index = Math.floor(position / unit);
      while ((runs.first[run + 1] as number) <= index) run++;
      const runFirst = runs.first[run] as number;
      const pieceEnd = Math.min(end, (runs.first[run + 1] as number) * unit);
      const sector = (runs.start[run] as number) + (index - runFirst);
      const backingOffset = this.#base + sector * unit + (position - index * unit);
      const piece = await this.#backing(backingOffset, pieceEnd - position);
      if (piece.length < pieceEnd - position) {
        throw new CompoundFileError(
          `${this.#path}: stream bytes ${position + piece.length}..${pieceEnd - 1} lie past the end of the file (truncated)`,
          `${this.#unitName} ${sector}, byte ${backingOffset}`,
        );
      }
      if (out === undefined && pieceEnd === end && position === offset) return piece;
      out ??= new Uint8Array(end - offset);
      out.set(piece, position - offset);
      position = pieceEnd;
    }
    return out ?? new Uint8Array(0);
  }

  async readAll(maxBytes: number): Promise<Uint8Array> {
    if (this.size > maxBytes) {
      throw new CompoundFileError(`stream of ${this.size} bytes is larger than the ${maxBytes} allowed`, this.#path);
    }
    return this.read(0, this.size);
  }

  async *chunks(chunkBytes: number): AsyncIterable<Uint8Array> {
    if (!Number.isSafeInteger(chunkBytes) || chunkBytes <= 0) {
      throw new RangeError(`${this.#path}: chunk size must be a positive integer, not ${chunkBytes}`);
    }
    for (let position = 0; position < this.size; position += chunkBytes) {
      yield await this.read(position, Math.min(chunkBytes, this.size - position));
    }
  }
}

/**
 * Serves the mini stream in aligned blocks, each read once and kept: AAF keeps thousands of tiny property
 * streams side by side in the mini stream, and reading them one file read each would dominate the time to
 * walk a file. A read inside one block is a view of it (no copy); the blocks kept are at most the mini
 * stream, which the object layer reads nearly all of anyway.
 */
export function blockCachedRead(
  inner: BackingRead,
  size: number,
  blockBytes: number,
): { readonly read: BackingRead; readonly readNow: BackingReadNow } {
  const blocks: (Promise<Uint8Array> | undefined)[] = [];
  const ready: (Uint8Array | undefined)[] = [];
  const block = (index: number): Promise<Uint8Array> => {
    let pending = blocks[index];
    if (pending !== undefined) return pending;
    const start = index * blockBytes;
    // Kept for the life of the file: a view into a larger buffer (a byte source's own cache block) would keep
    // all of that buffer alive too, so such a block is copied out.
    pending = inner(start, Math.min(blockBytes, size - start)).then((bytes) =>
      bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice(),
    );
    pending.then(
      (bytes) => {
        ready[index] = bytes;
      },
      () => {
        blocks[index] = undefined;
      },
    );
    blocks[index] = pending;
    return pending;
  };
  const readNow: BackingReadNow = (offset, length) => {
    const end = Math.min(size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    const index = Math.floor(offset / blockBytes);
    const bytes = ready[index];
    if (bytes === undefined || Math.floor((end - 1) / blockBytes) !== index) return undefined;
    return bytes.subarray(offset - index * blockBytes, end - index * blockBytes);
  };
  const read: BackingRead = async (offset, length) => {
    const end = Math.min(size, offset + length);
    if (offset >= end) return new Uint8Array(0);
    const firstBlock = Math.floor(offset / blockBytes);
    const lastBlock = Math.floor((end - 1) / blockBytes);
    if (firstBlock === lastBlock) {
      const bytes = await block(firstBlock);
      return bytes.subarray(offset - firstBlock * blockBytes, end - firstBlock * blockBytes);
    }
    const out = new Uint8Array(end - offset);
    for (let index = firstBlock; index <= lastBlock; index++) {
      const bytes = await block(index);
      const from = Math.max(offset, index * blockBytes);
      const to = Math.min(end, index * blockBytes + bytes.length);
      out.set(bytes.subarray(from - index * blockBytes, to - index * blockBytes), from - offset);
      if (to < Math.min(end, (index + 1) * blockBytes)) return out.subarray(0, to - offset);
    }
    return out;
  };
  return { read, readNow };
}
