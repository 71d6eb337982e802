import { DubstageError, type ErrorKind } from "@dubstage/event-log";
import { Metadata, type ServiceError, status } from "@grpc/grpc-js";
import { decodeRichStatus, STATUS_DETAILS_KEY } from "./rich-error-details.ts";
import { ERROR_DOMAIN, KIND_TO_STATUS } from "./status-mapping.ts";

/**
 * A domain error raised by a remote Dubstage service, rebuilt on the client. Branch on `kind` (with
 * `isErrorKind` from @dubstage/event-log) exactly as for a local error; `errorName` and `context` are the
 * remote error's class name and fields.
 */
export class RemoteError extends DubstageError {
  override readonly name = "RemoteError";
  readonly kind: ErrorKind;
  readonly code: status;
  readonly errorName: string;
  readonly context: Readonly<Record<string, string>>;
  constructor(
    kind: ErrorKind,
    code: status,
    message: string,
    errorName: string,
    context: Readonly<Record<string, string>>,
    cause: unknown,
  ) {
    super(message, { cause });
    this.kind = kind;
    this.code = code;
    this.errorName = errorName;
    this.context = context;
  }
}

/** A failure with no domain kind: a bug on the server (INTERNAL) or a transport status we do not map. */
export class RemoteInternalError extends Error {
  override readonly name = "RemoteInternalError";
  readonly code: status;
  readonly traceId: string | undefined;
  /** The id the server logged the original error under (INTERNAL from grpc-kit). */
  readonly errorId: string | undefined;
  constructor(code: status, message: string, traceId: string | undefined, cause: unknown, errorId?: string) {
    super(message, { cause });
    this.code = code;
    this.traceId = traceId;
    this.errorId = errorId;
  }
}

const STATUS_TO_KIND = new Map<number, ErrorKind>(Object.entries(KIND_TO_STATUS).map(([kind, code]) => [code, kind as ErrorKind]));
const CONTEXT_EXCLUDED = new Set(["kind", "name"]);

/**
 * Rebuilds a typed error from a grpc-js ServiceError: first from the ErrorInfo in `grpc-status-details-bin`,
 * then from the status code alone (e.g. a client-side DEADLINE_EXCEEDED or an UNAVAILABLE from the channel).
 */
export function fromServiceError(error: ServiceError): RemoteError | RemoteInternalError {
  const info = errorInfoOf(error.metadata);
  const message = error.details || error.message;
  if (info) {
    const kind = info.metadata.kind;
    if (kind !== undefined && Object.hasOwn(KIND_TO_STATUS, kind)) {
      const context = Object.fromEntries(Object.entries(info.metadata).filter(([key]) => !CONTEXT_EXCLUDED.has(key)));
      return new RemoteError(kind as ErrorKind, error.code, message, info.metadata.name ?? "Error", context, error);
    }
    return new RemoteInternalError(error.code, message, info.metadata.trace_id, error, info.metadata.error_id);
  }
  const kind = STATUS_TO_KIND.get(error.code);
  if (kind) return new RemoteError(kind, error.code, message, status[error.code] ?? "Error", {}, error);
  return new RemoteInternalError(error.code, message, undefined, error);
}

/** True for the shape grpc-js gives call errors. */
export function isServiceError(error: unknown): error is ServiceError {
  return (
    error instanceof Error &&
    typeof (error as { code?: unknown }).code === "number" &&
    (error as { metadata?: unknown }).metadata instanceof Metadata
  );
}

function errorInfoOf(metadata: Metadata | undefined) {
  const raw = metadata?.get(STATUS_DETAILS_KEY)[0];
  if (!(raw instanceof Buffer)) return undefined;
  try {
    return decodeRichStatus(raw).errorInfos.find((info) => info.domain === ERROR_DOMAIN);
  } catch {
    return undefined; // a malformed trailer must not hide the status itself
  }
}
