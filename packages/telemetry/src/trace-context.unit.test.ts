import { context, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type InMemoryTracing, installInMemoryTracing } from "./testing/index.ts";
import { extractTraceContext, injectTraceContext, withExtractedContext } from "./trace-context.ts";

let tracing: InMemoryTracing;
beforeAll(() => {
  tracing = installInMemoryTracing();
});
afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());

const tracer = () => trace.getTracer("test");

describe("injectTraceContext / withExtractedContext", () => {
  it("carries the trace id from a producer span to a consumer span through plain headers", () => {
    const headers = tracer().startActiveSpan("publish", (span) => {
      const injected = injectTraceContext();
      span.end();
      return injected;
    });
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // A message crosses a process boundary as strings: copy it to prove nothing else travels.
    const onTheWire = JSON.parse(JSON.stringify(headers)) as Record<string, string>;
    context.with(context.active(), () => {
      withExtractedContext(onTheWire, () => tracer().startActiveSpan("consume", (span) => span.end()));
    });

    const [publish, consume] = tracing.spans();
    expect(publish?.name).toBe("publish");
    expect(consume?.name).toBe("consume");
    expect(consume?.spanContext().traceId).toBe(publish?.spanContext().traceId);
    expect(consume?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
  });

  it("reads headers through get(), taking the first value of arrays (gRPC metadata, NATS headers)", () => {
    const headers = tracer().startActiveSpan("rpc", (span) => {
      span.end();
      return injectTraceContext();
    });
    const metadataLike = { get: (name: string) => (name === "traceparent" ? [headers.traceparent] : []) };
    const extracted = extractTraceContext(metadataLike);
    expect(trace.getSpanContext(extracted)?.traceId).toBe(tracing.spans()[0]?.spanContext().traceId);
    expect(trace.getSpanContext(extracted)?.isRemote).toBe(true);
  });

  it("keeps tracestate", () => {
    const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const headers = withExtractedContext({ traceparent, tracestate: "vendor=abc" }, () => injectTraceContext());
    expect(headers).toEqual({ traceparent, tracestate: "vendor=abc" });
  });

  it("injects nothing without an active span, and ignores a malformed traceparent", () => {
    expect(injectTraceContext()).toEqual({});
    const ctx = extractTraceContext({ traceparent: "not-a-traceparent" });
    expect(trace.getSpanContext(ctx)).toBeUndefined();
    withExtractedContext(undefined, () => tracer().startActiveSpan("root", (span) => span.end()));
    expect(tracing.spans()[0]?.parentSpanContext).toBeUndefined();
  });
});
