import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { startTelemetry } from "./start-telemetry.ts";

describe("startTelemetry", () => {
  it("is silent by default: no exporter without an OTLP endpoint", async () => {
    const telemetry = await startTelemetry({ serviceName: "quiet", env: {} });
    expect(telemetry.exportUrl).toBeUndefined();
    trace.getTracer("t").startSpan("nothing-to-send").end();
    await telemetry.shutdown();
  });

  it("honours OTEL_SDK_DISABLED even with an endpoint", async () => {
    const telemetry = await startTelemetry({
      serviceName: "off",
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:1", OTEL_SDK_DISABLED: "true" },
    });
    expect(telemetry.exportUrl).toBeUndefined();
    await telemetry.shutdown();
  });

  it("enables the pg and grpc instrumentations only when asked", async () => {
    const telemetry = await startTelemetry({ serviceName: "instrumented", env: {}, instrumentPg: true, instrumentGrpc: true });
    expect([...telemetry.instrumentations].sort()).toEqual(["@opentelemetry/instrumentation-grpc", "@opentelemetry/instrumentation-pg"]);
    await telemetry.shutdown();
    const plain = await startTelemetry({ serviceName: "plain", env: {} });
    expect(plain.instrumentations).toEqual([]);
    await plain.shutdown();
  });

  it("exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces", async () => {
    const received: { url: string; contentType: string; body: Buffer }[] = [];
    const collector = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({ url: req.url ?? "", contentType: String(req.headers["content-type"]), body: Buffer.concat(chunks) });
      res.writeHead(200, { "content-type": "application/x-protobuf" }).end();
    });
    collector.listen(0, "127.0.0.1");
    await once(collector, "listening");
    const { port } = collector.address() as AddressInfo;
    try {
      const telemetry = await startTelemetry({
        serviceName: "exporting-svc",
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}/` },
      });
      expect(telemetry.exportUrl).toBe(`http://127.0.0.1:${port}/v1/traces`);
      const traceId = trace.getTracer("t").startActiveSpan("exported-span", (span) => {
        span.end();
        return span.spanContext().traceId;
      });
      await telemetry.shutdown(); // flushes the batch
      expect(received).toHaveLength(1);
      expect(received[0]?.url).toBe("/v1/traces");
      expect(received[0]?.contentType).toContain("application/json");
      const payload = JSON.parse(received[0]!.body.toString("utf8")) as OtlpJson;
      const resourceSpans = payload.resourceSpans[0]!;
      expect(resourceSpans.resource.attributes).toContainEqual({ key: "service.name", value: { stringValue: "exporting-svc" } });
      const span = resourceSpans.scopeSpans[0]!.spans[0]!;
      expect(span.name).toBe("exported-span");
      expect(span.traceId).toBe(traceId);
    } finally {
      collector.close();
    }
  });
});

interface OtlpJson {
  resourceSpans: { resource: { attributes: unknown[] }; scopeSpans: { spans: { name: string; traceId: string }[] }[] }[];
}
