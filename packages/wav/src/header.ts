import { type Bext, parseBext } from "./bext.ts";
import { fourcc, u32, u64 } from "./bytes.ts";
import { InvalidWavError } from "./errors.ts";
import { parseFmt, type WavFormat } from "./format.ts";
import { type Ixml, parseIxml } from "./ixml.ts";

/** One chunk as found in the file. */
export interface ChunkInfo {
  /** Four-character id, e.g. "fmt ", "data", "bext", "iXML", "LIST", "JUNK". */
  readonly id: string;
  /** File offset of the chunk's 8-byte header. */
  readonly offset: number;
  /** Payload bytes (resolved through ds64 for RF64), without the pad byte of an odd size. */
  readonly size: number;
}

/** The data chunk declared more bytes than the source holds (reported instead of thrown when `strict` is false). */
export interface DataTruncation {
  readonly declaredBytes: number;
  readonly availableBytes: number;
}

/** Everything the header says about a WAV file. */
export interface WavInfo {
  readonly container: "RIFF" | "RF64" | "BW64";
  readonly format: WavFormat;
  /** File offset of the first sample byte. */
  readonly dataOffset: number;
  /** Length of the data chunk as declared (ds64's for RF64). */
  readonly dataBytes: number;
  /** Whole frames that can be read: dataBytes / blockAlign, or fewer when truncated (non-strict). */
  readonly frames: number;
  /** Set when the source is known to be shorter than the data chunk declares (non-strict only). */
  readonly truncated: DataTruncation | undefined;
  readonly bext: Bext | undefined;
  readonly ixml: Ixml | undefined;
  /** Chunks in file order. A stream-backed reader sees only those up to and including data. */
  readonly chunks: readonly ChunkInfo[];
  /** Tolerated oddities (RIFF size disagreeing with the file, partial last frame, duplicate fmt, ...). */
  readonly warnings: readonly string[];
}

export interface ParseOptions {
  /**
   * When true (the default), a data chunk longer than the source throws `InvalidWavError` ("data-truncated");
   * when false, the readable whole frames are decoded and `truncated` says what was missing.
   */
  readonly strict?: boolean;
  /** Largest bext or iXML chunk read into memory. @default 16777216 (16 MiB) */
  readonly maxMetadataChunkBytes?: number;
}

/** A step the walk asks its driver for: bytes at the current position (fewer only at the end) or to skip some. */
export type WalkStep = { readonly op: "read"; readonly length: number } | { readonly op: "skip"; readonly length: number };

export interface WalkContext {
  /** Total bytes of the source, when known. */
  readonly size: number | undefined;
  /** Whether the walk may go on past the data chunk to `position` (random access: yes; a stream: no). */
  canReach(position: number): boolean;
}

const MAX_FMT_BYTES = 65536;
const U32_MAX = 0xffffffff;

/**
 * The chunk walk as a generator of read/skip steps, so one walk serves both the synchronous parse of bytes in
 * memory and the asynchronous one over a stream or a random-access source. Returns the parsed header.
 */
export function* walkWav(context: WalkContext, options: ParseOptions = {}): Generator<WalkStep, WavInfo, Uint8Array | undefined> {
  const strict = options.strict ?? true;
  const maxMetadata = options.maxMetadataChunkBytes ?? 16 * 1024 * 1024;
  const warnings: string[] = [];
  const chunks: ChunkInfo[] = [];
  let pos = 0;
  const read = function* (length: number): Generator<WalkStep, Uint8Array, Uint8Array | undefined> {
    const bytes = (yield { op: "read", length })!;
    pos += bytes.length;
    return bytes;
  };

  const head = yield* read(12);
  if (head.length < 12) throw new InvalidWavError("truncated", `the file is ${head.length} bytes, a RIFF header needs 12`, 0);
  const container = fourcc(head, 0);
  if (container !== "RIFF" && container !== "RF64" && container !== "BW64") {
    throw new InvalidWavError("not-wav", `file starts with ${JSON.stringify(container)}, not RIFF, RF64 or BW64`, 0);
  }
  if (fourcc(head, 8) !== "WAVE") throw new InvalidWavError("not-wav", `form type is ${JSON.stringify(fourcc(head, 8))}, not WAVE`, 8);
  let riffSize = u32(head, 4);
  const rf64 = container !== "RIFF";
  let ds64: { dataSize: number; table: Map<string, number> } | undefined;
  if (rf64) {
    const header = yield* read(8);
    if (header.length < 8) throw new InvalidWavError("truncated", "the file ends before the ds64 chunk", 12);
    if (fourcc(header, 0) !== "ds64") {
      throw new InvalidWavError(
        "missing-chunk",
        `${container} needs ds64 as its first chunk, found ${JSON.stringify(fourcc(header, 0))}`,
        12,
      );
    }
    const size = u32(header, 4);
    if (size < 28 || size > MAX_FMT_BYTES)
      throw new InvalidWavError("chunk-size", `ds64 chunk is ${size} bytes (28 or more, with its table)`, 16);
    const body = yield* read(size + (size & 1));
    if (body.length < size) throw new InvalidWavError("truncated", `the file ends inside the ds64 chunk`, 20);
    const safe = (at: number, what: string): number => {
      const v = u64(body, at);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidWavError("chunk-size", `ds64 ${what} ${v} overflows 2^53`, 20 + at);
      return Number(v);
    };
    riffSize = safe(0, "RIFF size");
    const dataSize = safe(8, "data size");
    const tableLength = u32(body, 24);
    if (28 + 12 * tableLength > size) {
      throw new InvalidWavError("chunk-size", `ds64 table of ${tableLength} entries does not fit its ${size}-byte chunk`, 44);
    }
    const table = new Map<string, number>();
    for (let i = 0; i < tableLength; i++)
      table.set(fourcc(body, 28 + 12 * i), safe(32 + 12 * i, `table size of ${fourcc(body, 28 + 12 * i)}`));
    ds64 = { dataSize, table };
    chunks.push({ id: "ds64", offset: 12, size });
  }
  let riffEnd = 8 + riffSize;
  if (riffSize < 4) {
    if (strict) throw new InvalidWavError("chunk-size", `RIFF size ${riffSize} is smaller than the form type`, 4);
    // Some streaming writers leave the RIFF size at 0: walk to the end of the source instead.
    warnings.push(`RIFF size ${riffSize} ignored: chunks are read to the end of the source`);
    riffEnd = context.size ?? Number.POSITIVE_INFINITY;
  } else if (context.size !== undefined && riffEnd !== context.size && riffEnd !== context.size + 1) {
    warnings.push(`RIFF size says the file is ${riffEnd} bytes, the source has ${context.size}`);
  }

  let format: WavFormat | undefined;
  let bext: Bext | undefined;
  let ixml: Ixml | undefined;
  let data: { offset: number; bytes: number } | undefined;
  let truncated: DataTruncation | undefined;
  while (pos + 8 <= riffEnd) {
    const chunkAt = pos;
    if (data !== undefined && !context.canReach(chunkAt + 8)) break;
    const header = yield* read(8);
    if (header.length < 8) {
      if (data === undefined) throw new InvalidWavError("truncated", "the file ends inside a chunk header", chunkAt);
      if (header.length > 0) warnings.push(`${header.length} stray bytes after the last chunk at ${chunkAt}`);
      break;
    }
    const id = fourcc(header, 0);
    let size = u32(header, 4);
    if (rf64 && size === U32_MAX) {
      const resolved = id === "data" ? ds64!.dataSize : ds64!.table.get(id);
      if (resolved === undefined)
        throw new InvalidWavError(
          "chunk-size",
          `chunk ${JSON.stringify(id)} has size 0xFFFFFFFF but ds64 has no entry for it`,
          chunkAt + 4,
        );
      size = resolved;
    }
    const bodyAt = chunkAt + 8;
    const end = bodyAt + size;
    chunks.push({ id, offset: chunkAt, size });
    if (id === "data") {
      if (format === undefined) throw new InvalidWavError("missing-chunk", "data chunk comes before any fmt chunk", chunkAt);
      if (data !== undefined) {
        warnings.push(`second data chunk at ${chunkAt} ignored`);
      } else {
        data = { offset: bodyAt, bytes: size };
        if (end > riffEnd) {
          warnings.push(`data chunk ends at ${end}, past the RIFF size's end ${riffEnd}`);
        }
        if (context.size !== undefined && end > context.size) {
          const availableBytes = Math.max(0, context.size - bodyAt);
          if (strict) {
            throw new InvalidWavError(
              "data-truncated",
              `data chunk declares ${size} bytes but the file holds only ${availableBytes} after its header`,
              chunkAt,
            );
          }
          truncated = { declaredBytes: size, availableBytes };
          break;
        }
      }
      if (!context.canReach(end)) {
        pos = end;
        break;
      }
      yield { op: "skip", length: size + (size & 1) };
      pos = end + (size & 1);
      continue;
    }
    if (end > riffEnd) {
      throw new InvalidWavError(
        "chunk-size",
        `chunk ${JSON.stringify(id)} of ${size} bytes runs past the RIFF end at ${riffEnd}`,
        chunkAt + 4,
      );
    }
    if (id === "fmt " || id === "bext" || id === "iXML") {
      if (id === "fmt " && size > MAX_FMT_BYTES) throw new InvalidWavError("chunk-size", `fmt chunk of ${size} bytes`, chunkAt + 4);
      if (id !== "fmt " && size > maxMetadata) {
        throw new InvalidWavError(
          "metadata-too-large",
          `${id} chunk of ${size} bytes exceeds maxMetadataChunkBytes ${maxMetadata}`,
          chunkAt,
        );
      }
      const body = yield* read(size);
      if (body.length < size) throw new InvalidWavError("truncated", `the file ends inside the ${JSON.stringify(id)} chunk`, bodyAt);
      if (id === "fmt ") {
        if (format !== undefined) warnings.push(`second fmt chunk at ${chunkAt} ignored`);
        else format = parseFmt(body, bodyAt);
      } else if (id === "bext") {
        bext = parseBext(body, bodyAt);
      } else {
        ixml = parseIxml(body);
      }
      if (size & 1) yield { op: "skip", length: 1 };
      pos = end + (size & 1);
      continue;
    }
    yield { op: "skip", length: size + (size & 1) };
    pos = end + (size & 1);
  }
  if (format === undefined) throw new InvalidWavError("missing-chunk", "no fmt chunk", 12);
  if (data === undefined) throw new InvalidWavError("missing-chunk", "no data chunk", pos);
  const readable = truncated?.availableBytes ?? data.bytes;
  if (readable % format.blockAlign !== 0) {
    warnings.push(`data holds ${readable} bytes, not a whole number of ${format.blockAlign}-byte frames; the partial frame is ignored`);
  }
  return {
    container,
    format,
    dataOffset: data.offset,
    dataBytes: data.bytes,
    frames: Math.floor(readable / format.blockAlign),
    truncated,
    bext,
    ixml,
    chunks,
    warnings,
  };
}

/**
 * Parses the header of a WAV file from bytes in memory: the whole file, or a prefix that reaches at least the
 * start of the data chunk's samples. Chunks after the data are read when `bytes` holds them. `fileSize`
 * defaults to `bytes.length`: when `bytes` is only a prefix, give the real file size, or a (strict) parse
 * reports the data chunk as truncated.
 */
export function parseWavHeader(bytes: Uint8Array, options: ParseOptions & { readonly fileSize?: number } = {}): WavInfo {
  let pos = 0;
  const walk = walkWav({ size: options.fileSize ?? bytes.length, canReach: (p) => p < bytes.length }, options);
  let step = walk.next();
  while (!step.done) {
    if (step.value.op === "read") {
      const chunk = bytes.subarray(Math.min(pos, bytes.length), Math.min(pos + step.value.length, bytes.length));
      pos += chunk.length;
      step = walk.next(chunk);
    } else {
      pos += step.value.length;
      step = walk.next(undefined);
    }
  }
  return step.value;
}
