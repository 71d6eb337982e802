import { UsageError } from "../../framework/usage-error.ts";

/** A whole-number option (`--at 7`, `--limit 10`) of at least `min`; anything else is a usage error naming the flag. */
export function wholeNumber(value: unknown, flag: string, min: number, helpHint: string): number {
  const n = Number(value);
  if (typeof value !== "string" || !/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new UsageError(`${flag} must be a whole number${min > 0 ? ` of at least ${min}` : ""} (got "${String(value)}")`, helpHint);
  }
  return n;
}
