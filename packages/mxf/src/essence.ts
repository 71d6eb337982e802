import type { ByteSource } from "@dubstage/aaf";
import { at, MxfFormatError } from "./errors.ts";
import { matches, readKlvHeader, SMPTE_UL_PREFIX, toHex, ulDotted } from "./klv.ts";
import { essenceItemType, GC_SOUND_ITEM, isRandomIndexPack, partitionKind } from "./labels.ts";
import { readPartitionPack } from "./partition.ts";

export interface ByteRange {
  readonly offset: number;
  readonly length: number;
}

export interface EssenceWalk {
  readonly ranges: readonly ByteRange[];
  /** Key of the first element taken (byte 14 tells frame from clip wrapping), or null if none. */
  readonly elementKey: Uint8Array | null;
  readonly klvCount: number;
}

export interface EssenceTarget {
  /** The sound track's TrackNumber: the last 4 bytes of its essence element keys (0 when the writer left it unset). */
  readonly trackNumber: number;
  /** BodySID of the file package's essence container, when EssenceContainerData names it. */
  readonly bodySid: number | null;
  /** Where an indefinite-length (0x80) essence element must end at the latest: the footer partition. */
  readonly footerOffset: number | null;
  /** @default 20000000 */
  readonly maxKlvs?: number;
}

/**
 * Walks every KLV from `start` to the end of the file and returns the value ranges of the sound essence
 * elements of one track: one range for clip wrapping, one per edit unit for frame wrapping. Every KLV must
 * fit the file and the walk only moves forward, so it ends on any input; the KLV count is capped too.
 */
export async function locateEssence(source: ByteSource, start: number, target: EssenceTarget): Promise<EssenceWalk> {
  const maxKlvs = target.maxKlvs ?? 20_000_000;
  const matched: ByteRange[] = [];
  let matchedKey: Uint8Array | null = null;
  // Sound elements of other track numbers, by key: used when the only sound track left its number unset.
  const otherSound = new Map<string, { key: Uint8Array; ranges: ByteRange[] }>();
  let bodySid = 0;
  let offset = start;
  let count = 0;
  while (offset < source.size) {
    if (++count > maxKlvs) throw new MxfFormatError(`more than ${maxKlvs} KLVs`, at(offset));
    const klv = await readKlvHeader(source, offset);
    if (!matches(klv.key, SMPTE_UL_PREFIX)) {
      throw new MxfFormatError(`expected a KLV key (06 0e 2b 34 ...), found ${toHex(klv.key)}`, at(offset));
    }
    const partition = partitionKind(klv.key);
    if (partition !== null && !isRandomIndexPack(klv.key)) bodySid = (await readPartitionPack(source, offset)).bodySid;
    const itemType = essenceItemType(klv.key);
    let length = klv.length;
    if (length === null) {
      if (itemType === null) throw new MxfFormatError(`KLV ${ulDotted(klv.key)} has an indefinite (0x80) length`, at(offset));
      // An unfinished recording: the element runs to the footer partition, or to the end of the file.
      const end = target.footerOffset !== null && target.footerOffset > klv.valueOffset ? target.footerOffset : source.size;
      length = end - klv.valueOffset;
    }
    if (itemType !== null && (target.bodySid === null || bodySid === target.bodySid)) {
      const range = { offset: klv.valueOffset, length };
      const number =
        (((klv.key[12] as number) << 24) | ((klv.key[13] as number) << 16) | ((klv.key[14] as number) << 8) | (klv.key[15] as number)) >>>
        0;
      if (target.trackNumber !== 0 && number === target.trackNumber) {
        matched.push(range);
        matchedKey ??= klv.key;
      } else if (itemType === GC_SOUND_ITEM) {
        const hex = toHex(klv.key);
        const entry = otherSound.get(hex) ?? { key: klv.key, ranges: [] };
        entry.ranges.push(range);
        otherSound.set(hex, entry);
      }
    }
    offset = klv.valueOffset + length;
  }
  if (matched.length > 0 || otherSound.size === 0) return { ranges: matched, elementKey: matchedKey, klvCount: count };
  if (otherSound.size === 1) {
    const only = otherSound.values().next().value as { key: Uint8Array; ranges: ByteRange[] };
    return { ranges: only.ranges, elementKey: only.key, klvCount: count };
  }
  throw new MxfFormatError(
    `sound essence of ${otherSound.size} tracks (${[...otherSound.keys()].map((k) => k.slice(24)).join(", ")}), none with the sound track's number ${target.trackNumber.toString(16).padStart(8, "0")}`,
    at(start),
  );
}
