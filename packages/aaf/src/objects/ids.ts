import { toHex } from "./binary.ts";

/** GUID layout: Data1..Data3 little-endian, Data4 as stored. */
const AUID_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

const HEX_DIGITS = "0123456789abcdef";
const URN_PREFIX = "urn:smpte:umid:";
/** Material bytes (16..31) in GUID order: Data1..Data3 byte-swapped, Data4 as stored. */
const MATERIAL_ORDER = AUID_ORDER.map((i) => i + 16);
const codes: number[] = [];

/** Appends the two hex digits of each byte at `order`, a `separator` after the byte positions in `after`. */
function pushHex(bytes: Uint8Array, order: readonly number[], separator: number, after: readonly number[]): void {
  for (let i = 0; i < order.length; i++) {
    const b = bytes[order[i] as number] ?? 0;
    codes.push(HEX_DIGITS.charCodeAt(b >> 4), HEX_DIGITS.charCodeAt(b & 15));
    if (after.includes(i)) codes.push(separator);
  }
}
/** One flat string from the codes gathered (a template literal of many parts is a rope: several times the memory). */
function takeString(): string {
  const s = String.fromCharCode.apply(null, codes);
  codes.length = 0;
  return s;
}

/**
 * An AUID as AAF stores it (GUID layout: Data1..Data3 little-endian, Data4 as bytes), rendered the usual way,
 * e.g. "0d010101-0101-2f00-060e-2b3402060101".
 */
export function auidToString(bytes: Uint8Array): string {
  pushHex(bytes, AUID_ORDER, 0x2d, [3, 5, 7, 9]);
  return takeString();
}

/** A 32-byte SMPTE UMID as used for MobIDs. */
export interface MobId {
  /** The 32 bytes as stored, in hex: the identity to compare and index by. */
  readonly hex: string;
  /** SMPTE URN form, "urn:smpte:umid:060a2b34.01010105.01010f20.13000000.<material>". */
  readonly urn: string;
  /** The material number (bytes 16..31, an AUID in GUID layout) as an AUID string. */
  readonly material: string;
}

const LABEL_ORDER = Array.from({ length: 16 }, (_, i) => i);

export function decodeMobId(bytes: Uint8Array): MobId {
  const hex = toHex(bytes);
  pushHex(bytes, MATERIAL_ORDER, 0x2d, [3, 5, 7, 9]);
  const material = takeString();
  for (let i = 0; i < URN_PREFIX.length; i++) codes.push(URN_PREFIX.charCodeAt(i));
  pushHex(bytes, LABEL_ORDER, 0x2e, [3, 7, 11, 15]);
  pushHex(bytes, MATERIAL_ORDER, 0x2e, [3, 7, 11]);
  const urn = takeString();
  return { hex, urn, material };
}
