/** Reads a variable the global setup provides; a clear error when a test runs outside the suite's setup. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through vitest (its global setup provisions it) or set it`);
  return value;
}
