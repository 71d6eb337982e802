// Contract test: domain event data must be the proto JSON of the message named by the event type, so
// the gRPC adapter and NATS consumers can decode it with the generated code. The domain itself never
// imports @dubstage/proto; only this test does.
import { sessionEvents } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { decideBatch } from "./decide-batch.ts";
import { SESSION_EVENT_TYPES, type SessionEvent } from "./events.ts";
import { replay } from "./evolve.ts";
import { DEFAULT_TRACK_MIX } from "./model.ts";
import { createFilm, HOUR_ONE, mediaKeyFor, place, SECOND, TEST_MEDIA_KEY } from "./test-fixtures.ts";

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
  return decideBatch(
    undefined,
    [
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
      {
        type: "AddTrack",
        trackId: "pfx",
        name: "PFX",
        trackType: "DX",
        channelFormat: "STEREO",
        mix: { volumeDb: -3.5, pan: -0.25, muted: true },
      },
      { type: "SetTrackMix", trackId: "pfx", solo: true, pan: 0.5 },
      {
        type: "SetTrackAutomation",
        trackId: "pfx",
        lane: "VOLUME",
        points: [
          { position: 0, value: 0 },
          { position: HOUR_ONE, value: -12.5 },
        ],
      },
      { type: "SetTrackAutomation", trackId: "pfx", lane: "PAN", points: [{ position: HOUR_ONE, value: -1 }] },
      { type: "SetTrackAutomation", trackId: "pfx", lane: "PAN", points: [] },
      {
        type: "RegisterMedia",
        mediaKey: mediaKeyFor("left.wav"),
        fileName: "left.wav",
        channels: 1,
        sampleRate: 48_000,
        bitDepth: 24,
        lengthSamples: 10 * SECOND,
        origin: "linked",
        sourceUri: "file:///turnover/left.wav",
        identity: { mobId: "urn:smpte:umid:060a2b34", tapeName: "SR004", sourceTimecode: "14:02:11:05" },
      },
      place({
        clipId: "mm",
        trackId: "pfx",
        source: {
          mediaKey: mediaKeyFor("left.wav"),
          sourceOffset: SECOND,
          sourceLength: 4 * SECOND,
          channel: 1,
          channelSources: [
            { mediaKey: mediaKeyFor("left.wav"), channel: 1 },
            { mediaKey: TEST_MEDIA_KEY, channel: 1 },
          ],
        },
        volume: [
          { offset: 0, gainDb: -6 },
          { offset: SECOND, gainDb: 0 },
        ],
      }),
      { type: "SetClipAutomation", clipId: "c2", volume: [{ offset: 480, gainDb: -12.5 }] },
      { type: "AddMarker", markerId: "m2", position: HOUR_ONE, name: "Loop 12", color: "#FF8800", length: 2 * SECOND },
      { type: "RecordIngestStarted", jobId: "job-1", fileName: "R1.aaf", format: "aaf", sourceKey: "staging/job-1/R1.aaf" },
      { type: "RecordIngestProgress", jobId: "job-1", phase: "parse", done: 0, total: 1_200_000_000 },
      {
        type: "RecordIngestCompleted",
        jobId: "job-1",
        summary: { tracks: 2, clips: 40, crossfades: 0, markers: 1, mediaEmbedded: 3, mediaLinked: 2, mediaMissing: 0, warnings: 5 },
      },
      { type: "RecordIngestStarted", jobId: "job-2", fileName: "R2.omf", format: "omf", sourceKey: "staging/job-2/R2.omf" },
      { type: "RecordIngestFailed", jobId: "job-2", phase: "media", reason: "linked file A001.wav not found\nbeside R2.omf" },
      {
        type: "RecordRenderStarted",
        renderId: "render-1",
        sessionVersion: 3,
        profileId: "netflix",
        planHash: `sha256:${"ab".repeat(32)}`,
        deliverables: ["printmaster 5.1", "DX 5.1", "M&E 5.1"],
        chunks: 120,
      },
      { type: "RecordRenderProgress", renderId: "render-1", done: 0, total: 120 },
      { type: "RecordRenderProgress", renderId: "render-1", done: 60, total: 120, stem: "DX" },
      {
        type: "RecordRenderCompleted",
        renderId: "render-1",
        deliverables: [
          {
            name: "DX 5.1",
            mediaKey: "renders/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d",
            qcReportKey: "renders/1b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d",
            layout: "5.1",
            integratedLufs: -27.25,
            truePeakDbtp: -2.5,
            qcPass: true,
          },
          {
            name: "printmaster 5.1",
            mediaKey: "renders/2b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d",
            qcReportKey: "renders/3b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d",
            layout: "5.1",
            integratedLufs: -24,
            truePeakDbtp: 0.5,
            qcPass: false,
          },
          {
            name: "M&E 5.1",
            mediaKey: "renders/4b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d",
            qcReportKey: "renders/5b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d",
            layout: "5.1",
            integratedLufs: -26.1,
            truePeakDbtp: -1,
            qcPass: true,
          },
        ],
        chunksRendered: 100,
        chunksReused: 20,
      },
      {
        type: "RecordRenderStarted",
        renderId: "render-2",
        sessionVersion: 1,
        profileId: "ebu-r128",
        planHash: "sha256:00",
        deliverables: ["stereo fold-down"],
        chunks: 0,
      },
      { type: "RecordRenderFailed", renderId: "render-2", reason: "disk full\nwhile writing chunk 3" },
    ],
    { version: 0 },
  ).events;
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

describe("events recorded before mixes, automation, marker colours and media", () => {
  // Literal event data as the earlier domain wrote it: none of the new fields.
  const old = [
    scenario()[0]!,
    { type: "TrackAdded", data: { trackId: "vo", name: "VO", trackType: "TRACK_TYPE_DX", channelFormat: "CHANNEL_FORMAT_MONO", index: 0 } },
    {
      type: "ClipPlaced",
      data: {
        clip: {
          clipId: "c1",
          trackId: "vo",
          name: "Line",
          position: HOUR_ONE,
          length: SECOND,
          source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: 0, sourceLength: 2 * SECOND, channel: 1 },
          gainDb: 0,
          muted: false,
        },
      },
    },
    { type: "MarkerAdded", data: { markerId: "m1", position: HOUR_ONE, name: "FFOA", comment: "" } },
  ] as SessionEvent[];

  it("still replay, with the defaults for what they lack", () => {
    const state = replay(old)!;
    expect(state.tracks.get("vo")?.mix).toEqual(DEFAULT_TRACK_MIX);
    expect(state.tracks.get("vo")).not.toHaveProperty("volumeAutomation");
    expect(state.tracks.get("vo")).not.toHaveProperty("panAutomation");
    const clip = state.tracks.get("vo")?.clips.get("c1");
    expect(clip?.volume).toBeUndefined();
    expect(clip?.source.channelSources).toBeUndefined();
    expect(state.markers.get("m1")).toEqual({ markerId: "m1", position: HOUR_ONE, name: "FFOA", comment: "", length: 0 });
    expect(state.media.size).toBe(0);
    expect(state.ingests.size).toBe(0);
    expect(state.renders.size).toBe(0);
  });

  it("decode with the current generated messages", () => {
    for (const event of old) {
      const codec = (sessionEvents as unknown as Record<string, JsonCodec>)[event.type]!;
      expect(codec.toJSON(codec.fromJSON(event.data))).toEqual(withoutDefaults(event.data));
    }
  });

  it("a plain AddTrack still records exactly the old TrackAdded (no mix field)", () => {
    const events = scenario().filter((e) => e.type === "TrackAdded" && e.data.trackId === "vo");
    expect(events[0]?.data).toEqual({
      trackId: "vo",
      name: "VO",
      trackType: "TRACK_TYPE_DX",
      channelFormat: "CHANNEL_FORMAT_MONO",
      index: 0,
    });
  });
});
