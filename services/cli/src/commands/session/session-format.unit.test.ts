import { common, sessionService, sessionTimeline } from "@dubstage/proto";
import { describe, expect, it } from "vitest";
import { formatEventLine } from "./format-event.ts";
import { formatGain, formatTracklay } from "./format-tracklay.ts";
import { channelFormatName, frameRateName, frameRateToProto, templateToProto } from "./session-enums.ts";
import { FRAME_RATE_CHOICES } from "./session-options.ts";
import { clipNamesOf, timecodeFormatter, toEventView, toSessionView } from "./session-view.ts";

const { TrackType, ChannelFormat, FadeShape, CrossfadeAlignment } = sessionTimeline;
// 23.976 at 48 kHz: one frame is exactly 2002 samples; 01:00:00:00 is frame 86400.
const HOUR = 86_400 * 2002;

const session = sessionTimeline.Session.fromPartial({
  sessionId: "s-1",
  name: "Reel 1",
  template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_FILM,
  frameRate: common.FrameRate.FRAME_RATE_23_976,
  sampleRate: 48_000,
  startTimecode: "01:00:00:00",
  version: 9,
  tracks: [
    {
      trackId: "dx-1",
      name: "DX 1",
      trackType: TrackType.TRACK_TYPE_DX,
      channelFormat: ChannelFormat.CHANNEL_FORMAT_MONO,
      clips: [
        {
          clipId: "c-1",
          trackId: "dx-1",
          name: "Sc 12 Tk 3",
          position: HOUR + 240 * 2002,
          length: 96 * 2002,
          gainDb: 0,
          fadeIn: { length: 2002, shape: FadeShape.FADE_SHAPE_EQUAL_POWER },
          source: { mediaKey: "media/sha256/ab/cd/abcd", sourceOffset: 48_048, sourceLength: 576_000, channel: 1 },
          take: { scene: "12", take: "3", soundRoll: "R04" },
        },
        { clipId: "c-2", trackId: "dx-1", name: "Sc 12 Tk 5", position: HOUR + 336 * 2002, length: 120 * 2002, gainDb: -3.5 },
      ],
    },
    { trackId: "mx-1", name: "MX 5.1", trackType: TrackType.TRACK_TYPE_MX, channelFormat: ChannelFormat.CHANNEL_FORMAT_5_1, clips: [] },
  ],
  crossfades: [
    {
      trackId: "dx-1",
      outgoingClipId: "c-1",
      incomingClipId: "c-2",
      length: 24_024,
      shape: FadeShape.FADE_SHAPE_EQUAL_POWER,
      alignment: CrossfadeAlignment.CROSSFADE_ALIGNMENT_CENTERED,
    },
  ],
  markers: [{ markerId: "m-1", position: HOUR + 288 * 2002, name: "Door slam sync", comment: "check picture" }],
});

describe("session views (the --json shapes)", () => {
  it("turns a proto session into a SessionView with names, counts, and positions as samples and timecode", () => {
    const view = toSessionView(session);
    expect(view).toMatchObject({ template: "film", frameRate: "23.976", sampleRate: 48_000, version: 9, trackCount: 2, clipCount: 2 });
    expect(view.tracks[0]).toMatchObject({ name: "DX 1", type: "DX", channelFormat: "mono" });
    expect(view.tracks[1]).toMatchObject({ type: "MX", channelFormat: "5.1", clips: [] });
    expect(view.tracks[0]?.clips[0]).toEqual({
      clipId: "c-1",
      name: "Sc 12 Tk 3",
      start: { samples: HOUR + 240 * 2002, timecode: "01:00:10:00" },
      end: { samples: HOUR + 336 * 2002, timecode: "01:00:14:00" },
      length: 96 * 2002,
      gainDb: 0,
      muted: false,
      fadeIn: { length: 2002, shape: "equal-power" },
      fadeOut: null,
      source: { mediaKey: "media/sha256/ab/cd/abcd", offset: 48_048, length: 576_000, channel: 1, channelSources: [] },
      take: { scene: "12", take: "3", soundRoll: "R04" },
      volume: [],
    });
    expect(view.crossfades).toEqual([
      { trackId: "dx-1", outgoingClipId: "c-1", incomingClipId: "c-2", length: 24_024, shape: "equal-power", alignment: "centered" },
    ]);
    expect(view.markers[0]?.position).toEqual({ samples: HOUR + 288 * 2002, timecode: "01:00:12:00" });
  });

  it("names an event by its payload and keeps the payload in the proto JSON mapping", () => {
    const event = sessionService.SessionEvent.fromPartial({
      eventId: "e-5",
      version: 5,
      recordedAt: new Date("2026-01-02T03:04:05.678Z"),
      actor: { userId: "dx-editor", role: "dialogue_editor" },
      clipGainSet: { clipId: "c-2", gainDb: -3.5 },
    });
    expect(toEventView(event)).toEqual({
      version: 5,
      type: "ClipGainSet",
      eventId: "e-5",
      recordedAt: "2026-01-02T03:04:05.678Z",
      actor: { userId: "dx-editor", role: "dialogue_editor" },
      data: { clipId: "c-2", gainDb: -3.5 },
    });
  });
});

describe("the ingest-facing fields", () => {
  const ingested = sessionTimeline.Session.fromPartial({
    ...session,
    tracks: [
      {
        trackId: "pfx",
        name: "PFX",
        trackType: TrackType.TRACK_TYPE_DX,
        channelFormat: ChannelFormat.CHANNEL_FORMAT_STEREO,
        mix: { volumeDb: -6, pan: -0.5, muted: true, solo: false },
        panAutomation: [
          { position: HOUR, value: -1 },
          { position: HOUR + 2002, value: 0.5 },
        ],
        clips: [
          {
            clipId: "st",
            trackId: "pfx",
            name: "Sc 4 stereo",
            position: HOUR,
            length: 2002,
            source: {
              mediaKey: "media/l",
              sourceLength: 4004,
              channel: 1,
              channelSources: [
                { mediaKey: "media/l", channel: 1 },
                { mediaKey: "media/r", channel: 1 },
              ],
            },
            volume: [
              { offset: 0, gainDb: -6 },
              { offset: 2002, gainDb: 0 },
            ],
          },
        ],
      },
    ],
    crossfades: [],
    markers: [{ markerId: "m", position: HOUR, name: "Loop 4", color: "#ff8800", length: 4004 }],
    media: [
      {
        mediaKey: "media/l",
        fileName: "Sc4.L.wav",
        channels: 1,
        sampleRate: 48_000,
        bitDepth: 24,
        lengthSamples: 4004,
        origin: sessionTimeline.MediaOrigin.MEDIA_ORIGIN_LINKED,
        identity: { tapeName: "SR4", sourceTimecode: "14:00:00:00" },
      },
    ],
  });

  it("shows mix, automation, channel sources, marker colour and length, and media in --json and in text", () => {
    const view = toSessionView(ingested);
    expect(view.tracks[0]?.mix).toEqual({ volumeDb: -6, pan: -0.5, muted: true, solo: false });
    expect(view.tracks[0]?.volumeAutomation).toEqual([]);
    expect(view.tracks[0]?.panAutomation).toEqual([
      { position: HOUR, value: -1 },
      { position: HOUR + 2002, value: 0.5 },
    ]);
    expect(view.tracks[0]?.clips[0]?.volume).toEqual([
      { offset: 0, gainDb: -6 },
      { offset: 2002, gainDb: 0 },
    ]);
    expect(view.tracks[0]?.clips[0]?.source?.channelSources).toHaveLength(2);
    expect(view.markers[0]).toMatchObject({ color: "#ff8800", length: 4004 });
    expect(view.media[0]).toMatchObject({ fileName: "Sc4.L.wav", origin: "linked", identity: { tapeName: "SR4" } });
    const text = formatTracklay(view).split("\n");
    // The pan lane overrides the constant pan, so the heading shows the lane instead.
    expect(text).toContain("PFX  [DX, stereo]  vol -6.0 dB, pan automation 2 points, muted");
    expect(text).toContain(`      @${HOUR}, len 2002, gain +0.0 dB, automation 2 points, multi-mono 2 files`);
    expect(text).toContain(`  01:00:00:00  @${HOUR}  Loop 4  len 4004  #ff8800`);
    expect(text).toContain("  Sc4.L.wav  1 ch, 48000 Hz, 24 bit, 4004 samples, linked, tape SR4 14:00:00:00");
  });
});

describe("text formatting", () => {
  it("prints the tracklay: header, tracks with clips, crossfades by clip name, empty tracks, markers", () => {
    const text = formatTracklay(toSessionView(session));
    expect(text.split("\n")).toEqual([
      "Reel 1  (session s-1, version 9)",
      "film template, 23.976 fps, 48000 Hz, starts 01:00:00:00",
      "2 tracks, 2 clips, 1 crossfade, 1 marker",
      "",
      "DX 1  [DX, mono]",
      "  01:00:10:00 - 01:00:14:00  Sc 12 Tk 3",
      `      @${HOUR + 240 * 2002}, len 192192, gain +0.0 dB, fade in 2002 equal-power, crossfade 24024 equal-power centered into "Sc 12 Tk 5"`,
      "  01:00:14:00 - 01:00:19:00  Sc 12 Tk 5",
      `      @${HOUR + 336 * 2002}, len 240240, gain -3.5 dB`,
      "",
      "Empty tracks (1): MX 5.1",
      "",
      "Markers",
      `  01:00:12:00  @${HOUR + 288 * 2002}  Door slam sync (check picture)`,
    ]);
  });

  it("prints one line per event with version, time, type, actor and a summary using clip names and timecode", () => {
    const view = toSessionView(session);
    const context = { timecodeOf: timecodeFormatter("23.976", 48_000), clipNames: clipNamesOf(view) };
    const event = (partial: sessionService.DeepPartial<sessionService.SessionEvent>) =>
      toEventView(sessionService.SessionEvent.fromPartial(partial));
    const actor = { userId: "local-admin", role: "admin" };
    const at = new Date("2026-01-02T03:04:05.000Z");
    expect(
      formatEventLine(
        event({ version: 2, recordedAt: at, actor, markerAdded: { name: "Door slam sync", position: HOUR + 288 * 2002 } }),
        context,
      ),
    ).toBe(`v2    2026-01-02T03:04:05.000Z  MarkerAdded     local-admin (admin)  "Door slam sync" at 01:00:12:00 (@${HOUR + 288 * 2002})`);
    expect(formatEventLine(event({ version: 3, recordedAt: at, actor, clipGainSet: { clipId: "c-2", gainDb: -3.5 } }), context)).toContain(
      'ClipGainSet     local-admin (admin)  "Sc 12 Tk 5" -3.5 dB',
    );
    expect(
      formatEventLine(
        event({
          version: 4,
          actor,
          trackAdded: { name: "DX Alts", trackType: TrackType.TRACK_TYPE_DX, channelFormat: ChannelFormat.CHANNEL_FORMAT_5_1 },
        }),
      ),
    ).toMatch(/TrackAdded\s+local-admin \(admin\)\s+"DX Alts" DX 5\.1$/);
  });

  it("formats gain with a sign", () => {
    expect([formatGain(0), formatGain(2), formatGain(-3.5)]).toEqual(["+0.0 dB", "+2.0 dB", "-3.5 dB"]);
  });
});

describe("enum names", () => {
  it("round-trips every --frame-rate choice and names the others by their proto name", () => {
    for (const id of FRAME_RATE_CHOICES) expect(frameRateName(frameRateToProto(id))).toBe(id);
    expect(() => frameRateToProto("23.98")).toThrow(/unknown frame rate "23.98"/);
    expect(frameRateName(common.FrameRate.FRAME_RATE_UNSPECIFIED)).toBe("FRAME_RATE_UNSPECIFIED");
    expect(templateToProto("episode")).toBe(sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EPISODE);
    expect(channelFormatName(ChannelFormat.CHANNEL_FORMAT_7_1)).toBe("7.1");
  });
});
