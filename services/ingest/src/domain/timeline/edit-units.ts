// Exact conversion from a track's edit units to session samples: units * sampleRate * den / num in BigInt,
// rounded to the nearest sample (halves up) only when it does not divide, and every rounding counted.

export interface EditRate {
  readonly numerator: number;
  readonly denominator: number;
}

/** "30000/1001" or "48000" as a positive rational, or undefined when the text is no such rate. */
export function parseEditRate(text: string): EditRate | undefined {
  const match = /^\s*(\d{1,15})\s*(?:\/\s*(\d{1,15})\s*)?$/.exec(text);
  if (match === null) return undefined;
  const numerator = Number(match[1]);
  const denominator = match[2] === undefined ? 1 : Number(match[2]);
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || numerator <= 0 || denominator <= 0) return undefined;
  return { numerator, denominator };
}

/** How many conversions were rounded and the largest distance (in samples) from the exact value. */
export class RoundingTally {
  count = 0;
  maxErrorSamples = 0;
  note(errorSamples: number): void {
    if (errorSamples === 0) return;
    this.count++;
    if (errorSamples > this.maxErrorSamples) this.maxErrorSamples = errorSamples;
  }
}

/** Converts positions at one edit rate to samples at one sample rate, noting roundings in `tally`. */
export class SampleConverter {
  readonly #numerator: bigint;
  readonly #denominator: bigint;
  readonly #tally: RoundingTally;
  readonly exact: boolean;

  constructor(rate: EditRate, sampleRate: number, tally: RoundingTally) {
    this.#numerator = BigInt(sampleRate) * BigInt(rate.denominator);
    this.#denominator = BigInt(rate.numerator);
    this.#tally = tally;
    this.exact = this.#numerator % this.#denominator === 0n;
  }

  /** Samples for a position or length in edit units; undefined when the input or result is not a safe integer. */
  samples(units: number): number | undefined {
    if (!Number.isSafeInteger(units)) return undefined;
    const product = BigInt(units) * this.#numerator;
    const d = this.#denominator;
    // floor((2p + d) / 2d): nearest, halves towards +infinity, correct for negative p too.
    const twice = 2n * product + d;
    const twoD = 2n * d;
    let rounded = twice / twoD;
    if (twice % twoD !== 0n && twice < 0n) rounded -= 1n;
    const remainder = product - rounded * d;
    if (remainder !== 0n) this.#tally.note(Math.abs(Number(remainder)) / Number(d));
    if (rounded > BigInt(Number.MAX_SAFE_INTEGER) || rounded < BigInt(Number.MIN_SAFE_INTEGER)) return undefined;
    return Number(rounded);
  }
}
