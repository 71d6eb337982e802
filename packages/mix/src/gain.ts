/** Linear amplitude of a gain in dB: 10^(dB / 20). The one conversion every gain in the engine goes through. */
export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}
