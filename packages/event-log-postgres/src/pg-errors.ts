import { EventLogUnavailableError, isErrorKind } from "@dubstage/event-log";

// Socket-level failures reported by node (pg) and SQLSTATEs that mean "the server is gone or refusing":
// class 08 (connection exception), 57P01-57P03 (admin shutdown, crash shutdown, cannot connect now),
// 53300 (too many connections).
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
const MESSAGES = [
  /connection terminated/i,
  /connection error/i,
  /timeout exceeded when trying to connect/i,
  /cannot use a pool after calling end/i,
  /client was closed/i,
  /not queryable/i,
  /pglite is closed/i,
  /terminating connection/i,
];

/** True when the error means the database could not be reached (retrying later may succeed). */
export function isConnectionError(error: unknown): boolean {
  if (isErrorKind(error, "dependency-unavailable")) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || code.startsWith("08"))) return true;
  if (MESSAGES.some((m) => m.test(error.message))) return true;
  return error.cause !== undefined && error.cause !== error && isConnectionError(error.cause);
}

/** Maps connection failures to EventLogUnavailableError; other errors pass through unchanged. */
export function translateError(error: unknown, operation: string): unknown {
  if (isErrorKind(error, "dependency-unavailable")) return error;
  if (isConnectionError(error)) {
    return new EventLogUnavailableError(`event log ${operation} failed: the database is unavailable (${(error as Error).message})`, {
      cause: error,
    });
  }
  return error;
}

/** Runs a database operation, rethrowing connection failures as EventLogUnavailableError. */
export async function guarded<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateError(error, operation);
  }
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}
