import { UsageError } from "../../framework/usage-error.ts";

// Session ids are UUIDs (the server assigns one when the client gives none), in the canonical 8-4-4-4-12 form.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `value` when it is a UUID; otherwise a usage error naming the malformed id, before anything is sent. */
export function requireSessionId(value: string, what: string, helpHint: string): string {
  if (UUID.test(value)) return value;
  throw new UsageError(
    `${what} ${JSON.stringify(value)} is not a session id: expected a UUID such as 3f0c2b1e-8d4a-4c6e-9f10-2a7b5c9d0e11`,
    helpHint,
  );
}
