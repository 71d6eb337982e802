import { InexactConversionError, TimeOutOfRangeError } from "./errors.ts";

/**
 * How a conversion turns a fractional result into an integer:
 * - "exact": throw InexactConversionError unless the result is an integer;
 * - "floor" / "ceil": towards -infinity / +infinity;
 * - "nearest": to the nearest integer, halves towards +infinity (floor(x + 1/2)).
 */
export type Rounding = "exact" | "floor" | "ceil" | "nearest";

const ROUNDINGS: ReadonlySet<string> = new Set(["exact", "floor", "ceil", "nearest"]);

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/**
 * value * numerator / denominator in exact integer arithmetic (BigInt, so products beyond 2^53 stay exact),
 * rounded by `rounding`. `denominator` must be positive. `field` names the input in errors.
 */
export function scale(value: bigint, numerator: bigint, denominator: bigint, rounding: Rounding, field: string): bigint {
  if (!ROUNDINGS.has(rounding)) throw new TypeError(`unknown rounding "${String(rounding)}"`);
  const product = value * numerator;
  switch (rounding) {
    case "exact":
      if (product % denominator !== 0n) {
        throw new InexactConversionError(
          `${field}: ${value} * ${numerator}/${denominator} is not a whole number; choose a rounding other than "exact"`,
          field,
        );
      }
      return product / denominator;
    case "floor":
      return floorDiv(product, denominator);
    case "ceil":
      return -floorDiv(-product, denominator);
    case "nearest":
      return floorDiv(2n * product + denominator, 2n * denominator);
  }
}

/** Accepts a safe integer (or any bigint) and returns it as a bigint; throws TimeOutOfRangeError otherwise. */
export function toBigInt(value: number | bigint, field: string): bigint {
  if (typeof value === "bigint") return value;
  if (!Number.isSafeInteger(value)) throw new TimeOutOfRangeError(`${field}: ${value} is not a safe integer`, field);
  return BigInt(value);
}

/** Converts back to a JS number, refusing results beyond 2^53 rather than losing precision. */
export function toSafeNumber(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new TimeOutOfRangeError(`${field}: ${value} is beyond the safe integer range`, field);
  }
  return Number(value);
}
