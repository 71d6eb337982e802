import { InvalidRateError } from "./errors.ts";

/** An exact positive rate such as 24000/1001 (23.976 fps) or 48000/1. Always reduced. */
export interface Rational {
  readonly numerator: number;
  readonly denominator: number;
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** Builds a reduced positive rational; throws InvalidRateError unless both parts are positive safe integers. */
export function rational(numerator: number, denominator = 1, field = "rate"): Rational {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator <= 0 || denominator <= 0) {
    throw new InvalidRateError(`${field}: ${numerator}/${denominator} is not a positive rational of safe integers`, field);
  }
  const d = gcd(numerator, denominator);
  return Object.freeze({ numerator: numerator / d, denominator: denominator / d });
}

export function rationalEquals(a: Rational, b: Rational): boolean {
  return a.numerator * b.denominator === b.numerator * a.denominator;
}

/** "24000/1001", or "25" when the denominator is 1. */
export function formatRational(r: Rational): string {
  return r.denominator === 1 ? `${r.numerator}` : `${r.numerator}/${r.denominator}`;
}
