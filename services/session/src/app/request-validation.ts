import { InvalidRequestError } from "./errors.ts";

const MAX_SESSION_ID_LENGTH = 190; // `session-` + id stays within the log's 200-character stream ids

/** A session id: 1-190 characters, no surrounding spaces, no control characters. */
export function requireSessionId(value: unknown, field = "sessionId"): string {
  if (typeof value !== "string" || value.length === 0) throw new InvalidRequestError(field, "is required");
  if (value !== value.trim()) throw new InvalidRequestError(field, "must not have surrounding spaces");
  if (value.length > MAX_SESSION_ID_LENGTH) throw new InvalidRequestError(field, `must be at most ${MAX_SESSION_ID_LENGTH} characters`);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) throw new InvalidRequestError(field, "must not contain control characters");
  }
  return value;
}

/** A stream version: an integer >= `min`. */
export function requireVersion(value: unknown, field: string, min: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new InvalidRequestError(field, `must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}
