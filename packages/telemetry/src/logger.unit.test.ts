import { Writable } from "node:stream";
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { type InMemoryTracing, installInMemoryTracing } from "./testing/index.ts";
import { withExtractedContext } from "./trace-context.ts";

let tracing: InMemoryTracing;
beforeAll(() => {
  tracing = installInMemoryTracing();
});
afterAll(() => tracing.shutdown());

function captured() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n").filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ service: "test-svc", destination }) };
}

describe("createLogger", () => {
  it("writes JSON lines with the trace and span id of the active span", () => {
    const { lines, logger } = captured();
    const ids = trace.getTracer("t").startActiveSpan("work", (span) => {
      logger.info({ reel: 2 }, "conformed");
      span.end();
      return span.spanContext();
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      service: "test-svc",
      msg: "conformed",
      reel: 2,
      trace_id: ids.traceId,
      span_id: ids.spanId,
    });
  });

  it("logs the propagated trace id inside an extracted context", () => {
    const { lines, logger } = captured();
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    withExtractedContext({ traceparent: `00-${traceId}-00f067aa0ba902b7-01` }, () => logger.warn("from a message"));
    expect(lines[0]).toMatchObject({ trace_id: traceId, span_id: "00f067aa0ba902b7", level: "warn" });
  });

  it("omits trace fields outside a span and respects the level", () => {
    const { lines, logger } = captured();
    logger.debug("hidden");
    logger.info("plain");
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toHaveProperty("trace_id");
    expect(typeof lines[0]?.time).toBe("string");
  });
});
