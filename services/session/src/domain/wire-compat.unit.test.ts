// Contract test: domain event data must be the proto JSON of the message named by the event type, so
// the gRPC adapter and NATS consumers can decode it with the generated code. The domain itself never
// imports @dubstage/proto; only this test does.
import { sessionEvents } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { decideBatch } from "./decide-batch.ts";
import { SESSION_EVENT_TYPES, type SessionEvent } from "./events.ts";
import { createFilm, HOUR_ONE, place, SECOND } from "./test-fixtures.ts";

interface JsonCodec {
  fromJSON(object: unknown): unknown;
  toJSON(message: unknown): unknown;
}

/** Proto3 JSON omits default values; drop them from the domain data before comparing. */
function withoutDefaults(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(withoutDefaults);
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .map(([k, v]) => [k, withoutDefaults(v)] as const)
      .filter(([, v]) => v !== undefined);
    return Object.fromEntries(entries);
  }
  return value === 0 || value === false || value === "" ? undefined : value;
}

function scenario(): SessionEvent[] {
  return decideBatch(undefined, [
    { ...createFilm, frameRate: "29.97DF", startTimecode: "00:59:58;00" },
    { type: "AddTrack", trackId: "vo", name: "VO", trackType: "DX", channelFormat: "MONO", index: 0 },
    { type: "RenameTrack", trackId: "vo", name: "ADR" },
    { type: "AddTrack", trackId: "spare", name: "Spare", trackType: "BG", channelFormat: "7.1" },
    { type: "RemoveTrack", trackId: "spare" },
    place({
      gainDb: -2.5,
      muted: true,
      provenance: { imported: { importId: "i1", fileName: "R1.aaf", mobId: "mob-1" } },
      take: { scene: "12", take: "3", soundRoll: "SR4" },
    }),
    place({
      clipId: "c2",
      position: HOUR_ONE + SECOND,
      provenance: { repairRender: { sourceClipId: "c0", process: "de-noise", renderJobId: "r1" } },
    }),
    place({ clipId: "c3", trackId: "fx-1", provenance: { spotted: { assetId: "ucs-DOOR-123" } } }),
    { type: "MoveClip", clipId: "c3", trackId: "fx-2", position: HOUR_ONE + 5 * SECOND },
    { type: "TrimClip", clipId: "c3", start: HOUR_ONE + 4.5 * SECOND },
    { type: "SplitClip", clipId: "c3", position: HOUR_ONE + 5 * SECOND, newClipId: "c3b" },
    { type: "SetFades", clipId: "c3", fadeIn: { length: 100, shape: "LOGARITHMIC" }, fadeOut: { length: 50, shape: "EXPONENTIAL" } },
    { type: "SetCrossfade", outgoingClipId: "c1", incomingClipId: "c2", length: 480, shape: "EQUAL_POWER", alignment: "POST_CUT" },
    { type: "SetClipGain", clipId: "c2", gainDb: 6 },
    { type: "AddMarker", markerId: "m1", position: HOUR_ONE, name: "FFOA", comment: "first frame of action" },
    { type: "RemoveClip", clipId: "c1" },
  ]).events;
}

describe("event data is proto JSON", () => {
  const events = scenario();

  it("covers every event type", () => {
    expect(new Set(events.map((e) => e.type))).toEqual(new Set(SESSION_EVENT_TYPES));
  });

  it.each(SESSION_EVENT_TYPES.map((t) => [t]))("%s decodes with the generated message and loses nothing", (type) => {
    const codec = (sessionEvents as unknown as Record<string, JsonCodec>)[type];
    expect(codec, `no generated message ${type}`).toBeDefined();
    for (const event of events.filter((e) => e.type === type)) {
      const message = codec!.fromJSON(event.data);
      expect(codec!.toJSON(message)).toEqual(withoutDefaults(event.data));
    }
  });
});
