import type { AafObject, AafValue, Rational } from "../objects/index.ts";

/** The value inside an indirect (TaggedValue, ConstantValue, ControlPoint), or the value itself. */
export function unwrap(value: AafValue | undefined): AafValue | undefined {
  return value?.kind === "indirect" ? value.value : value;
}

export function asNumber(value: AafValue | undefined): number | undefined {
  const v = unwrap(value);
  if (v?.kind === "integer" || v?.kind === "enum") return Number(v.value);
  if (v?.kind === "boolean") return v.value ? 1 : 0;
  if (v?.kind === "rational") return v.value.denominator === 0 ? undefined : v.value.numerator / v.value.denominator;
  return undefined;
}

export function asRational(value: AafValue | undefined): Rational | undefined {
  const v = unwrap(value);
  if (v?.kind === "rational") return v.value;
  if (v?.kind === "integer") return { numerator: Number(v.value), denominator: 1 };
  return undefined;
}

export function asString(value: AafValue | undefined): string | undefined {
  const v = unwrap(value);
  return v?.kind === "string" ? v.value : undefined;
}

/** The TaggedValue named `name` in one of an object's attribute lists (Avid's ...AttributeList properties). */
export function taggedValue(object: AafObject, listProperty: string, name: string): AafValue | undefined {
  for (const tagged of object.objects(listProperty)) if (tagged.string("Name") === name) return tagged.get("Value");
  return undefined;
}

/** An integer-valued property, refusing values beyond 2^53 (hostile or corrupt input) as absent. */
export function integer(object: AafObject, name: string): number | undefined {
  const v = object.int(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

export function rateString(rate: Rational): string {
  return `${rate.numerator}/${rate.denominator}`;
}

/** The key (AUID string) of a weak reference property, e.g. a DataDefinition's identification. */
export function weakKey(object: AafObject, name: string): string | undefined {
  const v = object.get(name);
  return v?.kind === "weakRef" ? v.value.key : undefined;
}

export function linearToDb(gain: number): number {
  return gain <= 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(gain);
}

/**
 * `value` (in `from` units) in `to` units, exactly when it divides, else rounded to the nearest unit
 * (bigint arithmetic: 3600 s at 48 kHz times 1001 overflows no double, but products of rates may).
 */
export function convertUnits(value: number, from: Rational, to: Rational): number {
  if (from.numerator === to.numerator && from.denominator === to.denominator) return value;
  if (from.numerator === 0 || to.denominator === 0) return 0;
  const num = BigInt(value) * BigInt(to.numerator) * BigInt(from.denominator);
  const den = BigInt(from.numerator) * BigInt(to.denominator);
  const q = num / den;
  const r = num % den;
  const twice = (r < 0n ? -r : r) * 2n;
  const rounded = twice >= (den < 0n ? -den : den) ? q + (num < 0n !== den < 0n ? -1n : 1n) : q;
  return Number(rounded);
}

/** Opaque bytes, whether the object layer kept them as bytes or decoded them as an array of UInt8. */
export function asBytes(value: AafValue | undefined): Uint8Array | undefined {
  const v = unwrap(value);
  if (v?.kind === "bytes") return v.value;
  if (v?.kind !== "array") return undefined;
  const out = new Uint8Array(v.items.length);
  for (let i = 0; i < v.items.length; i++) {
    const item = v.items[i];
    if (item?.kind !== "integer") return undefined;
    out[i] = Number(item.value) & 0xff;
  }
  return out;
}
