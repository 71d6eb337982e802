import type { TokenVerifier } from "@dubstage/auth";
import { extractTraceContext, type Logger } from "@dubstage/telemetry";
import type { handleServerStreamingCall, handleUnaryCall, ServerUnaryCall, ServerWritableStream, StatusObject } from "@grpc/grpc-js";
import { type Span, SpanKind, SpanStatusCode, type Tracer } from "@opentelemetry/api";
import { authenticateMetadata } from "./authenticate.ts";
import type { CallContext, ServerStreamHandler, UnaryHandler } from "./call-context.ts";
import { CallCancelledError, DeadlineExceededError, ServerShuttingDownError } from "./call-errors.ts";
import type { CallTracker } from "./call-tracker.ts";
import { errorToStatus } from "./status-mapping.ts";
import { abortAtTokenExpiry } from "./token-expiry.ts";

/** What every wrapped call needs from its server. */
export interface CallDependencies {
  readonly verifier: TokenVerifier;
  readonly tracker: CallTracker;
  readonly tracer: Tracer;
  readonly logger: Logger;
}

type AnyCall = ServerUnaryCall<unknown, unknown> | ServerWritableStream<unknown, unknown>;

/** A grpc-js unary handler around `handler`: auth, span, abort signal, error mapping, drain tracking. */
export function wrapUnary(
  path: string,
  handler: UnaryHandler<unknown, unknown>,
  deps: CallDependencies,
): handleUnaryCall<unknown, unknown> {
  return (call, callback) => {
    if (!deps.tracker.accepting) {
      callback(errorToStatus(new ServerShuttingDownError(), undefined));
      return;
    }
    const abort = new AbortController();
    const done = deps.tracker.beginUnary((reason) => abort.abort(reason));
    void runCall(path, call, abort, deps, {
      async run(context) {
        callback(null, await handler(call.request, context));
      },
      fail: (mapped) => callback(mapped),
    }).finally(done);
  };
}

/**
 * A grpc-js server-streaming handler around `handler`; shutdown aborts it, ending it with UNAVAILABLE, and
 * the caller's token expiring ends it with UNAUTHENTICATED.
 */
export function wrapServerStream(
  path: string,
  handler: ServerStreamHandler<unknown, unknown>,
  deps: CallDependencies,
): handleServerStreamingCall<unknown, unknown> {
  return (call) => {
    if (!deps.tracker.accepting) {
      call.emit("error", errorToStatus(new ServerShuttingDownError(), undefined));
      return;
    }
    const abort = new AbortController();
    const done = deps.tracker.beginStream((reason) => abort.abort(reason));
    void runCall(path, call, abort, deps, {
      endsAtTokenExpiry: true,
      async run(context) {
        await pump(handler(call.request, context), call, context.signal);
        call.end();
      },
      fail(mapped) {
        if (!call.cancelled) call.emit("error", mapped);
      },
    }).finally(done);
  };
}

interface CallBody {
  /** Streams end when the caller's token expires; a unary call is short and checked once. */
  readonly endsAtTokenExpiry?: boolean;
  run(context: CallContext): Promise<void>;
  fail(status: StatusObject): void;
}

async function runCall(path: string, call: AnyCall, abort: AbortController, deps: CallDependencies, body: CallBody): Promise<void> {
  const [service = "", method = ""] = path.slice(1).split("/");
  const attributes = { "rpc.system": "grpc", "rpc.service": service, "rpc.method": method };
  const parent = extractTraceContext(call.metadata);
  await deps.tracer.startActiveSpan(path.slice(1), { kind: SpanKind.SERVER, attributes }, parent, async (span) => {
    const deadline = deadlineOf(call);
    const stopWatching = watchCall(call, path, abort, deadline);
    let stopExpiry: (() => void) | undefined;
    const started = performance.now();
    try {
      // Authenticate inside the span so a refused call is traced and logged like any other.
      const { expiresAt, ...actor } = await authenticateMetadata(call.metadata, deps.verifier);
      if (body.endsAtTokenExpiry) stopExpiry = abortAtTokenExpiry(expiresAt, abort, path);
      span.setAttributes({ "enduser.id": actor.userId, "enduser.role": actor.role });
      abort.signal.throwIfAborted(); // the deadline may have passed while verifying the token
      await body.run({ actor, signal: abort.signal, deadline, method: path, metadata: call.metadata, logger: deps.logger });
      span.setAttribute("rpc.grpc.status_code", 0);
    } catch (error) {
      body.fail(mapFailure(error, abort.signal, span, path, deps.logger));
    } finally {
      stopWatching();
      stopExpiry?.();
      deps.logger.debug({ method: path, duration_ms: Math.round(performance.now() - started) }, "grpc call finished");
      span.end();
    }
  });
}

function mapFailure(error: unknown, signal: AbortSignal, span: Span, path: string, logger: Logger): StatusObject {
  // Once the call is aborted, whatever the handler threw (often a bare AbortError) is a consequence: report the cause.
  const cause = signal.aborted ? signal.reason : error;
  const mapped = errorToStatus(cause, span.spanContext().traceId);
  span.setAttribute("rpc.grpc.status_code", mapped.code);
  if (!mapped.known) {
    logger.error({ err: error, method: path, error_id: mapped.errorId }, "unhandled error in gRPC handler");
    span.recordException(error instanceof Error ? error : new Error(String(error)));
    span.setStatus({ code: SpanStatusCode.ERROR, message: "internal error" });
  } else {
    if (mapped.errorId) logger.warn({ err: cause, method: path, error_id: mapped.errorId }, "dependency unavailable in gRPC handler");
    span.setStatus({ code: SpanStatusCode.ERROR, message: mapped.details });
  }
  const { known: _known, errorId: _errorId, ...statusObject } = mapped;
  return statusObject;
}

function deadlineOf(call: AnyCall): Date | undefined {
  const deadline = call.getDeadline();
  const millis = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(millis) ? new Date(millis) : undefined;
}

// Turns the client's cancellation and the deadline into the handler's abort signal.
function watchCall(call: AnyCall, path: string, abort: AbortController, deadline: Date | undefined): () => void {
  const onCancelled = () => {
    // grpc-js ends the call at the deadline with its own timer, which may fire a few ms before Date.now()
    // reaches the deadline: a cancellation that close to it is the deadline.
    const expired = deadline !== undefined && Date.now() >= deadline.getTime() - DEADLINE_SLACK_MS;
    abort.abort(expired ? new DeadlineExceededError(path) : new CallCancelledError(path));
  };
  call.on("cancelled", onCancelled);
  let timer: NodeJS.Timeout | undefined;
  if (deadline) {
    const remaining = Math.max(0, Math.min(deadline.getTime() - Date.now(), 2 ** 31 - 1));
    timer = setTimeout(() => abort.abort(new DeadlineExceededError(path)), remaining);
    timer.unref();
  }
  return () => {
    call.off("cancelled", onCancelled);
    if (timer) clearTimeout(timer);
  };
}

const ABORTED = Symbol("aborted");
const DEADLINE_SLACK_MS = 25;

// Writes the handler's messages with backpressure; stops as soon as the signal aborts, even if the
// handler is stuck awaiting something that ignores the signal.
async function pump(source: AsyncIterable<unknown>, call: ServerWritableStream<unknown, unknown>, signal: AbortSignal): Promise<void> {
  const iterator = source[Symbol.asyncIterator]();
  const aborted = new Promise<typeof ABORTED>((resolve) => {
    if (signal.aborted) resolve(ABORTED);
    else signal.addEventListener("abort", () => resolve(ABORTED), { once: true });
  });
  for (;;) {
    const next = await Promise.race([iterator.next(), aborted]);
    if (next === ABORTED) {
      iterator.return?.().catch(() => {});
      throw signal.reason;
    }
    if (next.done) return;
    if (!call.write(next.value)) {
      const drained = await Promise.race([new Promise<void>((resolve) => call.once("drain", resolve)), aborted]);
      if (drained === ABORTED) {
        iterator.return?.().catch(() => {});
        throw signal.reason;
      }
    }
  }
}
