import type { ByteSource } from "@dubstage/aaf";
import { at, MxfFormatError } from "./errors.ts";
import { readExact, readKlvHeader, toHex, ulDotted, ValueReader } from "./klv.ts";
import { headerSetClass, isFill, isLocalSet, isMetadataGroup, isPrimerPack, setClassName } from "./labels.ts";

/** One local-set property: its bytes and where they are in the file. */
export interface Property {
  readonly offset: number;
  readonly bytes: Uint8Array;
}

/** A header metadata set (Preface, SourcePackage, WaveAudioDescriptor...) with its properties by local tag. */
export interface MetadataSet {
  readonly offset: number;
  /** The set's class (key bytes 13-14, e.g. 0x4800), or null for a private set Avid and others add. */
  readonly setClass: number | null;
  readonly key: Uint8Array;
  /** InstanceUID (tag 0x3c0a) as hex, the target of strong references. */
  readonly uid: string | null;
  /** Properties by local tag. The reader uses static tags only; dynamic ones (0x8000 and up, private data) are kept unread. */
  readonly properties: ReadonlyMap<number, Property>;
}

export interface HeaderMetadata {
  readonly sets: readonly MetadataSet[];
  readonly byUid: ReadonlyMap<string, MetadataSet>;
  /** Where the header metadata ended (the first KLV after it). */
  readonly end: number;
}

export interface HeaderMetadataLimits {
  /** @default 67108864 (64 MiB) */
  readonly maxBytes?: number;
  /** @default 1000000 */
  readonly maxSets?: number;
}

/**
 * Reads the header metadata that starts at `start` (the byte after a partition pack): optional fill, the
 * primer pack, then local sets and fill, up to the first KLV that is not metadata (the next partition,
 * an index table segment, essence) or the end of the file. The partition's HeaderByteCount is only checked
 * against the limit, not used as the end: writers differ on whether the fill after the pack counts (ffmpeg
 * counts from the primer pack), so the KLVs themselves say where the metadata ends.
 */
export async function readHeaderMetadata(
  source: ByteSource,
  start: number,
  byteCount: number,
  limits: HeaderMetadataLimits = {},
): Promise<HeaderMetadata> {
  const maxBytes = limits.maxBytes ?? 64 * 1024 * 1024;
  const maxSets = limits.maxSets ?? 1_000_000;
  if (byteCount > maxBytes)
    throw new MxfFormatError(`HeaderByteCount ${byteCount} is over the ${maxBytes}-byte header metadata limit`, at(start));
  if (start + byteCount > source.size)
    throw new MxfFormatError(`HeaderByteCount ${byteCount} runs past the end of the file (size ${source.size})`, at(start));

  let offset = start;
  let primer: Map<number, string> | null = null;
  const sets: MetadataSet[] = [];
  while (offset < source.size) {
    if (offset - start > maxBytes) throw new MxfFormatError(`header metadata goes on past the ${maxBytes}-byte limit`, at(start));
    const klv = await readKlvHeader(source, offset);
    const isMetadata = isFill(klv.key) || (primer === null ? isPrimerPack(klv.key) : isMetadataGroup(klv.key));
    if (!isMetadata) {
      if (primer === null) throw new MxfFormatError(`header metadata starts with ${ulDotted(klv.key)}, not the primer pack`, at(offset));
      break; // the next partition, an index table segment or essence
    }
    if (klv.length === null) throw new MxfFormatError("a header metadata KLV has an indefinite (0x80) length", at(offset));
    const next = klv.valueOffset + klv.length;
    if (isFill(klv.key)) {
      offset = next;
      continue;
    }
    if (primer === null) {
      primer = parsePrimer(await readExact(source, klv.valueOffset, klv.length, "primer pack", maxBytes), klv.valueOffset);
      offset = next;
      continue;
    }
    if (!isLocalSet(klv.key)) {
      offset = next; // a set in another coding (BER-length or 1-byte tags): private, skipped unread
      continue;
    }
    if (sets.length >= maxSets) throw new MxfFormatError(`more than ${maxSets} header metadata sets`, at(offset));
    const value = await readExact(
      source,
      klv.valueOffset,
      klv.length,
      `${setClassName(headerSetClass(klv.key) ?? -1)} set`,
      maxBytes - (offset - start),
    );
    sets.push(parseLocalSet(klv.key, value, offset, klv.valueOffset));
    offset = next;
  }
  if (primer === null) throw new MxfFormatError("no primer pack in the header metadata", at(start));

  const byUid = new Map<string, MetadataSet>();
  for (const set of sets) {
    if (set.uid === null) continue;
    if (byUid.has(set.uid)) throw new MxfFormatError(`two header metadata sets have InstanceUID ${set.uid}`, at(set.offset));
    byUid.set(set.uid, set);
  }
  return { sets, byUid, end: offset };
}

/**
 * Primer pack: a batch (u32 count, u32 item size 18) of local tag (u16) + UL (16 bytes). Checked for shape;
 * the tags this reader uses are the static ones SMPTE 377M fixes, so the map only proves the pack is sound.
 */
function parsePrimer(value: Uint8Array, base: number): Map<number, string> {
  const reader = new ValueReader(value, base);
  const count = reader.u32(0, "primer batch count");
  const itemSize = reader.u32(4, "primer item size");
  if (itemSize !== 18) throw new MxfFormatError(`primer pack items are ${itemSize} bytes, not 18`, at(base + 4));
  if (8 + count * 18 !== value.byteLength) {
    throw new MxfFormatError(`primer pack holds ${count} items but its value is ${value.byteLength} bytes`, at(base));
  }
  const tags = new Map<number, string>();
  for (let i = 0; i < count; i++) tags.set(reader.u16(8 + i * 18, "primer tag"), toHex(reader.slice(10 + i * 18, 16, "primer UL")));
  return tags;
}

function parseLocalSet(key: Uint8Array, value: Uint8Array, offset: number, valueOffset: number): MetadataSet {
  const reader = new ValueReader(value, valueOffset);
  const properties = new Map<number, Property>();
  let pos = 0;
  while (pos < value.byteLength) {
    const tag = reader.u16(pos, "local tag");
    const length = reader.u16(pos + 2, `local tag 0x${tag.toString(16)} length`);
    const bytes = reader.slice(pos + 4, length, `local tag 0x${tag.toString(16)} value`);
    properties.set(tag, { offset: valueOffset + pos + 4, bytes });
    pos += 4 + length;
  }
  const uid = properties.get(0x3c0a);
  if (uid && uid.bytes.byteLength !== 16) throw new MxfFormatError(`InstanceUID is ${uid.bytes.byteLength} bytes, not 16`, at(uid.offset));
  return { offset, setClass: headerSetClass(key), key, uid: uid ? toHex(uid.bytes) : null, properties };
}
