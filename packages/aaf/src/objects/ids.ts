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
  const h = (from: number, to: number) => toHex(bytes.subarray(from, to));
  const m = bytes.subarray(16, 32);
  const material = auidToString(m);
  const mh = material.replaceAll("-", "");
  const urn = `urn:smpte:umid:${h(0, 4)}.${h(4, 8)}.${h(8, 12)}.${h(12, 16)}.${mh.slice(0, 8)}.${mh.slice(8, 16)}.${mh.slice(16, 24)}.${mh.slice(24, 32)}`;
  return { hex: toHex(bytes), urn, material };
}
