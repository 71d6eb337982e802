import { type Context, context, defaultTextMapGetter, defaultTextMapSetter } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";

/** W3C trace context as carried in NATS headers, gRPC metadata and event metadata. */
export interface TraceHeaders {
  /** Absent when there is no valid active span to propagate. */
  traceparent?: string;
  tracestate?: string;
}

/**
 * Headers to read trace context from: a plain map (event metadata), or anything with `get(name)` such as NATS
 * `MsgHdrs` or gRPC `Metadata` (whose `get` returns an array; the first value is used).
 */
export type HeaderSource = Readonly<Record<string, unknown>> | { get(name: string): unknown };

// The wire format is fixed by W3C, so we use the propagator directly rather than whichever global one is set:
// the helpers then work the same in unit tests without an SDK.
const propagator = new W3CTraceContextPropagator();

/** The W3C `traceparent` (and `tracestate`) of `ctx`, by default the active context. */
export function injectTraceContext(ctx: Context = context.active()): TraceHeaders {
  const carrier: Record<string, string> = {};
  propagator.inject(ctx, carrier, defaultTextMapSetter);
  const headers: TraceHeaders = {};
  if (carrier.traceparent) headers.traceparent = carrier.traceparent;
  if (carrier.tracestate) headers.tracestate = carrier.tracestate;
  return headers;
}

/** A context whose remote parent span is the one described by `headers` (or `base` unchanged if none). */
export function extractTraceContext(headers: HeaderSource | undefined, base: Context = context.active()): Context {
  if (!headers) return base;
  const carrier = {
    traceparent: readHeader(headers, "traceparent"),
    tracestate: readHeader(headers, "tracestate"),
  };
  return propagator.extract(base, carrier, defaultTextMapGetter);
}

/** Runs `fn` with the trace context from `headers` active, so spans it starts continue that trace. */
export function withExtractedContext<T>(headers: HeaderSource | undefined, fn: () => T): T {
  return context.with(extractTraceContext(headers), fn);
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  const raw =
    typeof headers.get === "function" ? (headers as { get(name: string): unknown }).get(name) : (headers as Record<string, unknown>)[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString("utf8");
  return undefined;
}
