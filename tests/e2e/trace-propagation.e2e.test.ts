import { randomBytes, randomUUID } from "node:crypto";
import { createTokenVerifier, generateKeyPair, mintToken } from "@dubstage/auth";
import { attachSessionEventConsumer, type Relay, traceContextFromHeaders } from "@dubstage/bus-nats";
import { createRelayTestBed, type RelayTestBed } from "@dubstage/bus-nats/testing";
import type { TraceContext } from "@dubstage/event-log";
import { createClient, unaryCall } from "@dubstage/grpc-kit";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { createSessionService } from "@dubstage/session";
import { injectTraceContext, withExtractedContext } from "@dubstage/telemetry";
import { type InMemoryTracing, installInMemoryTracing } from "@dubstage/telemetry/testing";
import { requireEnv } from "@dubstage/testing";
import { Metadata } from "@grpc/grpc-js";
import { type JsMsg, jetstream, jetstreamManager } from "@nats-io/jetstream";
import { type SpanContext, SpanKind, trace } from "@opentelemetry/api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";

// One trace from the operation that appends an event to the service that consumes it from NATS:
// span -> event metadata (`trace`) in PostgreSQL -> relay -> `traceparent` header in JetStream ->
// consumer span. Real PostgreSQL and NATS from the global setup; spans kept by the in-memory exporter.

const ISSUER = "trace-e2e";
const AUDIENCE = "trace-e2e";
const EXECUTE_COMMANDS_SPAN = "dubstage.session.v1.SessionService/ExecuteCommands";

let tracing: InMemoryTracing;
let bed: RelayTestBed;
let relay: Relay;
const tracer = () => trace.getTracer("trace-propagation-e2e");

beforeAll(async () => {
  tracing = installInMemoryTracing();
  // Its own event-log schema, JetStream stream, subject prefix and relay name: nothing shared with other suites.
  bed = await createRelayTestBed({ databaseUrl: requireEnv("DATABASE_URL"), natsUrl: requireEnv("NATS_URL") });
  relay = bed.newRelay();
  relay.start();
});

afterEach(() => tracing.reset());

afterAll(async () => {
  await bed?.close();
  await tracing?.shutdown();
});

/** The W3C context of the active span, in the shape event metadata carries. */
function activeTraceContext(): TraceContext | undefined {
  const { traceparent, tracestate } = injectTraceContext();
  if (!traceparent) return undefined;
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** The next message of `sessionId` from a fresh durable pull consumer of the bed's stream. */
async function consumeOne(sessionId: string, eventType?: string): Promise<JsMsg> {
  const durableName = `trace-e2e-${randomBytes(4).toString("hex")}`;
  await attachSessionEventConsumer(await jetstreamManager(bed.nats), {
    stream: bed.stream.name,
    subjectPrefix: bed.stream.subjectPrefix,
    durableName,
    sessionIds: [sessionId],
    ...(eventType && { eventTypes: [eventType] }),
    deliverFrom: { from: "beginning" },
  });
  const consumer = await jetstream(bed.nats).consumers.get(bed.stream.name, durableName);
  const message = await consumer.next({ expires: 10_000 });
  if (!message) throw new Error(`no message for session ${sessionId} within 10 s`);
  message.ack();
  return message;
}

/** Starts and ends a consumer span inside the trace context carried by the message's headers. */
function consumerSpanFor(message: JsMsg): SpanContext {
  return withExtractedContext(message.headers, () =>
    tracer().startActiveSpan(`consume ${message.subject}`, { kind: SpanKind.CONSUMER }, (span) => {
      span.end();
      return span.spanContext();
    }),
  );
}

function finishedSpan(spanId: string) {
  const span = tracing.spans().find((s) => s.spanContext().spanId === spanId);
  if (!span) throw new Error(`span ${spanId} was not exported; exported: ${tracing.spans().map((s) => s.name)}`);
  return span;
}

describe("trace propagation through the event log and NATS", () => {
  it("continues the appending span's trace in a consumer of the relayed message", async () => {
    const sessionId = randomUUID();
    const { producer, position } = await tracer().startActiveSpan("append ClipAdded", { kind: SpanKind.PRODUCER }, async (span) => {
      const eventId = randomUUID();
      const traceContext = activeTraceContext();
      const result = await bed.eventLog.append(
        `session-${sessionId}`,
        [
          {
            id: eventId,
            type: "ClipAdded",
            data: { clipId: "c1", trackId: "dx1" },
            metadata: {
              correlationId: eventId,
              causationId: eventId,
              actor: { userId: "dialogue-editor", role: "dialogue_editor" },
              ...(traceContext && { trace: traceContext }),
            },
          },
        ],
        { expectedVersion: "no-stream" },
      );
      span.end();
      return { producer: span.spanContext(), position: result.lastGlobalPosition };
    });
    await relay.waitUntilRelayed(position);

    // The stored event carries the producer span as its trace parent.
    const [stored] = await bed.eventLog.readStream(`session-${sessionId}`);
    expect(stored?.trace?.traceparent).toBe(`00-${producer.traceId}-${producer.spanId}-01`);

    const message = await consumeOne(sessionId);
    expect(traceContextFromHeaders(message.headers)).toEqual({ traceparent: `00-${producer.traceId}-${producer.spanId}-01` });
    const consumer = consumerSpanFor(message);

    expect(consumer.traceId).toBe(producer.traceId);
    const exported = finishedSpan(consumer.spanId);
    expect(exported.parentSpanContext?.spanId).toBe(producer.spanId);
    expect(exported.parentSpanContext?.isRemote).toBe(true);
    expect(exported.kind).toBe(SpanKind.CONSUMER);
  });

  it("starts a new trace in the consumer when the append had no trace context", async () => {
    const sessionId = randomUUID();
    // Outside any span: no metadata.trace, so the relay sets no traceparent header.
    const result = await bed.append(sessionId, 1);
    await relay.waitUntilRelayed(result.lastGlobalPosition);
    const message = await consumeOne(sessionId);
    expect(message.headers?.get("traceparent")).toBe("");
    expect(traceContextFromHeaders(message.headers)).toBeUndefined();
    const consumer = consumerSpanFor(message);
    const exported = finishedSpan(consumer.spanId);
    expect(exported.parentSpanContext).toBeUndefined();
  });

  it("carries a gRPC caller's trace through ExecuteCommands, the stored event and NATS to a consumer span", async () => {
    const keys = await generateKeyPair();
    const readModelSchema = `trace_e2e_${randomBytes(4).toString("hex")}`;
    const service = await createSessionService({
      eventLog: bed.eventLog,
      auth: createTokenVerifier({ key: keys.verificationKey, issuer: ISSUER, audience: AUDIENCE }),
      readModelSchema,
      projectionPollIntervalMs: 100,
    });
    const server = await service.serve({ port: 0, host: "127.0.0.1" });
    const token = await mintToken(keys.signingKey, { userId: "sue", role: "supervising_sound_editor", issuer: ISSUER, audience: AUDIENCE });
    const client = createClient(sessionService.SessionServiceClient, `127.0.0.1:${server.port}`, { token });
    try {
      const created = await unaryCall(
        client.createSession.bind(client),
        sessionService.CreateSessionRequest.fromPartial({
          name: "Reel 1",
          template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_FILM,
          frameRate: 2, // FRAME_RATE_24
          sampleRate: 48_000,
          startTimecode: "01:00:00:00",
        }),
      );
      const sessionId = created.session?.sessionId ?? "";
      expect(sessionId).not.toBe("");

      // The caller's trace: a sampled remote parent chosen here, sent as gRPC metadata.
      const traceId = randomBytes(16).toString("hex");
      const callerSpanId = randomBytes(8).toString("hex");
      const metadata = new Metadata();
      metadata.set("traceparent", `00-${traceId}-${callerSpanId}-01`);
      const executed = await unaryCall(
        client.executeCommands.bind(client),
        {
          sessionId,
          idempotencyKey: "",
          returnEvents: true,
          commands: [
            sessionService.Command.fromPartial({
              addTrack: {
                trackId: "dx-alts",
                name: "DX Alts",
                trackType: sessionTimeline.TrackType.TRACK_TYPE_DX,
                channelFormat: sessionTimeline.ChannelFormat.CHANNEL_FORMAT_MONO,
              },
            }),
          ],
        },
        { metadata },
      );
      expect(executed.events).toHaveLength(1);
      expect(executed.events[0]?.trackAdded?.trackId).toBe("dx-alts");

      // grpc-kit's server span continues the caller's trace.
      const serverSpan = tracing.spans().find((s) => s.name === EXECUTE_COMMANDS_SPAN && s.spanContext().traceId === traceId);
      expect(
        serverSpan,
        tracing
          .spans()
          .map((s) => `${s.name} ${s.spanContext().traceId}`)
          .join("\n"),
      ).toBeDefined();
      expect(serverSpan?.parentSpanContext?.spanId).toBe(callerSpanId);
      const serverSpanId = serverSpan?.spanContext().spanId;

      // The appended event records the server span; the relay copies it into the NATS headers.
      const events = await bed.eventLog.readStream(`session-${sessionId}`);
      const added = events.find((e) => e.type === "TrackAdded");
      expect(added?.trace?.traceparent).toBe(`00-${traceId}-${serverSpanId}-01`);
      await relay.waitUntilRelayed(added?.globalPosition ?? 0);
      const message = await consumeOne(sessionId, "TrackAdded");
      expect(message.headers?.get("traceparent")).toBe(`00-${traceId}-${serverSpanId}-01`);

      // The consumer's span is in the caller's trace, a child of the server span that appended the event.
      const consumer = consumerSpanFor(message);
      expect(consumer.traceId).toBe(traceId);
      expect(finishedSpan(consumer.spanId).parentSpanContext?.spanId).toBe(serverSpanId);
    } finally {
      client.close();
      await server.shutdown({ deadlineMs: 5000 });
      await bed.pool.query(`drop schema if exists ${readModelSchema} cascade`);
    }
  });
});
