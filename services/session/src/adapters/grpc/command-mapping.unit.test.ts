import { sessionEvents, sessionService, sessionTimeline } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../app/errors.ts";
import { film, mediaKeyFor, place, SECOND } from "../../domain/test-fixtures.ts";
import { fromProtoCommand, fromProtoCreateSession } from "./command-mapping.ts";
import { toProtoSession, toProtoSessionEvent } from "./session-mapping.ts";

const ids = () => {
  let n = 0;
  return () => `id-${++n}`;
};
const command = (partial: sessionService.DeepPartial<sessionService.Command>) =>
  sessionService.Command.fromPartial(partial as sessionService.Command);

describe("fromProtoCommand", () => {
  it("names the command when no oneof case or several are set", () => {
    let error: unknown;
    try {
      fromProtoCommand(command({}), "commands[2]", ids());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ kind: "validation", field: "commands[2]", message: expect.stringContaining("sets no command") });
    const both = command({ removeClip: { clipId: "a" }, removeTrack: { trackId: "t" } });
    expect(() => fromProtoCommand(both, "commands[0]", ids())).toThrow(/sets removeTrack and removeClip/);
  });

  it("maps enums to the domain and passes UNSPECIFIED on by name for the domain to reject", () => {
    const added = fromProtoCommand(
      command({
        addTrack: {
          trackId: "t",
          name: "T",
          trackType: sessionTimeline.TrackType.TRACK_TYPE_FOLEY,
          channelFormat: sessionTimeline.ChannelFormat.CHANNEL_FORMAT_5_1,
        },
      }),
      "commands[0]",
      ids(),
    );
    expect(added).toEqual({ type: "AddTrack", trackId: "t", name: "T", trackType: "FOLEY", channelFormat: "5.1" });
    const unspecified = fromProtoCommand(command({ addTrack: { trackId: "t", name: "T" } }), "commands[0]", ids());
    expect(unspecified).toMatchObject({ trackType: "TRACK_TYPE_UNSPECIFIED", channelFormat: "CHANNEL_FORMAT_UNSPECIFIED" });
    expect(fromProtoCreateSession(sessionService.CreateSessionRequest.fromPartial({ frameRate: 4 }))).toMatchObject({
      frameRate: "29.97DF",
      template: "SESSION_TEMPLATE_UNSPECIFIED",
    });
  });

  it("assigns ids left empty and keeps optional fields absent", () => {
    const next = ids();
    expect(fromProtoCommand(command({ addMarker: { position: 5, name: "M" } }), "c", next)).toEqual({
      type: "AddMarker",
      markerId: "id-1",
      position: 5,
      name: "M",
    });
    expect(fromProtoCommand(command({ splitClip: { clipId: "a", position: 9 } }), "c", next)).toEqual({
      type: "SplitClip",
      clipId: "a",
      position: 9,
      newClipId: "id-2",
    });
    expect(fromProtoCommand(command({ moveClip: { clipId: "a", position: 3 } }), "c", next)).toEqual({
      type: "MoveClip",
      clipId: "a",
      position: 3,
    });
    expect(() => fromProtoCommand(command({ trimClip: { clipId: "a" } }), "commands[4]", next)).toThrow(
      /commands\[4\]\.start: set start, end or both/,
    );
    expect(() => fromProtoCommand(command({ placeClip: {} }), "commands[1]", next)).toThrow(/commands\[1\]\.clip: is required/);
  });
});

describe("the ingest-facing commands", () => {
  it("maps automation, channel sources, track mix, marker colour and media registrations to the domain", () => {
    const next = ids();
    const placed = fromProtoCommand(
      command({
        placeClip: {
          clip: {
            clipId: "c",
            trackId: "t",
            source: {
              mediaKey: "k1",
              sourceLength: 10,
              channel: 1,
              channelSources: [
                { mediaKey: "k1", channel: 1 },
                { mediaKey: "k2", channel: 1 },
              ],
            },
            volume: [{ offset: 0, gainDb: -3 }],
          },
        },
      }),
      "c",
      next,
    );
    expect(placed).toMatchObject({
      clip: {
        source: {
          channelSources: [
            { mediaKey: "k1", channel: 1 },
            { mediaKey: "k2", channel: 1 },
          ],
        },
        volume: [{ offset: 0, gainDb: -3 }],
      },
    });
    const plain = fromProtoCommand(command({ placeClip: { clip: { source: { mediaKey: "k" } } } }), "c", next);
    expect(plain).not.toHaveProperty("clip.volume");
    expect(plain).not.toHaveProperty("clip.source.channelSources");
    expect(fromProtoCommand(command({ setTrackMix: { trackId: "t", mix: { pan: 0, solo: true } } }), "c", next)).toEqual({
      type: "SetTrackMix",
      trackId: "t",
      pan: 0,
      solo: true,
    });
    expect(() => fromProtoCommand(command({ setTrackMix: { trackId: "t" } }), "commands[3]", next)).toThrow(
      /commands\[3\]\.mix: is required/,
    );
    expect(fromProtoCommand(command({ addTrack: { trackId: "t", name: "T", mix: { volumeDb: -6 } } }), "c", next)).toMatchObject({
      mix: { volumeDb: -6 },
    });
    expect(fromProtoCommand(command({ setClipAutomation: { clipId: "c" } }), "c", next)).toEqual({
      type: "SetClipAutomation",
      clipId: "c",
      volume: [],
    });
    expect(
      fromProtoCommand(
        command({
          setTrackAutomation: {
            trackId: "t",
            lane: sessionTimeline.AutomationLane.AUTOMATION_LANE_PAN,
            points: [{ position: 48_000, value: -0.5 }],
          },
        }),
        "c",
        next,
      ),
    ).toEqual({ type: "SetTrackAutomation", trackId: "t", lane: "PAN", points: [{ position: 48_000, value: -0.5 }] });
    // An unset lane reaches the domain as its proto name, which decide refuses naming the field.
    expect(fromProtoCommand(command({ setTrackAutomation: { trackId: "t" } }), "c", next)).toEqual({
      type: "SetTrackAutomation",
      trackId: "t",
      lane: "AUTOMATION_LANE_UNSPECIFIED",
      points: [],
    });
    expect(fromProtoCommand(command({ addMarker: { markerId: "m", name: "M", color: "#ff0000", length: 48 } }), "c", next)).toEqual({
      type: "AddMarker",
      markerId: "m",
      position: 0,
      name: "M",
      color: "#ff0000",
      length: 48,
    });
    expect(
      fromProtoCommand(
        command({
          registerMedia: {
            media: {
              mediaKey: "k",
              fileName: "a.wav",
              channels: 2,
              sampleRate: 48000,
              bitDepth: 24,
              lengthSamples: 100,
              origin: sessionTimeline.MediaOrigin.MEDIA_ORIGIN_EMBEDDED,
              identity: { tapeName: "SR4" },
            },
          },
        }),
        "c",
        next,
      ),
    ).toEqual({
      type: "RegisterMedia",
      mediaKey: "k",
      fileName: "a.wav",
      channels: 2,
      sampleRate: 48000,
      bitDepth: 24,
      lengthSamples: 100,
      origin: "embedded",
      identity: { tapeName: "SR4" },
    });
    expect(fromProtoCommand(command({ registerMedia: { media: { mediaKey: "k" } } }), "c", next)).toMatchObject({
      origin: "MEDIA_ORIGIN_UNSPECIFIED",
    });
  });
});

describe("toProtoSessionEvent", () => {
  it("decodes the event data as the proto message named by its type", () => {
    const data = {
      clipId: "c",
      trackId: "t",
      outgoingClipId: "c",
      incomingClipId: "d",
      length: 480,
      shape: "FADE_SHAPE_S_CURVE",
      alignment: "CROSSFADE_ALIGNMENT_PRE_CUT",
    };
    const event = toProtoSessionEvent({
      id: "e1",
      type: "CrossfadeSet",
      schemaVersion: 1,
      streamId: "session-s",
      streamVersion: 7,
      globalPosition: 70,
      recordedAt: new Date("2026-01-01T00:00:00Z"),
      data,
      correlationId: "c",
      causationId: "c",
      actor: { userId: "u", role: "dialogue_editor" },
    });
    expect(event.version).toBe(7);
    expect(event.crossfadeSet).toEqual(sessionEvents.CrossfadeSet.fromJSON(data));
    expect(event.crossfadeSet?.shape).toBe(sessionTimeline.FadeShape.FADE_SHAPE_S_CURVE);
  });
});

describe("toProtoSession", () => {
  it("shows track mix, clip automation and channel sources, marker colour and length, and registered media", () => {
    const left = mediaKeyFor("L.wav");
    const right = mediaKeyFor("R.wav");
    const session = film(
      {
        type: "AddTrack",
        trackId: "st",
        name: "ST",
        trackType: "DX",
        channelFormat: "STEREO",
        mix: { volumeDb: -3, pan: 0.5, solo: true },
      },
      {
        type: "RegisterMedia",
        mediaKey: left,
        fileName: "L.wav",
        channels: 1,
        sampleRate: 48_000,
        bitDepth: 24,
        lengthSamples: 4 * SECOND,
        origin: "embedded",
      },
      place({
        clipId: "c",
        trackId: "st",
        source: {
          mediaKey: left,
          sourceOffset: 0,
          sourceLength: 2 * SECOND,
          channel: 1,
          channelSources: [
            { mediaKey: left, channel: 1 },
            { mediaKey: right, channel: 1 },
          ],
        },
        volume: [{ offset: 0, gainDb: -6 }],
      }),
      { type: "AddMarker", markerId: "m", position: 0, name: "M", color: "#00ff00", length: 10 },
    );
    const proto = toProtoSession(session, 5);
    const track = proto.tracks.find((t) => t.trackId === "st");
    expect(track?.mix).toEqual({ volumeDb: -3, pan: 0.5, muted: false, solo: true });
    expect(proto.tracks[0]?.mix).toEqual({ volumeDb: 0, pan: 0, muted: false, solo: false });
    expect(track?.clips[0]?.volume).toEqual([{ offset: 0, gainDb: -6 }]);
    expect(track?.clips[0]?.source?.channelSources.map((c) => c.mediaKey)).toEqual([left, right]);
    expect(proto.markers[0]).toMatchObject({ color: "#00ff00", length: 10 });
    expect(proto.media).toEqual([
      {
        mediaKey: left,
        fileName: "L.wav",
        channels: 1,
        sampleRate: 48_000,
        bitDepth: 24,
        lengthSamples: 4 * SECOND,
        origin: sessionTimeline.MediaOrigin.MEDIA_ORIGIN_EMBEDDED,
        sourceUri: "",
        identity: undefined,
      },
    ]);
    // The proto message round-trips through its binary encoding with nothing lost.
    expect(sessionTimeline.Session.decode(sessionTimeline.Session.encode(proto).finish())).toEqual(proto);
  });
});
