import { HEX_BYTE, toHex } from "./binary.ts";

/**
 * An AUID as AAF stores it (GUID layout: Data1..Data3 little-endian, Data4 as bytes), rendered the usual way,
 * e.g. "0d010101-0101-2f00-060e-2b3402060101".
 */
export function auidToString(bytes: Uint8Array): string {
  const b = (i: number) => HEX_BYTE[bytes[i] ?? 0];
  return `${b(3)}${b(2)}${b(1)}${b(0)}-${b(5)}${b(4)}-${b(7)}${b(6)}-${b(8)}${b(9)}-${b(10)}${b(11)}${b(12)}${b(13)}${b(14)}${b(15)}`;
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

export function decodeMobId(bytes: Uint8Array): MobId {
  const hex = toHex(bytes);
  // The material number is an AUID in GUID layout: Data1..Data3 byte-swapped, Data4 as stored.
  const h = (i: number) => hex.slice(2 * i, 2 * i + 2);
  const d1 = h(19) + h(18) + h(17) + h(16);
  const d2 = h(21) + h(20);
  const d3 = h(23) + h(22);
  const d4 = hex.slice(48, 52);
  const d5 = hex.slice(52, 64);
  const material = `${d1}-${d2}-${d3}-${d4}-${d5}`;
  const urn = `urn:smpte:umid:${hex.slice(0, 8)}.${hex.slice(8, 16)}.${hex.slice(16, 24)}.${hex.slice(24, 32)}.${d1}.${d2}${d3}.${d4}${d5.slice(0, 4)}.${d5.slice(4)}`;
  return { hex, urn, material };
}
