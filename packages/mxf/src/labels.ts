import { matches, toHex, ulDotted } from "./klv.ts";

// Keys and labels from SMPTE 377M (file format), 378M/390M (operational patterns), 379M/382M (generic
// container, sound mapping). `null` is a version byte, which writers set differently (Avid 01/02/05...).

const PARTITION_PACK = [0x06, 0x0e, 0x2b, 0x34, 0x02, 0x05, 0x01, null, 0x0d, 0x01, 0x02, 0x01, 0x01] as const;
const FILL = [0x06, 0x0e, 0x2b, 0x34, 0x01, 0x01, 0x01, null, 0x03, 0x01, 0x02, 0x10, 0x01, 0x00, 0x00, 0x00] as const;
const HEADER_SET = [0x06, 0x0e, 0x2b, 0x34, 0x02, 0x53, 0x01, null, 0x0d, 0x01, 0x01, 0x01, 0x01, 0x01] as const;
const ESSENCE_ELEMENT = [0x06, 0x0e, 0x2b, 0x34, 0x01, 0x02, 0x01, null, 0x0d, 0x01, 0x03, 0x01] as const;
const OPERATIONAL_PATTERN = [0x06, 0x0e, 0x2b, 0x34, 0x04, 0x01, 0x01, null, 0x0d, 0x01, 0x02, 0x01] as const;
const ESSENCE_CONTAINER = [0x06, 0x0e, 0x2b, 0x34, 0x04, 0x01, 0x01, null, 0x0d, 0x01, 0x03, 0x01, 0x02] as const;
const DATA_DEFINITION = [0x06, 0x0e, 0x2b, 0x34, 0x04, 0x01, 0x01, null, 0x01, 0x03, 0x02] as const;

/** The first 14 bytes of a header partition pack key: what a file must contain within its run-in. */
export const HEADER_PARTITION_KEY_PREFIX = Uint8Array.of(
  0x06,
  0x0e,
  0x2b,
  0x34,
  0x02,
  0x05,
  0x01,
  0x01,
  0x0d,
  0x01,
  0x02,
  0x01,
  0x01,
  0x02,
);

export type PartitionKind = "header" | "body" | "footer";

/** Partition pack keys end `kk ss 00`: kind 02/03/04, status 01 open incomplete .. 04 closed complete. */
export function partitionKind(key: Uint8Array): { kind: PartitionKind; closed: boolean; complete: boolean } | null {
  if (!matches(key, PARTITION_PACK) || key[15] !== 0x00) return null;
  const kind = key[13] === 0x02 ? "header" : key[13] === 0x03 ? "body" : key[13] === 0x04 ? "footer" : null;
  const status = key[14] as number;
  if (kind === null || status < 1 || status > 4) return null;
  return { kind, closed: status === 2 || status === 4, complete: status >= 3 };
}

export function isPrimerPack(key: Uint8Array): boolean {
  return matches(key, [...PARTITION_PACK, 0x05, 0x01, 0x00]);
}

export function isRandomIndexPack(key: Uint8Array): boolean {
  return matches(key, [...PARTITION_PACK, 0x11, 0x01, 0x00]);
}

export function isIndexTableSegment(key: Uint8Array): boolean {
  return matches(key, [0x06, 0x0e, 0x2b, 0x34, 0x02, 0x53, 0x01, null, 0x0d, 0x01, 0x02, 0x01, 0x01, 0x10, 0x01, 0x00]);
}

export function isFill(key: Uint8Array): boolean {
  return matches(key, FILL);
}

/** A header metadata set (local set, 2-byte tags and lengths): its class, key bytes 14-15, e.g. 0x4800, else null. */
export function headerSetClass(key: Uint8Array): number | null {
  if (!matches(key, HEADER_SET)) return null;
  return ((key[14] as number) << 8) | (key[15] as number);
}

/**
 * A group KLV (key byte 4 = 02) that is part of header metadata: a set in any coding, not a fixed pack
 * (byte 5 = 05: partition, primer, random index pack) nor an index table segment.
 */
export function isMetadataGroup(key: Uint8Array): boolean {
  return matches(key, [0x06, 0x0e, 0x2b, 0x34, 0x02]) && key[5] !== 0x05 && !isIndexTableSegment(key);
}

/** Any 2-byte-tag local set (Avid and other private sets included): header metadata, not essence. */
export function isLocalSet(key: Uint8Array): boolean {
  return matches(key, [0x06, 0x0e, 0x2b, 0x34, 0x02, 0x53]);
}

export const SET = {
  sequence: 0x0f00,
  sourceClip: 0x1100,
  timecodeComponent: 0x1400,
  contentStorage: 0x1800,
  essenceContainerData: 0x2300,
  preface: 0x2f00,
  identification: 0x3000,
  materialPackage: 0x3600,
  sourcePackage: 0x3700,
  eventTrack: 0x3900,
  staticTrack: 0x3a00,
  track: 0x3b00,
  genericSoundDescriptor: 0x4200,
  multipleDescriptor: 0x4400,
  aes3AudioDescriptor: 0x4700,
  waveAudioDescriptor: 0x4800,
} as const;

const SET_NAMES: Record<number, string> = {
  3840: "Sequence",
  4352: "SourceClip",
  5120: "TimecodeComponent",
  6144: "ContentStorage",
  8960: "EssenceContainerData",
  9472: "FileDescriptor",
  9984: "GenericPictureEssenceDescriptor",
  10240: "CDCIEssenceDescriptor",
  10496: "RGBAEssenceDescriptor",
  12032: "Preface",
  12288: "Identification",
  12800: "NetworkLocator",
  13056: "TextLocator",
  13824: "MaterialPackage",
  14080: "SourcePackage",
  14592: "EventTrack",
  14848: "StaticTrack",
  15104: "TimelineTrack",
  16896: "GenericSoundEssenceDescriptor",
  17152: "GenericDataEssenceDescriptor",
  17408: "MultipleDescriptor",
  18176: "AES3AudioDescriptor",
  18432: "WaveAudioDescriptor",
  20736: "MPEG2VideoDescriptor",
};

export function setClassName(setClass: number): string {
  return SET_NAMES[setClass] ?? `set class 0x${setClass.toString(16).padStart(4, "0")}`;
}

export function isSoundDescriptorClass(setClass: number): boolean {
  return setClass === SET.genericSoundDescriptor || setClass === SET.waveAudioDescriptor || setClass === SET.aes3AudioDescriptor;
}

/** `OP-Atom`, `OP1a`...`OP3c`, or null for a label that is not an operational pattern. */
export function operationalPatternName(ul: Uint8Array): string | null {
  if (!matches(ul, OPERATIONAL_PATTERN)) return null;
  const item = ul[12] as number;
  const pkg = ul[13] as number;
  if (item === 0x10) return "OP-Atom";
  if (item >= 1 && item <= 3 && pkg >= 1 && pkg <= 3) return `OP${item}${"abc"[pkg - 1]}`;
  return null;
}

export function describeOperationalPattern(ul: Uint8Array): string {
  const name = operationalPatternName(ul);
  return name ? `${name} (${ulDotted(ul)})` : ulDotted(ul);
}

export type SoundContainer = { kind: "wave" | "aes3"; wrapping: "frame" | "clip" };

/** SMPTE 382M sound containers: 02 06 01 BWF frame, 02 BWF clip, 03 AES3 frame, 04 AES3 clip. */
export function soundContainer(ul: Uint8Array): SoundContainer | null {
  if (!matches(ul, [...ESSENCE_CONTAINER, 0x06])) return null;
  switch (ul[14]) {
    case 0x01:
      return { kind: "wave", wrapping: "frame" };
    case 0x02:
      return { kind: "wave", wrapping: "clip" };
    case 0x03:
      return { kind: "aes3", wrapping: "frame" };
    case 0x04:
      return { kind: "aes3", wrapping: "clip" };
    default:
      return null;
  }
}

/** A short name for an essence container label, for messages. */
export function describeEssenceContainer(ul: Uint8Array): string {
  const sound = soundContainer(ul);
  if (sound) return `${sound.kind === "wave" ? "BWF" : "AES3"} ${sound.wrapping}-wrapped (${ulDotted(ul)})`;
  if (matches(ul, [...ESSENCE_CONTAINER, 0x01])) return `D-10 (SMPTE 386M) ${ulDotted(ul)}`;
  return ulDotted(ul);
}

/** Essence element keys: byte 12 is the item type (0x16 generic-container sound), 13 count, 14 type, 15 number. */
export function essenceItemType(key: Uint8Array): number | null {
  return matches(key, ESSENCE_ELEMENT) ? (key[12] as number) : null;
}

export const GC_SOUND_ITEM = 0x16;

// Legacy AAF data definitions (AUIDs Avid writes instead of the SMPTE labels). MXF stores an AUID that is
// not a UL with its 8-byte halves swapped (the second form); the UUID's own order is accepted too.
const LEGACY_SOUND = ["78e1ebe16cef11d2807d006008143e6f", "807d006008143e6f78e1ebe16cef11d2"];
const LEGACY_TIMECODE = ["7f275e8177e511d2807f006008143e6f", "807f006008143e6f7f275e8177e511d2"];

export type DataKind = "sound" | "timecode" | "picture" | "other";

/** SMPTE 377M data definitions 01 03 02 01 (timecode), 01 03 02 02 01 (picture), 02 02 02 (sound), and Avid's legacy AUIDs. */
export function dataKind(ul: Uint8Array): DataKind {
  const hex = toHex(ul);
  if (LEGACY_SOUND.includes(hex)) return "sound";
  if (LEGACY_TIMECODE.includes(hex)) return "timecode";
  if (!matches(ul, DATA_DEFINITION)) return "other";
  if (ul[11] === 0x01) return "timecode";
  if (ul[11] === 0x02 && ul[12] === 0x01) return "picture";
  if (ul[11] === 0x02 && ul[12] === 0x02) return "sound";
  return "other";
}
