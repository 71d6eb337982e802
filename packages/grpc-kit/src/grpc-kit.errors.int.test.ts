import type { ErrorKind } from "@dubstage/event-log";
import { type InMemoryTracing, installInMemoryTracing } from "@dubstage/telemetry/testing";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unaryCall } from "./grpc-client.ts";
import { RemoteError, RemoteInternalError } from "./remote-error.ts";
import { decodeRichStatus, STATUS_DETAILS_KEY } from "./rich-error-details.ts";
import { type KitTestClient, type KitTestServer, startKitTestServer } from "./test-support/kit-test-server.ts";

let tracing: InMemoryTracing;
let kit: KitTestServer;
let client: KitTestClient;
beforeAll(async () => {
  tracing = installInMemoryTracing();
  kit = await startKitTestServer();
  client = kit.client({ token: await kit.token() });
});
afterAll(async () => {
  await kit.close();
  await tracing.shutdown();
});

const expectations: [ErrorKind, status][] = [
  ["validation", status.INVALID_ARGUMENT],
  ["not-found", status.NOT_FOUND],
  ["already-exists", status.ALREADY_EXISTS],
  ["concurrency", status.ABORTED],
  ["illegal-state", status.FAILED_PRECONDITION],
  ["forbidden", status.PERMISSION_DENIED],
  ["unauthenticated", status.UNAUTHENTICATED],
  ["dependency-unavailable", status.UNAVAILABLE],
  ["deadline", status.DEADLINE_EXCEEDED],
  ["cancelled", status.CANCELLED],
  ["resource-exhausted", status.RESOURCE_EXHAUSTED],
];

describe("error kind -> gRPC status, with ErrorInfo details", () => {
  for (const [kind, code] of expectations) {
    it(`${kind} -> ${status[code]} and back to a typed error`, async () => {
      const raw = await new Promise<{ code: number; details: string; metadata: import("@grpc/grpc-js").Metadata }>((resolve) =>
        client.Fail({ kind }, (error: never) => resolve(error)),
      );
      expect(raw.code).toBe(code);
      // A dependency's outage is about our infrastructure: its message stays in the server log.
      const message =
        kind === "dependency-unavailable"
          ? expect.stringMatching(
              /^TestDomainError: a service this server depends on is unavailable; retry later \(error id [0-9a-f-]{36}\)$/,
            )
          : `test failure of kind ${kind}`;
      expect(raw.details).toEqual(message);
      const details = decodeRichStatus(raw.metadata.get(STATUS_DETAILS_KEY)[0] as Buffer);
      expect(details.code).toBe(code);
      expect(details.errorInfos[0]).toMatchObject({ domain: "dubstage", reason: kind.toUpperCase().replaceAll("-", "_") });

      const error = await unaryCall(client.Fail.bind(client), { kind }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).toMatchObject({
        kind,
        code,
        errorName: "TestDomainError",
        message,
        context: kind === "dependency-unavailable" ? { error_id: expect.any(String) } : { streamId: "session-42", expected: "7" },
      });
    });
  }

  it("anything else -> INTERNAL with a generic message and an error id; the full error is logged with both ids", async () => {
    const error = await unaryCall(client.Fail.bind(client), { kind: "bug" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteInternalError);
    const internal = error as RemoteInternalError;
    expect(internal.code).toBe(status.INTERNAL);
    expect(internal.message).not.toContain("secret");
    expect(internal.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(internal.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(internal.message).toBe(`internal error (error id ${internal.errorId}, trace ${internal.traceId})`);

    const line = kit.logLines.find((l) => l.msg === "unhandled error in gRPC handler");
    expect(line).toMatchObject({
      level: "error",
      trace_id: internal.traceId,
      error_id: internal.errorId,
      method: "/kittest.v1.KitTestService/Fail",
    });
    expect(JSON.stringify(line)).toContain("secret internal detail");

    const span = tracing.spans().find((s) => s.spanContext().traceId === internal.traceId);
    expect(span?.name).toBe("kittest.v1.KitTestService/Fail");
    expect(span?.attributes["rpc.grpc.status_code"]).toBe(status.INTERNAL);
  });

  it("continues the caller's trace: the handler's span is a child of the client's active span", async () => {
    const { trace } = await import("@opentelemetry/api");
    const { response, clientTraceId } = await trace.getTracer("client").startActiveSpan("caller", async (span) => {
      const result = await unaryCall(client.Echo.bind(client), { text: "hi" });
      span.end();
      return { response: result as { trace_id: string }, clientTraceId: span.spanContext().traceId };
    });
    expect(response.trace_id).toBe(clientTraceId);
  });
});
