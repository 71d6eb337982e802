import { AafFormatError } from "./errors.ts";

/** Little-endian reads that refuse to step outside the bytes they were given, naming where they failed. */
export class ByteReader {
  readonly bytes: Uint8Array;
  /** Offset of bytes[0] inside its stream, so errors give stream offsets. */
  readonly base: number;
  #where: string | (() => string);
  /** `where` may be a function: most readers never fail, so their place is only named when one does. */
  constructor(bytes: Uint8Array, where: string | (() => string), base = 0) {
    this.bytes = bytes;
    this.#where = where;
    this.base = base;
  }
  /** Where these bytes live, for errors (stream path, maybe with property name). */
  get where(): string {
    if (typeof this.#where !== "string") this.#where = this.#where();
    return this.#where;
  }
  /** A reader over `size` bytes at `at` (unchecked: callers check first), in the same place. */
  sub(at: number, size: number): ByteReader {
    return new ByteReader(this.bytes.subarray(at, at + size), this.#where, this.base + at);
  }
  get length(): number {
    return this.bytes.byteLength;
  }
  /** `what` names the field in the error; pass a function when building the name costs something. */
  need(at: number, size: number, what: string | (() => string)): void {
    if (at < 0 || size < 0 || at + size > this.bytes.byteLength) {
      throw new AafFormatError(
        `${typeof what === "string" ? what : what()}: needs ${size} bytes but only ${Math.max(0, this.bytes.byteLength - at)} remain`,
        this.where,
        this.base + at,
      );
    }
  }
  u8(at: number, what: string): number {
    this.need(at, 1, what);
    return this.bytes[at] as number;
  }
  u16(at: number, what: string): number {
    this.need(at, 2, what);
    const b = this.bytes;
    return (b[at] as number) | ((b[at + 1] as number) << 8);
  }
  u32(at: number, what: string): number {
    this.need(at, 4, what);
    const b = this.bytes;
    return ((b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16)) + (b[at + 3] as number) * 0x1000000;
  }
  slice(at: number, size: number, what: string | (() => string)): Uint8Array {
    this.need(at, size, what);
    return this.bytes.subarray(at, at + size);
  }
  fail(message: string, at: number): never {
    throw new AafFormatError(message, this.where, this.base + at);
  }
}

const utf16 = new TextDecoder("utf-16le");

/** UTF-16LE text up to the first NUL (AAF strings and storage names are NUL-terminated). */
export function decodeUtf16z(bytes: Uint8Array): string {
  let end = bytes.byteLength & ~1;
  // Short BMP-only names (nearly all of them) are built directly: TextDecoder costs more than the text.
  let text = "";
  const fast = end <= 128;
  for (let i = 0; i + 1 < end; i += 2) {
    const c = (bytes[i] as number) | ((bytes[i + 1] as number) << 8);
    if (c === 0) {
      end = i;
      break;
    }
    if (fast) text += String.fromCharCode(c);
  }
  return fast && !/[\ud800-\udfff]/.test(text) ? text : utf16.decode(bytes.subarray(0, end));
}

/** A sequence of NUL-terminated UTF-16LE strings (AAF string arrays). */
export function decodeUtf16List(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let start = 0;
  const end = bytes.byteLength & ~1;
  for (let i = 0; i + 1 < end; i += 2) {
    if (bytes[i] === 0 && bytes[i + 1] === 0) {
      out.push(utf16.decode(bytes.subarray(start, i)));
      start = i + 2;
    }
  }
  if (start < end) out.push(utf16.decode(bytes.subarray(start, end)));
  return out;
}

/** Two hex digits for each byte value. */
export const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

const HEX_CODES = new TextEncoder().encode("0123456789abcdef");
const hexScratch: number[] = [];

export function toHex(bytes: Uint8Array): string {
  // One String.fromCharCode call gives a flat string: one built by `+=` is a rope that each Map lookup flattens.
  if (bytes.byteLength > 1024) return Array.from(bytes, (b) => HEX_BYTE[b]).join("");
  hexScratch.length = bytes.byteLength * 2;
  for (let i = 0; i < bytes.byteLength; i++) {
    const b = bytes[i] as number;
    hexScratch[2 * i] = HEX_CODES[b >> 4] as number;
    hexScratch[2 * i + 1] = HEX_CODES[b & 15] as number;
  }
  return String.fromCharCode.apply(null, hexScratch);
}
