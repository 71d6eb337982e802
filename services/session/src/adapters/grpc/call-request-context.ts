import { randomUUID } from "node:crypto";
import type { TraceContext } from "@dubstage/event-log";
import type { CallContext } from "@dubstage/grpc-kit";
import { injectTraceContext } from "@dubstage/telemetry";
import type { RequestContext } from "../../app/request-context.ts";

/** Metadata a client may send to tie its calls together; otherwise the server makes the ids up. */
export const CORRELATION_ID_KEY = "x-correlation-id";
export const REQUEST_ID_KEY = "x-request-id";

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;
const ID = /^[A-Za-z0-9._:@/-]{1,200}$/;

function header(context: CallContext, key: string): string | undefined {
  const value = context.metadata.get(key)[0];
  return typeof value === "string" ? value : undefined;
}

function idFrom(context: CallContext, key: string): string | undefined {
  const value = header(context, key);
  return value !== undefined && ID.test(value) ? value : undefined;
}

/**
 * The trace context to record: the server span's when an OpenTelemetry SDK is running (its span is a
 * child of the caller's), else the caller's own `traceparent`, else none.
 */
function traceOf(context: CallContext): TraceContext | undefined {
  const active = injectTraceContext();
  if (active.traceparent) return { traceparent: active.traceparent, ...(active.tracestate && { tracestate: active.tracestate }) };
  const traceparent = header(context, "traceparent");
  if (traceparent === undefined || !TRACEPARENT.test(traceparent)) return undefined;
  const tracestate = header(context, "tracestate");
  return { traceparent, ...(tracestate && { tracestate }) };
}

export function requestContextOf(context: CallContext): RequestContext {
  const requestId = idFrom(context, REQUEST_ID_KEY) ?? randomUUID();
  const trace = traceOf(context);
  return {
    actor: context.actor,
    signal: context.signal,
    correlationId: idFrom(context, CORRELATION_ID_KEY) ?? requestId,
    causationId: requestId,
    ...(trace && { trace }),
  };
}
