import type { RecordedEvent } from "@dubstage/event-log";
import { eventlog } from "@dubstage/proto";
import { headers } from "@nats-io/transport-node";
import { describe, expect, it } from "vitest";
import {
  decodeEventBody,
  EventHeaders,
  encodeEventBody,
  eventMessageHeaders,
  globalPositionFromHeaders,
  toEventEnvelope,
  traceContextFromHeaders,
} from "./event-message.ts";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

const event: RecordedEvent = {
  id: "5b0c6f1e-3f4a-4e0b-9d7c-1a2b3c4d5e6f",
  type: "ClipAdded",
  schemaVersion: 2,
  streamId: "session-s1",
  streamVersion: 7,
  globalPosition: 9_007_199_254_740_000,
  recordedAt: new Date("2026-03-01T10:11:12.345Z"),
  correlationId: "corr",
  causationId: "cause",
  actor: { userId: "u1", role: "dialogue_editor" },
  trace: { traceparent: TRACEPARENT, tracestate: "vendor=1" },
  data: { clipId: "c1", startSample: 48000, fades: [{ shape: "linear" }], note: null },
};

describe("event message", () => {
  it("encodes the envelope's JSON mapping and decodes it back unchanged", () => {
    const body = encodeEventBody(event);
    const json = JSON.parse(new TextDecoder().decode(body));
    expect(json).toEqual({
      id: event.id,
      type: "ClipAdded",
      schemaVersion: 2,
      streamId: "session-s1",
      streamVersion: 7,
      globalPosition: 9_007_199_254_740_000,
      recordedAt: "2026-03-01T10:11:12.345Z",
      correlationId: "corr",
      causationId: "cause",
      actor: { userId: "u1", role: "dialogue_editor" },
      trace: { traceparent: TRACEPARENT, tracestate: "vendor=1" },
      data: event.data,
    });
    expect(decodeEventBody(body)).toEqual(event);
  });

  it("encodes the proto JSON mapping as UTF-8, byte for byte, for any content", () => {
    const { trace: _trace, ...untraced } = event;
    const variants: RecordedEvent[] = [
      event,
      untraced,
      { ...event, trace: { traceparent: TRACEPARENT, tracestate: "" } },
      { ...event, correlationId: "", causationId: "" },
      { ...event, actor: { userId: 'u"1\n', role: "system" }, type: "Typ\u00e9 \u{1F3AC}", streamId: "session-\u2028x" },
      { ...event, data: null },
      { ...event, data: { nested: { list: [1, "two", { three: true }], empty: {} }, text: "\u00e9\u{1F3AC}\u0000\ud800" } },
    ];
    for (const variant of variants) {
      const viaProto = JSON.stringify(eventlog.EventEnvelope.toJSON(toEventEnvelope(variant)));
      expect([...encodeEventBody(variant)]).toEqual([...new TextEncoder().encode(viaProto)]);
      expect(new TextDecoder().decode(encodeEventBody(variant))).toBe(viaProto);
    }
  });

  it("omits absent trace context and decodes it as absent", () => {
    const { trace: _trace, ...untraced } = event;
    const decoded = decodeEventBody(encodeEventBody(untraced));
    expect(decoded.trace).toBeUndefined();
    expect("trace" in decoded).toBe(false);
  });

  it("sets the documented headers", () => {
    const h = eventMessageHeaders(event);
    expect(h.get(EventHeaders.msgId)).toBe(event.id);
    expect(h.get("Nats-Msg-Id")).toBe(event.id);
    expect(h.get("Dubstage-Event-Type")).toBe("ClipAdded");
    expect(h.get("Dubstage-Global-Position")).toBe("9007199254740000");
    expect(h.get("Content-Type")).toBe("application/json");
    expect(h.get("traceparent")).toBe(TRACEPARENT);
    expect(h.get("tracestate")).toBe("vendor=1");
    expect(globalPositionFromHeaders(h)).toBe(9_007_199_254_740_000);
    expect(traceContextFromHeaders(h)).toEqual({ traceparent: TRACEPARENT, tracestate: "vendor=1" });
  });

  it("extracts only well-formed trace context", () => {
    const h = headers();
    expect(traceContextFromHeaders(h)).toBeUndefined();
    expect(traceContextFromHeaders(undefined)).toBeUndefined();
    h.set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7");
    expect(traceContextFromHeaders(h)).toBeUndefined();
    h.set("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
    expect(traceContextFromHeaders(h)).toBeUndefined();
    h.set("traceparent", TRACEPARENT);
    expect(traceContextFromHeaders(h)).toEqual({ traceparent: TRACEPARENT });
  });

  it("names what is wrong with a malformed body", () => {
    const enc = (v: unknown) => new TextEncoder().encode(typeof v === "string" ? v : JSON.stringify(v));
    expect(() => decodeEventBody(enc("{not json"), 12)).toThrow(/stream sequence 12: body is not JSON/);
    expect(() => decodeEventBody(enc([1]))).toThrow(/not a JSON object/);
    const good = JSON.parse(new TextDecoder().decode(encodeEventBody(event)));
    for (const field of ["id", "type", "streamId", "globalPosition", "streamVersion", "recordedAt", "actor"]) {
      const { [field]: _drop, ...rest } = good;
      expect(() => decodeEventBody(enc(rest)), field).toThrow(/envelope has no/);
    }
  });
});
