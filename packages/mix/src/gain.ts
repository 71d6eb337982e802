/** ln(10) / 20: dB to natural-log amplitude. */
export const DB_TO_NEPER = Math.LN10 / 20;

/**
 * Linear amplitude of a gain in dB: 10^(dB / 20), computed as exp(dB * ln(10) / 20) (about 4x faster than
 * a power in V8). The one conversion every gain in the engine goes through, so equal dB give equal gains.
 */
export function dbToGain(db: number): number {
  return Math.exp(db * DB_TO_NEPER);
}
