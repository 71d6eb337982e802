import { InvalidRequestError } from "./errors.ts";

/**
 * Page tokens: opaque to clients (base64url JSON), they carry the version the first page read, so every
 * page of one listing shows the same session state, and the position to resume after.
 */
export function encodePageToken(value: Readonly<Record<string, string | number>>): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}

/** The token's fields, checked against `shape` (field name -> "string" | "number"). */
export function decodePageToken<T extends Record<string, string | number>>(
  token: string,
  shape: { readonly [K in keyof T]: "string" | "number" },
  field = "pageToken",
): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw new InvalidRequestError(field, "is not a page token this service issued");
  }
  if (typeof value !== "object" || value === null) throw new InvalidRequestError(field, "is not a page token this service issued");
  for (const [name, type] of Object.entries(shape)) {
    const member = (value as Record<string, unknown>)[name];
    const ok = type === "number" ? Number.isSafeInteger(member) && (member as number) >= 0 : typeof member === "string";
    if (!ok) throw new InvalidRequestError(field, "is not a page token this service issued");
  }
  return value as T;
}

/** A page size: 0 or absent means `fallback`; at most `max`. */
export function pageSizeOf(value: number | undefined, fallback: number, max: number, field = "pageSize"): number {
  if (value === undefined || value === 0) return fallback;
  if (!Number.isSafeInteger(value) || value < 0) throw new InvalidRequestError(field, `must be a positive integer, got ${value}`);
  if (value > max) throw new InvalidRequestError(field, `must be at most ${max}, got ${value}`);
  return value;
}
