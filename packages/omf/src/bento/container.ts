import type { ByteSource } from "@dubstage/aaf";
import { hex, NotOmfError, OmfFormatError } from "../errors.ts";
import { type BentoLabel, decodeLabel, LABEL_SIZE } from "./label.ts";
import { type BentoValue, DEFAULT_TOC_LIMITS, parseToc, type Segment, type TocLimits } from "./toc.ts";

/** Bento's standard property ids that name a global type or property object. */
export const GLOBAL_TYPE_NAME = 0x17;
export const GLOBAL_PROPERTY_NAME = 0x18;
/** The property of a reference-list object holding (key, object id) pairs. */
export const REFERENCE_LIST_DATA = 0x1f;

export interface BentoOptions extends Partial<TocLimits> {
  /** Largest value `readValue` will load into memory (bigger values are streamed with `valueChunks`). */
  readonly maxValueBytes?: number;
}

export interface BentoContainer {
  readonly label: BentoLabel;
  readonly size: number;
  /** Every object id with its values, in TOC order. */
  readonly objects: ReadonlyMap<number, readonly BentoValue[]>;
  /** The global name of a property or type id (e.g. `OMFI:SCLP:FadeInLength`, `omfi:Int32`), null if unnamed. */
  nameOf(id: number): string | null;
  valueLength(value: BentoValue): number;
  /** The whole value, refusing values larger than `maxValueBytes`. */
  readValue(value: BentoValue): Promise<Uint8Array>;
  /** The value in pieces of at most `chunkSize` bytes, reading lazily. */
  valueChunks(value: BentoValue, chunkSize?: number): AsyncIterable<Uint8Array>;
  /** The file byte ranges of a value (immediate segments excluded): where embedded media could be streamed from. */
  fileRanges(value: BentoValue): readonly { offset: number; length: number }[];
}

async function readExact(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.byteLength !== length) {
    throw new OmfFormatError(`short read of ${what}: ${bytes.byteLength} of ${length} bytes`, `byte ${offset}`);
  }
  return bytes;
}

function segmentLength(s: Segment): number {
  return s.kind === "file" ? s.length : s.bytes.byteLength;
}

/** Opens the Bento container: label, TOC and global names. Value bytes are read only when asked for. */
export async function openBento(source: ByteSource, options: BentoOptions = {}): Promise<BentoContainer> {
  const size = source.size;
  const first = await source.read(0, 8);
  if (size < LABEL_SIZE) throw new NotOmfError(`not an OMF file: too small for a Bento label (${size} bytes)`, "byte 0");
  const labelBytes = await readExact(source, size - LABEL_SIZE, LABEL_SIZE, "Bento label");
  const label = decodeLabel(labelBytes, size, first);
  const toc = await readExact(source, label.tocOffset, label.tocSize, "Bento TOC");
  const limits: TocLimits = {
    maxValues: options.maxValues ?? DEFAULT_TOC_LIMITS.maxValues,
    maxSegmentsPerValue: options.maxSegmentsPerValue ?? DEFAULT_TOC_LIMITS.maxSegmentsPerValue,
  };
  const values = parseToc(toc, label.tocOffset, label.tocBufferSize, label.littleEndian, size, limits);
  const maxValueBytes = options.maxValueBytes ?? 16 * 1024 * 1024;

  const objects = new Map<number, BentoValue[]>();
  for (const v of values) {
    const list = objects.get(v.objectId);
    if (list === undefined) objects.set(v.objectId, [v]);
    else list.push(v);
  }

  const valueLength = (v: BentoValue) => v.segments.reduce((n, s) => n + segmentLength(s), 0);
  const readValue = async (v: BentoValue): Promise<Uint8Array> => {
    const total = valueLength(v);
    if (total > maxValueBytes) {
      throw new OmfFormatError(
        `value of ${total} bytes exceeds the ${maxValueBytes}-byte limit`,
        `object ${hex(v.objectId)} property ${hex(v.propertyId)}`,
      );
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const s of v.segments) {
      const bytes = s.kind === "immediate" ? s.bytes : await readExact(source, s.offset, s.length, `object ${hex(v.objectId)} value`);
      out.set(bytes, at);
      at += bytes.byteLength;
    }
    return out;
  };
  async function* valueChunks(v: BentoValue, chunkSize = 64 * 1024): AsyncIterable<Uint8Array> {
    const step = Math.max(1, Math.floor(chunkSize));
    for (const s of v.segments) {
      if (s.kind === "immediate") {
        if (s.bytes.byteLength > 0) yield s.bytes;
        continue;
      }
      for (let at = 0; at < s.length; at += step) {
        yield await readExact(source, s.offset + at, Math.min(step, s.length - at), `object ${hex(v.objectId)} value`);
      }
    }
  }

  // Global names are small strings stored in the name objects themselves; read them all once.
  const names = new Map<number, string>();
  for (const [id, list] of objects) {
    for (const v of list) {
      if (v.propertyId !== GLOBAL_TYPE_NAME && v.propertyId !== GLOBAL_PROPERTY_NAME) continue;
      if (valueLength(v) > 1024) throw new OmfFormatError(`global name longer than 1024 bytes`, `object ${hex(id)}`);
      names.set(id, decodeCString(await readValue(v)));
    }
  }

  return {
    label,
    size,
    objects,
    nameOf: (id) => names.get(id) ?? null,
    valueLength,
    readValue,
    valueChunks,
    fileRanges: (v) => v.segments.flatMap((s) => (s.kind === "file" && s.length > 0 ? [{ offset: s.offset, length: s.length }] : [])),
  };
}

/** A NUL-terminated (or unterminated) 8-bit string; OMF strings are ASCII/Latin-1 in practice. */
export function decodeCString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  const body = end < 0 ? bytes : bytes.subarray(0, end);
  return new TextDecoder("latin1").decode(body);
}
