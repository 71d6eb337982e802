import { describe, expect, it } from "vitest";
import { automationGainAt, automationWindow } from "./automation.ts";
import type { RegisterMedia, SessionCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { decideBatch } from "./decide-batch.ts";
import { clipSpec, expectError, film, HOUR_ONE, mediaKeyFor, place, SECOND, TEST_MEDIA_KEY } from "./test-fixtures.ts";
import { findClip } from "./timeline.ts";
import { trackTypesTouchedBy } from "./track-types-touched.ts";

const LEFT = mediaKeyFor("sc12-t3.L.wav");
const RIGHT = mediaKeyFor("sc12-t3.R.wav");
const stereoTrack: SessionCommand = { type: "AddTrack", trackId: "dx-st", name: "DX ST", trackType: "DX", channelFormat: "STEREO" };

function register(overrides: Partial<RegisterMedia> = {}): RegisterMedia {
  return {
    type: "RegisterMedia",
    mediaKey: LEFT,
    fileName: "sc12-t3.L.wav",
    channels: 1,
    sampleRate: 48_000,
    bitDepth: 24,
    lengthSamples: 4 * SECOND,
    origin: "linked",
    ...overrides,
  };
}

function multiMono(channelSources: { mediaKey: string; channel: number }[], overrides = {}): SessionCommand {
  return place({
    clipId: "mm",
    trackId: "dx-st",
    source: { mediaKey: LEFT, sourceOffset: SECOND, sourceLength: 4 * SECOND, channel: 1, channelSources },
    ...overrides,
  });
}

describe("multi-mono channel sources", () => {
  it("places a stereo clip read from two mono files", () => {
    const s = film(
      stereoTrack,
      multiMono([
        { mediaKey: LEFT, channel: 1 },
        { mediaKey: RIGHT, channel: 1 },
      ]),
    );
    expect(findClip(s, "mm")?.source.channelSources).toEqual([
      { mediaKey: LEFT, channel: 1 },
      { mediaKey: RIGHT, channel: 1 },
    ]);
  });

  it("needs exactly one entry per channel of the track, the first being the source's own", () => {
    const s = film(stereoTrack);
    expectError(() => decide(s, multiMono([{ mediaKey: LEFT, channel: 1 }])), {
      kind: "validation",
      reason: "invalid-value",
      field: "clip.source.channelSources",
      message: /exactly one entry per channel of the track \(2\), got 1/,
    });
    expectError(
      () =>
        decide(
          s,
          multiMono([
            { mediaKey: RIGHT, channel: 1 },
            { mediaKey: LEFT, channel: 1 },
          ]),
        ),
      {
        kind: "validation",
        reason: "invalid-value",
        field: "clip.source.channelSources[0]",
      },
    );
    expectError(
      () =>
        decide(
          s,
          multiMono([
            { mediaKey: LEFT, channel: 1 },
            { mediaKey: "not a key", channel: 1 },
          ]),
        ),
      {
        kind: "validation",
        reason: "invalid-media-key",
        field: "clip.source.channelSources[1].mediaKey",
      },
    );
    expectError(
      () =>
        decide(
          s,
          multiMono([
            { mediaKey: LEFT, channel: 1 },
            { mediaKey: RIGHT, channel: 0 },
          ]),
        ),
      {
        kind: "validation",
        reason: "invalid-value",
        field: "clip.source.channelSources[1].channel",
      },
    );
  });

  it("an empty list means none (what proto3 sends when unset)", () => {
    const s = film(stereoTrack, multiMono([]));
    expect(findClip(s, "mm")?.source.channelSources).toBeUndefined();
  });

  it("checks channels against registered media", () => {
    const s = film(stereoTrack, register(), register({ mediaKey: RIGHT, fileName: "R.wav" }));
    expectError(
      () =>
        decide(
          s,
          multiMono([
            { mediaKey: LEFT, channel: 1 },
            { mediaKey: RIGHT, channel: 2 },
          ]),
        ),
      {
        kind: "validation",
        reason: "beyond-source",
        field: "clip.source.channelSources[1].channel",
        message: /channel 2 of "R.wav", which has 1/,
      },
    );
    // Without channel sources a stereo clip reads channels 1 and 2 of its one (mono) file.
    expectError(
      () =>
        decide(s, place({ clipId: "st", trackId: "dx-st", source: { mediaKey: LEFT, sourceOffset: 0, sourceLength: SECOND, channel: 1 } })),
      {
        kind: "validation",
        reason: "beyond-source",
        field: "clip.source.channel",
      },
    );
    expectError(() => decide(s, place({ source: { mediaKey: LEFT, sourceOffset: 0, sourceLength: 5 * SECOND, channel: 1 } })), {
      kind: "validation",
      reason: "beyond-source",
      field: "clip.source.sourceLength",
    });
  });
});

describe("media registrations", () => {
  it("records the facts; the same again is a no-op; other facts are refused", () => {
    const identity = { mobId: "urn:smpte:umid:1", tapeName: "SR004", sourceTimecode: "14:02:11:05" };
    const s = film(register({ identity, sourceUri: "file:///t/L.wav" }));
    expect(s.media.get(LEFT)).toEqual({
      mediaKey: LEFT,
      fileName: "sc12-t3.L.wav",
      channels: 1,
      sampleRate: 48_000,
      bitDepth: 24,
      lengthSamples: 4 * SECOND,
      origin: "linked",
      sourceUri: "file:///t/L.wav",
      identity,
    });
    expect(decide(s, register({ identity, sourceUri: "file:///t/L.wav" }))).toEqual([]);
    expectError(() => decide(s, register({ identity, sourceUri: "file:///t/L.wav", lengthSamples: 5 })), {
      kind: "illegal-state",
      reason: "media-conflict",
      field: "mediaKey",
    });
  });

  it("a clip later in the same batch is checked against a registration earlier in it", () => {
    const ok = decideBatch(film(), [register(), place({ source: { mediaKey: LEFT, sourceOffset: 0, sourceLength: SECOND, channel: 1 } })]);
    expect(ok.events.map((e) => e.type)).toEqual(["MediaRegistered", "ClipPlaced"]);
    expectError(
      () =>
        decideBatch(film(), [
          register({ lengthSamples: 100 }),
          place({ source: { mediaKey: LEFT, sourceOffset: 0, sourceLength: SECOND, channel: 1 } }),
        ]),
      { kind: "validation", reason: "beyond-source", field: "commands[1].clip.source.sourceLength" },
    );
  });

  it("validates every fact naming its field", () => {
    const s = film();
    expectError(() => decide(s, register({ mediaKey: "x" })), { kind: "validation", reason: "invalid-media-key", field: "mediaKey" });
    const cases: [Partial<RegisterMedia>, string][] = [
      [{ fileName: "" }, "fileName"],
      [{ channels: 0 }, "channels"],
      [{ sampleRate: 0 }, "sampleRate"],
      [{ bitDepth: 20 }, "bitDepth"],
      [{ lengthSamples: 0 }, "lengthSamples"],
      [{ origin: "copied" as never }, "origin"],
      [{ identity: { tapeName: "a\u001bb" } }, "identity.tapeName"],
    ];
    for (const [overrides, field] of cases) {
      expectError(() => decide(s, register(overrides)), { kind: "validation", reason: "invalid-value", field });
    }
  });
});

describe("clip volume automation", () => {
  const volume = [
    { offset: 0, gainDb: -20 },
    { offset: 24_000, gainDb: 0 },
    { offset: SECOND, gainDb: -10 },
  ];

  it("PlaceClip carries it; SetClipAutomation replaces it; an empty list removes it; the same is a no-op", () => {
    const s = film(place({ volume }));
    expect(findClip(s, "c1")?.volume).toEqual(volume);
    expect(decide(s, { type: "SetClipAutomation", clipId: "c1", volume })).toEqual([]);
    const set = decide(s, { type: "SetClipAutomation", clipId: "c1", volume: [{ offset: 100, gainDb: 3 }] });
    expect(set).toEqual([{ type: "ClipAutomationSet", data: { clipId: "c1", volume: [{ offset: 100, gainDb: 3 }] } }]);
    const removed = film(place({ volume }), { type: "SetClipAutomation", clipId: "c1", volume: [] });
    expect(findClip(removed, "c1")).not.toHaveProperty("volume");
    expect(findClip(film(place({ volume: [] })), "c1")).not.toHaveProperty("volume");
  });

  it("refuses unordered, out-of-clip and out-of-range points, naming the point", () => {
    const s = film(place());
    const bad = (points: { offset: number; gainDb: number }[]) => () =>
      decide(s, { type: "SetClipAutomation", clipId: "c1", volume: points });
    expectError(
      bad([
        { offset: 10, gainDb: 0 },
        { offset: 10, gainDb: 1 },
      ]),
      { kind: "validation", reason: "invalid-value", field: "volume[1].offset", message: /strictly increase/ },
    );
    expectError(bad([{ offset: SECOND + 1, gainDb: 0 }]), { kind: "validation", reason: "invalid-value", field: "volume[0].offset" });
    expectError(bad([{ offset: -1, gainDb: 0 }]), { kind: "validation", reason: "invalid-value", field: "volume[0].offset" });
    expectError(bad([{ offset: 0, gainDb: 30 }]), { kind: "validation", reason: "gain-out-of-range", field: "volume[0].gainDb" });
    expectError(() => decide(film(), place({ volume: [{ offset: 0, gainDb: Number.NaN }] })), {
      kind: "validation",
      reason: "invalid-value",
      field: "clip.volume[0].gainDb",
    });
    expectError(() => decide(s, { type: "SetClipAutomation", clipId: "nope", volume: [] }), {
      kind: "not-found",
      reason: "clip-not-found",
    });
  });

  it("interpolates linearly in dB and holds the end values", () => {
    expect(automationGainAt(volume, 12_000)).toBe(-10);
    expect(automationGainAt(volume, 36_000)).toBe(-5);
    expect(automationGainAt([{ offset: 100, gainDb: -3 }], 0)).toBe(-3);
    expect(automationGainAt([{ offset: 100, gainDb: -3 }], 5000)).toBe(-3);
    expect(automationWindow([{ offset: 0, gainDb: 0 }], 0, 10)).toEqual([{ offset: 0, gainDb: 0 }]);
  });

  it("a trim keeps the points inside and adds interpolated end points; extending adds none", () => {
    const s = film(place({ volume }), { type: "TrimClip", clipId: "c1", start: HOUR_ONE + 12_000, end: HOUR_ONE + 36_000 });
    expect(findClip(s, "c1")?.volume).toEqual([
      { offset: 0, gainDb: -10 },
      { offset: 12_000, gainDb: 0 },
      { offset: 24_000, gainDb: -5 },
    ]);
    const extended = film(place({ volume }), { type: "TrimClip", clipId: "c1", start: HOUR_ONE - 1000, end: HOUR_ONE + SECOND + 1000 });
    expect(findClip(extended, "c1")?.volume).toEqual(volume.map((p) => ({ offset: p.offset + 1000, gainDb: p.gainDb })));
  });

  it("a split divides the points, both parts get the interpolated value at the cut", () => {
    const s = film(place({ volume }), { type: "SplitClip", clipId: "c1", position: HOUR_ONE + 12_000, newClipId: "c1b" });
    expect(findClip(s, "c1")?.volume).toEqual([
      { offset: 0, gainDb: -20 },
      { offset: 12_000, gainDb: -10 },
    ]);
    expect(findClip(s, "c1b")?.volume).toEqual([
      { offset: 0, gainDb: -10 },
      { offset: 12_000, gainDb: 0 },
      { offset: 36_000, gainDb: -10 },
    ]);
  });

  it("a move keeps the offsets", () => {
    const s = film(place({ volume }), { type: "MoveClip", clipId: "c1", trackId: "dx-2", position: HOUR_ONE + 5 * SECOND });
    expect(findClip(s, "c1")?.volume).toEqual(volume);
  });
});

describe("track mix", () => {
  it("AddTrack may carry the initial mix; SetTrackMix changes the given fields and records the whole mix", () => {
    const s = film({
      type: "AddTrack",
      trackId: "pfx",
      name: "PFX",
      trackType: "DX",
      channelFormat: "STEREO",
      mix: { volumeDb: -6, pan: -0.5 },
    });
    expect(s.tracks.get("pfx")?.mix).toEqual({ volumeDb: -6, pan: -0.5, muted: false, solo: false });
    expect(s.tracks.get("dx-1")?.mix).toEqual({ volumeDb: 0, pan: 0, muted: false, solo: false });
    const events = decide(s, { type: "SetTrackMix", trackId: "pfx", muted: true });
    expect(events).toEqual([{ type: "TrackMixSet", data: { trackId: "pfx", volumeDb: -6, pan: -0.5, muted: true, solo: false } }]);
    expect(decide(s, { type: "SetTrackMix", trackId: "pfx", volumeDb: -6 })).toEqual([]);
    expect(film({ type: "SetTrackMix", trackId: "dx-1", solo: true, pan: 1 }).tracks.get("dx-1")?.mix).toEqual({
      volumeDb: 0,
      pan: 1,
      muted: false,
      solo: true,
    });
  });

  it("refuses values out of range, naming the field", () => {
    const s = film();
    expectError(() => decide(s, { type: "SetTrackMix", trackId: "dx-1", volumeDb: 12.5 }), {
      kind: "validation",
      reason: "invalid-value",
      field: "volumeDb",
      message: /-144 dB to 12 dB/,
    });
    expectError(() => decide(s, { type: "SetTrackMix", trackId: "dx-1", pan: -1.1 }), {
      kind: "validation",
      reason: "invalid-value",
      field: "pan",
    });
    expectError(() => decide(s, { type: "SetTrackMix", trackId: "dx-1", muted: "yes" as never }), {
      kind: "validation",
      reason: "invalid-value",
      field: "muted",
    });
    expectError(
      () =>
        decide(s, {
          type: "AddTrack",
          trackId: "x",
          name: "X",
          trackType: "FX",
          channelFormat: "MONO",
          mix: { pan: Number.POSITIVE_INFINITY },
        }),
      {
        kind: "validation",
        reason: "invalid-value",
        field: "mix.pan",
      },
    );
    expectError(() => decide(s, { type: "SetTrackMix", trackId: "nope" }), { kind: "not-found", reason: "track-not-found" });
  });
});

describe("marker colour and length", () => {
  it("stores them (colour in lower case) and validates them", () => {
    const s = film({ type: "AddMarker", markerId: "m1", position: HOUR_ONE, name: "Loop", color: "#FF8800", length: SECOND });
    expect(s.markers.get("m1")).toEqual({
      markerId: "m1",
      position: HOUR_ONE,
      name: "Loop",
      comment: "",
      color: "#ff8800",
      length: SECOND,
    });
    expectError(() => decide(s, { type: "AddMarker", markerId: "m2", position: 0, name: "x", color: "red" }), {
      kind: "validation",
      reason: "invalid-value",
      field: "color",
    });
    expectError(() => decide(s, { type: "AddMarker", markerId: "m2", position: 0, name: "x", length: -1 }), {
      kind: "validation",
      reason: "invalid-value",
      field: "length",
    });
  });
});

describe("track types touched by the new commands", () => {
  it("automation and mix touch their track's type; media registrations none", () => {
    const s = film({ type: "PlaceClip", clip: clipSpec({ trackId: "fx-1" }) });
    expect(trackTypesTouchedBy({ type: "SetClipAutomation", clipId: "c1", volume: [] }, s)).toEqual(["FX"]);
    expect(trackTypesTouchedBy({ type: "SetTrackMix", trackId: "dx-1" }, s)).toEqual(["DX"]);
    expect(trackTypesTouchedBy(register(), s)).toEqual([]);
    expect(TEST_MEDIA_KEY).not.toBe(LEFT);
  });
});
