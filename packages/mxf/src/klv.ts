import type { ByteSource } from "@dubstage/aaf";
import { at, MxfFormatError } from "./errors.ts";

/** A KLV triplet's header: 16-byte key (a SMPTE Universal Label), BER length, then the value. */
export interface KlvHeader {
  readonly offset: number;
  readonly key: Uint8Array;
  /** First byte of the value. */
  readonly valueOffset: number;
  /** Value length; null for the BER "indefinite" form 0x80 (the value runs to the next partition). */
  readonly length: number | null;
  /** Bytes the BER length took (1 to 9). */
  readonly berBytes: number;
}

/** The 4-byte SMPTE label prefix every MXF key starts with. */
export const SMPTE_UL_PREFIX = [0x06, 0x0e, 0x2b, 0x34] as const;

/** Lower-case hex of a byte string, no separators. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

/** `060e2b34.04010102.0d010201.10030000`: the dotted form MXF tools print a UL in. */
export function ulDotted(ul: Uint8Array): string {
  const hex = toHex(ul);
  return hex.replace(/(.{8})(?=.)/g, "$1.");
}

/** Whether `bytes` starts with `prefix` at `from`, entries `null` matching any byte (a version byte, say). */
export function matches(bytes: Uint8Array, prefix: readonly (number | null)[], from = 0): boolean {
  if (bytes.byteLength < from + prefix.length) return false;
  return prefix.every((b, i) => b === null || bytes[from + i] === b);
}

/**
 * Reads exactly `length` bytes at `offset`, after checking the range lies in the file and under `limit`
 * (so an unchecked length never becomes an allocation). `what` names the thing read, for the error.
 */
export async function readExact(source: ByteSource, offset: number, length: number, what: string, limit: number): Promise<Uint8Array> {
  if (!Number.isSafeInteger(length) || length < 0) throw new MxfFormatError(`${what}: invalid length ${length}`, at(offset));
  if (length > limit) throw new MxfFormatError(`${what} is ${length} bytes, over the ${limit}-byte limit`, at(offset));
  if (offset + length > source.size) {
    throw new MxfFormatError(
      `${what} needs ${length} bytes but the file ends ${source.size - offset} bytes on (file size ${source.size})`,
      at(offset),
    );
  }
  const bytes = await source.read(offset, length);
  if (bytes.byteLength !== length) throw new MxfFormatError(`${what}: read ${bytes.byteLength} of ${length} bytes`, at(offset));
  return bytes;
}

/**
 * Decodes a BER length at `bytes[0]`: short form (< 0x80), long form 0x81..0x88 followed by that many
 * big-endian bytes, or 0x80 (indefinite). Returns the length (null if indefinite) and bytes used.
 */
export function decodeBerLength(bytes: Uint8Array, offset: number): { length: number | null; berBytes: number } {
  if (bytes.byteLength < 1) throw new MxfFormatError("the file ends inside a BER length", at(offset));
  const first = bytes[0] as number;
  if (first < 0x80) return { length: first, berBytes: 1 };
  const count = first & 0x7f;
  if (count === 0) return { length: null, berBytes: 1 };
  if (count > 8) throw new MxfFormatError(`BER length claims ${count} length bytes (at most 8)`, at(offset));
  if (bytes.byteLength < 1 + count) throw new MxfFormatError("the file ends inside a BER length", at(offset));
  let value = 0n;
  for (let i = 1; i <= count; i++) value = (value << 8n) | BigInt(bytes[i] as number);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MxfFormatError(`BER length ${value} is beyond any file`, at(offset));
  return { length: Number(value), berBytes: 1 + count };
}

/**
 * Reads the KLV header at `offset` and checks that its value lies inside the file (an indefinite length is
 * returned as null for the caller to bound).
 */
export async function readKlvHeader(source: ByteSource, offset: number): Promise<KlvHeader> {
  if (offset + 17 > source.size)
    throw new MxfFormatError(`the file ends inside a KLV key (${source.size - offset} bytes left)`, at(offset));
  const head = await source.read(offset, 25);
  if (head.byteLength < 17) throw new MxfFormatError(`short read of a KLV header (${head.byteLength} bytes)`, at(offset));
  const key = head.slice(0, 16);
  const { length, berBytes } = decodeBerLength(head.subarray(16), offset + 16);
  const valueOffset = offset + 16 + berBytes;
  if (length !== null && valueOffset + length > source.size) {
    throw new MxfFormatError(
      `KLV ${ulDotted(key)} claims a ${length}-byte value but the file ends ${source.size - valueOffset} bytes after its length`,
      at(offset),
    );
  }
  return { offset, key, valueOffset, length, berBytes };
}

/** Big-endian reads over a value, each checked against its end so a short value is an error, not garbage. */
export class ValueReader {
  readonly bytes: Uint8Array;
  /** File offset of bytes[0], for errors. */
  readonly base: number;
  private readonly view: DataView;
  constructor(bytes: Uint8Array, base: number) {
    this.bytes = bytes;
    this.base = base;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(pos: number, n: number, what: string): void {
    if (pos + n > this.bytes.byteLength) {
      throw new MxfFormatError(
        `${what} needs ${n} bytes, the value has ${Math.max(0, this.bytes.byteLength - pos)} left`,
        at(this.base + pos),
      );
    }
  }
  u8(pos: number, what: string): number {
    this.need(pos, 1, what);
    return this.view.getUint8(pos);
  }
  u16(pos: number, what: string): number {
    this.need(pos, 2, what);
    return this.view.getUint16(pos);
  }
  u32(pos: number, what: string): number {
    this.need(pos, 4, what);
    return this.view.getUint32(pos);
  }
  i32(pos: number, what: string): number {
    this.need(pos, 4, what);
    return this.view.getInt32(pos);
  }
  /** A 64-bit value as a safe integer; anything beyond 2^53 is an error (no file or duration is that big). */
  u64(pos: number, what: string): number {
    this.need(pos, 8, what);
    const value = this.view.getBigUint64(pos);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new MxfFormatError(`${what} ${value} is out of range`, at(this.base + pos));
    return Number(value);
  }
  i64(pos: number, what: string): number {
    this.need(pos, 8, what);
    const value = this.view.getBigInt64(pos);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new MxfFormatError(`${what} ${value} is out of range`, at(this.base + pos));
    }
    return Number(value);
  }
  slice(pos: number, n: number, what: string): Uint8Array {
    this.need(pos, n, what);
    return this.bytes.subarray(pos, pos + n);
  }
}
