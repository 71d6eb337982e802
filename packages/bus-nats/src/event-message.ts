import type { ActorRole, RecordedEvent, TraceContext } from "@dubstage/event-log";
import { eventlog } from "@dubstage/proto";
import { type MsgHdrs, headers as natsHeaders } from "@nats-io/transport-node";
import { MalformedEventMessageError } from "./errors.ts";

/** Headers the relay sets on every event message (besides the JSON body). */
export const EventHeaders = {
  msgId: "Nats-Msg-Id",
  traceparent: "traceparent",
  tracestate: "tracestate",
  eventType: "Dubstage-Event-Type",
  globalPosition: "Dubstage-Global-Position",
  contentType: "Content-Type",
} as const;

const decoder = new TextDecoder();

/** The event as the proto `dubstage.eventlog.v1.EventEnvelope`. */
export function toEventEnvelope(event: RecordedEvent): eventlog.EventEnvelope {
  return {
    id: event.id,
    type: event.type,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    recordedAt: event.recordedAt,
    correlationId: event.correlationId,
    causationId: event.causationId,
    actor: { userId: event.actor.userId, role: event.actor.role },
    trace: event.trace ? { traceparent: event.trace.traceparent, tracestate: event.trace.tracestate ?? "" } : undefined,
    data: event.data as Record<string, unknown>,
  };
}

/**
 * The message body: the envelope's JSON mapping as produced by the generated code (camelCase names;
 * int64 fields as JSON numbers, which proto3 JSON parsers accept and which are exact up to 2^53).
 */
export function encodeEventBody(event: RecordedEvent): Uint8Array {
  // Buffer.from (UTF-8, small strings from a shared pool) costs a fraction of TextEncoder.encode at relay
  // rates. Building the JSON text by hand was measured too: no faster than toJSON + JSON.stringify.
  return Buffer.from(JSON.stringify(eventlog.EventEnvelope.toJSON(toEventEnvelope(event))), "utf8");
}

/** The headers of an event message; `Nats-Msg-Id` (the event id) makes republishing idempotent. */
export function eventMessageHeaders(event: RecordedEvent): MsgHdrs {
  const h = natsHeaders();
  // append, not set: the headers are new, and set searches for existing keys first.
  h.append(EventHeaders.msgId, event.id);
  h.append(EventHeaders.eventType, event.type);
  h.append(EventHeaders.globalPosition, String(event.globalPosition));
  h.append(EventHeaders.contentType, "application/json");
  if (event.trace) {
    h.append(EventHeaders.traceparent, event.trace.traceparent);
    if (event.trace.tracestate) h.append(EventHeaders.tracestate, event.trace.tracestate);
  }
  return h;
}

/**
 * The W3C trace context carried by a message's headers, to continue the append's trace in a consumer.
 * Undefined when there is no (well-formed, version 00) `traceparent`.
 */
export function traceContextFromHeaders(headers: Pick<MsgHdrs, "get"> | undefined): TraceContext | undefined {
  const traceparent = headers?.get(EventHeaders.traceparent) ?? "";
  if (!/^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(traceparent)) return undefined;
  if (/^00-0{32}-/.test(traceparent) || /^00-[0-9a-f]{32}-0{16}-/.test(traceparent)) return undefined;
  const tracestate = headers?.get(EventHeaders.tracestate) ?? "";
  return tracestate ? { traceparent, tracestate } : { traceparent };
}

/** The global position a relay stamped on a message, or undefined when absent or malformed. */
export function globalPositionFromHeaders(headers: Pick<MsgHdrs, "get"> | undefined): number | undefined {
  const raw = headers?.get(EventHeaders.globalPosition) ?? "";
  if (!/^[0-9]{1,16}$/.test(raw)) return undefined;
  const value = Number(raw);
  return Number.isSafeInteger(value) ? value : undefined;
}

/** Parses a message body back into the recorded event; throws MalformedEventMessageError naming the fault. */
export function decodeEventBody(body: Uint8Array, streamSequence?: number): RecordedEvent {
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch (cause) {
    throw new MalformedEventMessageError("body is not JSON", streamSequence, { cause });
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new MalformedEventMessageError("body is not a JSON object", streamSequence);
  const envelope = eventlog.EventEnvelope.fromJSON(json);
  const missing = (field: string) => new MalformedEventMessageError(`envelope has no ${field}`, streamSequence);
  if (!envelope.id) throw missing("id");
  if (!envelope.type) throw missing("type");
  if (!envelope.streamId) throw missing("streamId");
  if (!Number.isSafeInteger(envelope.globalPosition) || envelope.globalPosition < 1) throw missing("valid globalPosition");
  if (!Number.isSafeInteger(envelope.streamVersion) || envelope.streamVersion < 1) throw missing("valid streamVersion");
  if (!envelope.recordedAt || Number.isNaN(envelope.recordedAt.getTime())) throw missing("valid recordedAt");
  if (!envelope.actor?.userId || !envelope.actor.role) throw missing("actor");
  const trace = envelope.trace?.traceparent
    ? envelope.trace.tracestate
      ? { traceparent: envelope.trace.traceparent, tracestate: envelope.trace.tracestate }
      : { traceparent: envelope.trace.traceparent }
    : undefined;
  return {
    id: envelope.id,
    type: envelope.type,
    schemaVersion: envelope.schemaVersion || 1,
    streamId: envelope.streamId,
    streamVersion: envelope.streamVersion,
    globalPosition: envelope.globalPosition,
    recordedAt: envelope.recordedAt,
    correlationId: envelope.correlationId,
    causationId: envelope.causationId,
    actor: { userId: envelope.actor.userId, role: envelope.actor.role as ActorRole },
    ...(trace ? { trace } : {}),
    data: envelope.data ?? {},
  };
}
