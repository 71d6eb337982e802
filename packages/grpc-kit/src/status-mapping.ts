import { randomUUID } from "node:crypto";
import { type ErrorKind, isDubstageError } from "@dubstage/event-log";
import { Metadata, type StatusObject, status } from "@grpc/grpc-js";
import { ServerShuttingDownError } from "./call-errors.ts";
import { encodeRichStatus, STATUS_DETAILS_KEY } from "./rich-error-details.ts";

/** The one place that maps transport-neutral error kinds to gRPC status codes (STYLE.md, "Errors"). */
export const KIND_TO_STATUS: Readonly<Record<ErrorKind, status>> = {
  validation: status.INVALID_ARGUMENT,
  "not-found": status.NOT_FOUND,
  "already-exists": status.ALREADY_EXISTS,
  concurrency: status.ABORTED,
  "illegal-state": status.FAILED_PRECONDITION,
  forbidden: status.PERMISSION_DENIED,
  unauthenticated: status.UNAUTHENTICATED,
  "dependency-unavailable": status.UNAVAILABLE,
  deadline: status.DEADLINE_EXCEEDED,
  cancelled: status.CANCELLED,
  "resource-exhausted": status.RESOURCE_EXHAUSTED,
};

/** ErrorInfo.domain of every error Dubstage produces. */
export const ERROR_DOMAIN = "dubstage";

const KNOWN_KINDS = new Set<string>(Object.keys(KIND_TO_STATUS));
/** The trace id of a span that is not recorded (no tracing installed). */
const NO_TRACE = /^0+$/;

/** The status sent for an error: domain errors keep their message and context; anything else is INTERNAL. */
export interface MappedStatus extends StatusObject {
  /** False for INTERNAL: the caller must log the original error, since the client sees only a generic message. */
  readonly known: boolean;
  /**
   * Set when the client sees a generic message (INTERNAL, and UNAVAILABLE from a dependency): the id the
   * client sees; log it with the original error so the two can be matched.
   */
  readonly errorId?: string;
}

/**
 * Maps an error thrown by a handler to the status the client receives. A DubstageError with a known kind
 * keeps its message and puts `kind`, `name` and its own context fields into a `google.rpc.ErrorInfo` in
 * `grpc-status-details-bin`, except a dependency's outage (UNAVAILABLE), whose message names only the error
 * and an error id. Anything else becomes INTERNAL with a generic message naming a fresh error id (and the trace id).
 */
export function errorToStatus(error: unknown, traceId: string | undefined): MappedStatus {
  if (isDubstageError(error) && error.kind === "dependency-unavailable" && !(error instanceof ServerShuttingDownError)) {
    // Its message is about our infrastructure (a driver's text: hosts, users, SQL): the client learns only
    // which dependency and that a retry may succeed.
    const errorId = randomUUID();
    const code = status.UNAVAILABLE;
    const message = `${error.name}: a service this server depends on is unavailable; retry later (error id ${errorId})`;
    const info = {
      reason: reasonOf(error.kind),
      domain: ERROR_DOMAIN,
      metadata: { kind: error.kind, name: error.name, error_id: errorId },
    };
    return { code, details: message, metadata: detailsMetadata(code, message, info), known: true, errorId };
  }
  if (isDubstageError(error) && KNOWN_KINDS.has(error.kind)) {
    const code = KIND_TO_STATUS[error.kind];
    const message = error.message || error.kind;
    const info = {
      reason: reasonOf(error.kind),
      domain: ERROR_DOMAIN,
      metadata: { kind: error.kind, name: error.name, ...contextOf(error) },
    };
    return { code, details: message, metadata: detailsMetadata(code, message, info), known: true };
  }
  // Never the error's own message: it may hold SQL, addresses or credentials. The id ties it to the log line.
  const errorId = randomUUID();
  const trace = traceId && !NO_TRACE.test(traceId) ? traceId : undefined;
  const message = `internal error (error id ${errorId}${trace ? `, trace ${trace}` : ""})`;
  const info = { reason: "INTERNAL", domain: ERROR_DOMAIN, metadata: { error_id: errorId, ...(trace && { trace_id: trace }) } };
  return { code: status.INTERNAL, details: message, metadata: detailsMetadata(status.INTERNAL, message, info), known: false, errorId };
}

/** `ErrorInfo.reason` is UPPER_SNAKE_CASE by Google's convention: "dependency-unavailable" -> "DEPENDENCY_UNAVAILABLE". */
export function reasonOf(kind: string): string {
  return kind.toUpperCase().replaceAll("-", "_");
}

function detailsMetadata(
  code: status,
  message: string,
  info: { reason: string; domain: string; metadata: Record<string, string> },
): Metadata {
  const metadata = new Metadata();
  metadata.set(STATUS_DETAILS_KEY, Buffer.from(encodeRichStatus({ code, message, errorInfos: [info] })));
  return metadata;
}

const NOT_CONTEXT = new Set(["name", "message", "stack", "cause", "kind"]);

// A domain error's own fields (stream id, expected/actual version, role, track type) are its context.
function contextOf(error: Error): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [key, value] of Object.entries(error)) {
    if (NOT_CONTEXT.has(key) || value === undefined || typeof value === "function") continue;
    context[key] = typeof value === "string" ? value : safeJson(value);
  }
  return context;
}

function safeJson(value: unknown): string {
  try {
    return typeof value === "bigint" ? value.toString() : (JSON.stringify(value) ?? String(value));
  } catch {
    return String(value);
  }
}
