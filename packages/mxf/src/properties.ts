import { at, MxfFormatError } from "./errors.ts";
import type { HeaderMetadata, MetadataSet } from "./header-metadata.ts";
import { toHex, ValueReader } from "./klv.ts";
import { SET, setClassName } from "./labels.ts";

// Typed reads of one property of a set; absent properties are undefined, malformed ones an error naming
// the set class, tag and byte offset.

export interface Rational {
  readonly numerator: number;
  readonly denominator: number;
}

function prop(set: MetadataSet, tag: number, size: number | null, what: string): ValueReader | undefined {
  const p = set.properties.get(tag);
  if (!p) return undefined;
  if (size !== null && p.bytes.byteLength !== size) {
    throw new MxfFormatError(
      `${setClassName(set.setClass ?? -1)} ${what} (tag 0x${tag.toString(16)}) is ${p.bytes.byteLength} bytes, not ${size}`,
      at(p.offset),
    );
  }
  return new ValueReader(p.bytes, p.offset);
}

export function u8(set: MetadataSet, tag: number, what: string): number | undefined {
  return prop(set, tag, 1, what)?.u8(0, what);
}

export function u16(set: MetadataSet, tag: number, what: string): number | undefined {
  return prop(set, tag, 2, what)?.u16(0, what);
}

export function u32(set: MetadataSet, tag: number, what: string): number | undefined {
  return prop(set, tag, 4, what)?.u32(0, what);
}

export function i64(set: MetadataSet, tag: number, what: string): number | undefined {
  return prop(set, tag, 8, what)?.i64(0, what);
}

export function rational(set: MetadataSet, tag: number, what: string): Rational | undefined {
  const r = prop(set, tag, 8, what);
  return r ? { numerator: r.i32(0, what), denominator: r.i32(4, what) } : undefined;
}

/** A 16-byte label or UUID. */
export function ul(set: MetadataSet, tag: number, what: string): Uint8Array | undefined {
  return prop(set, tag, 16, what)?.bytes;
}

/** A 32-byte basic UMID as 64 hex digits. */
export function umid(set: MetadataSet, tag: number, what: string): string | undefined {
  const r = prop(set, tag, 32, what);
  return r ? toHex(r.bytes) : undefined;
}

/** UTF-16BE text, up to the first NUL (writers pad names). */
export function utf16(set: MetadataSet, tag: number, what: string): string | undefined {
  const r = prop(set, tag, null, what);
  if (!r) return undefined;
  if (r.bytes.byteLength % 2 !== 0) throw new MxfFormatError(`${what} is an odd number of bytes for UTF-16`, at(r.base));
  const text = new TextDecoder("utf-16be").decode(r.bytes);
  const nul = text.indexOf("\u0000");
  return nul < 0 ? text : text.slice(0, nul);
}

/** The set a strong reference points at; a dangling reference is an error (it is in the same header). */
export function ref(meta: HeaderMetadata, set: MetadataSet, tag: number, what: string): MetadataSet | undefined {
  const r = prop(set, tag, 16, what);
  if (!r) return undefined;
  return resolve(meta, toHex(r.bytes), r.base, what);
}

/** A batch of strong references: u32 count, u32 item size (16), items. */
export function refArray(meta: HeaderMetadata, set: MetadataSet, tag: number, what: string): MetadataSet[] {
  const r = prop(set, tag, null, what);
  if (!r) return [];
  const count = r.u32(0, `${what} count`);
  const size = r.u32(4, `${what} item size`);
  if (size !== 16 || 8 + count * 16 !== r.bytes.byteLength) {
    throw new MxfFormatError(`${what}: a batch of ${count} x ${size} bytes in ${r.bytes.byteLength} bytes`, at(r.base));
  }
  const out: MetadataSet[] = [];
  for (let i = 0; i < count; i++) out.push(resolve(meta, toHex(r.slice(8 + i * 16, 16, what)), r.base + 8 + i * 16, what));
  return out;
}

function resolve(meta: HeaderMetadata, uid: string, offset: number, what: string): MetadataSet {
  const target = meta.byUid.get(uid);
  if (!target) throw new MxfFormatError(`${what} refers to set ${uid}, which the header metadata does not hold`, at(offset));
  return target;
}

/** A track's components: those of its Sequence, or the segment itself when it is not a sequence. */
export function segmentComponents(meta: HeaderMetadata, track: MetadataSet): MetadataSet[] {
  const segment = ref(meta, track, 0x4803, "Track Sequence");
  if (!segment) return [];
  if (segment.setClass !== SET.sequence) return [segment];
  return refArray(meta, segment, 0x1001, "Sequence StructuralComponents");
}
