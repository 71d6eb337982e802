import type { StreamReader } from "../storage.ts";
import type { AafObject } from "./aaf-object.ts";
import { type ByteReader, decodeUtf16List, decodeUtf16z } from "./binary.ts";
import { auidToString, decodeMobId, type MobId } from "./ids.ts";
import type { MetaDictionary, TypeDef } from "./meta-dictionary.ts";

export interface Rational {
  readonly numerator: number;
  readonly denominator: number;
}

/** A resolved weak reference; `target` is undefined when nothing in the file has that key. */
export interface WeakReference {
  readonly key: string;
  readonly target: AafObject | undefined;
}

/** A property value, decoded by its declared type. */
export type AafValue =
  | { readonly kind: "integer"; readonly value: number | bigint }
  | { readonly kind: "boolean"; readonly value: boolean }
  | { readonly kind: "enum"; readonly value: number | bigint; readonly name: string | undefined }
  | { readonly kind: "extEnum"; readonly id: string; readonly name: string | undefined }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "auid"; readonly value: string }
  | { readonly kind: "mobId"; readonly value: MobId }
  | { readonly kind: "rational"; readonly value: Rational }
  | { readonly kind: "record"; readonly typeName: string; readonly fields: Readonly<Record<string, AafValue>> }
  | { readonly kind: "array"; readonly items: readonly AafValue[] }
  | { readonly kind: "indirect"; readonly typeId: string; readonly value: AafValue }
  /** Opaque data, or data whose type this reader does not know: the stored bytes. */
  | { readonly kind: "bytes"; readonly value: Uint8Array }
  /** A data stream (e.g. embedded essence), never read eagerly. */
  | { readonly kind: "stream"; readonly size: number; readonly open: () => StreamReader }
  | { readonly kind: "object"; readonly value: AafObject }
  | { readonly kind: "objects"; readonly value: readonly AafObject[] }
  | { readonly kind: "weakRef"; readonly value: WeakReference }
  | { readonly kind: "weakRefs"; readonly value: readonly WeakReference[] };

const AUID_TYPE = "01030100-0000-0000-060e-2b3401040101";
const MOBID_TYPE = "01030200-0000-0000-060e-2b3401040101";
const BOOLEAN_TYPE = "01040100-0000-0000-060e-2b3401040101";

/** Bytes a value of this type takes, or undefined when it varies (strings, var arrays, indirect...). */
export function fixedSize(meta: MetaDictionary, typeId: string, depth = 0): number | undefined {
  if (depth > 32) return undefined;
  const t = meta.resolveType(typeId);
  if (t === undefined) return typeId === AUID_TYPE ? 16 : typeId === MOBID_TYPE ? 32 : undefined;
  switch (t.kind) {
    case "integer":
      return t.size;
    case "enum":
      return fixedSize(meta, t.elementType, depth + 1);
    case "extEnum":
      return 16;
    case "character":
      return 2;
    case "record": {
      let sum = 0;
      for (const m of t.memberTypes) {
        const s = fixedSize(meta, m, depth + 1);
        if (s === undefined) return undefined;
        sum += s;
      }
      return sum;
    }
    case "fixedArray": {
      const s = fixedSize(meta, t.elementType, depth + 1);
      return s === undefined ? undefined : s * t.count;
    }
    default:
      return undefined;
  }
}

/** Decodes `bytes` as a value of `typeId`; anything it cannot interpret comes back as bytes, never an error. */
export function decodeValue(meta: MetaDictionary, typeId: string, r: ByteReader, depth = 0): AafValue {
  if (depth > 32) return { kind: "bytes", value: r.bytes };
  if (typeId === AUID_TYPE && r.length === 16) return { kind: "auid", value: auidToString(r.bytes) };
  if (typeId === MOBID_TYPE && r.length === 32) return { kind: "mobId", value: decodeMobId(r.bytes) };
  const t = meta.resolveType(typeId);
  if (t === undefined) return bytesOf(r);
  switch (t.kind) {
    case "integer":
      return r.length === t.size ? { kind: "integer", value: readInt(r, t.size, t.signed) } : bytesOf(r);
    case "enum": {
      const base = meta.resolveType(t.elementType);
      if (base?.kind !== "integer" || r.length !== base.size) return bytesOf(r);
      const v = readInt(r, base.size, base.signed);
      if (t.id === BOOLEAN_TYPE || t.name === "Boolean") return { kind: "boolean", value: v !== 0 };
      const i = t.values.indexOf(BigInt(v));
      return { kind: "enum", value: v, name: i >= 0 ? t.names[i] : undefined };
    }
    case "extEnum": {
      if (r.length !== 16) return bytesOf(r);
      const id = auidToString(r.bytes);
      const i = t.values.indexOf(id);
      return { kind: "extEnum", id, name: i >= 0 ? t.names[i] : undefined };
    }
    case "character":
      return { kind: "string", value: decodeUtf16z(r.bytes) };
    case "string":
      return { kind: "string", value: decodeUtf16z(r.bytes) };
    case "record":
      return decodeRecord(meta, t, r, depth);
    case "fixedArray":
    case "varArray":
    case "set":
      return decodeArray(meta, t.kind === "fixedArray" ? t.count : undefined, t.elementType, r, depth);
    case "indirect": {
      if (r.length < 17) return bytesOf(r);
      const inner = auidToString(r.bytes.subarray(1, 17));
      return { kind: "indirect", typeId: inner, value: decodeValue(meta, inner, r.sub(17, r.length - 17), depth + 1) };
    }
    default:
      return bytesOf(r);
  }
}

function bytesOf(r: ByteReader): AafValue {
  return { kind: "bytes", value: r.bytes };
}

function readInt(r: ByteReader, size: number, signed: boolean): number | bigint {
  const b = r.bytes;
  switch (size) {
    case 1:
      return signed ? ((b[0] as number) << 24) >> 24 : (b[0] as number);
    case 2: {
      const v = (b[0] as number) | ((b[1] as number) << 8);
      return signed ? (v << 16) >> 16 : v;
    }
    case 4: {
      const v = (b[0] as number) | ((b[1] as number) << 8) | ((b[2] as number) << 16) | ((b[3] as number) << 24);
      return signed ? v : v >>> 0;
    }
    case 8: {
      const low = ((b[0] as number) | ((b[1] as number) << 8) | ((b[2] as number) << 16) | ((b[3] as number) << 24)) >>> 0;
      const high = (b[4] as number) | ((b[5] as number) << 8) | ((b[6] as number) << 16) | ((b[7] as number) << 24);
      // Within 2^53 (nearly every length and position) the number is exact; beyond, a bigint as before.
      if (signed ? high > -0x200000 && high < 0x200000 : high >= 0 && high < 0x200000) return high * 0x1_0000_0000 + low;
      const v = new DataView(b.buffer, b.byteOffset, 8);
      const big = signed ? v.getBigInt64(0, true) : v.getBigUint64(0, true);
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
    default:
      return 0;
  }
}

function decodeRecord(meta: MetaDictionary, t: TypeDef & { kind: "record" }, r: ByteReader, depth: number): AafValue {
  const fields: Record<string, AafValue> = {};
  let at = 0;
  for (let i = 0; i < t.memberTypes.length; i++) {
    const mt = t.memberTypes[i] ?? "";
    const size = fixedSize(meta, mt);
    if (size === undefined || at + size > r.length) return { kind: "bytes", value: r.bytes };
    fields[t.memberNames[i] ?? `member${i}`] = decodeValue(meta, mt, r.sub(at, size), depth + 1);
    at += size;
  }
  const num = fields.Numerator;
  const den = fields.Denominator;
  if (t.name === "Rational" && num?.kind === "integer" && den?.kind === "integer") {
    return { kind: "rational", value: { numerator: Number(num.value), denominator: Number(den.value) } };
  }
  return { kind: "record", typeName: t.name, fields };
}

function decodeArray(meta: MetaDictionary, count: number | undefined, elementType: string, r: ByteReader, depth: number): AafValue {
  const element = meta.resolveType(elementType);
  if (element?.kind === "string") return { kind: "array", items: decodeUtf16List(r.bytes).map((value) => ({ kind: "string", value })) };
  const size = fixedSize(meta, elementType);
  if (size === undefined || size === 0) return { kind: "bytes", value: r.bytes };
  const n = count ?? Math.floor(r.length / size);
  if (n * size > r.length) return { kind: "bytes", value: r.bytes };
  const items: AafValue[] = [];
  for (let i = 0; i < n; i++) {
    items.push(decodeValue(meta, elementType, r.sub(i * size, size), depth + 1));
  }
  return { kind: "array", items };
}
