import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { evolve } from "./evolve.ts";
import { templateTracks } from "./templates.ts";
import { createFilm, expectError, film, place, run } from "./test-fixtures.ts";
import { sessionStartSample } from "./timeline.ts";

describe("CreateSession", () => {
  it("creates a film session with the template's tracks, written as proto JSON", () => {
    const events = decide(undefined, createFilm);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.type).toBe("SessionCreated");
    if (event?.type !== "SessionCreated") return;
    expect(event.data).toMatchObject({
      sessionId: "reel-1",
      template: "SESSION_TEMPLATE_FILM",
      frameRate: "FRAME_RATE_24",
      sampleRate: 48000,
      startTimecode: "01:00:00:00",
    });
    expect(event.data.tracks[0]).toEqual({
      trackId: "dx-1",
      name: "DX 1",
      trackType: "TRACK_TYPE_DX",
      channelFormat: "CHANNEL_FORMAT_MONO",
    });
    const session = evolve(undefined, event)!;
    expect([...session.tracks.values()].map((t) => t.name)).toEqual(templateTracks("FILM").map((t) => t.name));
    expect(session.tracks.get("bg-51-2")).toMatchObject({ trackType: "BG", channelFormat: "5.1" });
    expect(session.frameRate).toBe("24");
  });

  it("builds the film and episode layouts by department", () => {
    const count = (template: "FILM" | "EPISODE", type: string) => templateTracks(template).filter((t) => t.trackType === type).length;
    expect(["DX", "MX", "FX", "BG", "FOLEY"].map((t) => count("FILM", t))).toEqual([8, 3, 8, 6, 4]);
    expect(["DX", "MX", "FX", "BG", "FOLEY"].map((t) => count("EPISODE", t))).toEqual([6, 2, 6, 2, 2]);
    expect(templateTracks("EMPTY")).toEqual([]);
  });

  it("accepts drop-frame start timecodes and computes the start sample", () => {
    const session = run(undefined, { ...createFilm, frameRate: "29.97DF", startTimecode: "01:00:00;00" });
    expect(sessionStartSample(session)).toBe(172799828);
    expect(sessionStartSample(film())).toBe(172800000);
  });

  it("rejects bad settings with the field at fault", () => {
    expectError(() => decide(undefined, { ...createFilm, frameRate: "29.97DF", startTimecode: "00:01:00;00" }), {
      kind: "validation",
      reason: "invalid-value",
      field: "startTimecode",
      message: /does not exist at 29.97DF/,
    });
    expectError(() => decide(undefined, { ...createFilm, startTimecode: "01:00:00:24" }), {
      kind: "validation",
      reason: "invalid-value",
      field: "startTimecode",
    });
    expectError(() => decide(undefined, { ...createFilm, sampleRate: 47_000 }), {
      kind: "validation",
      reason: "invalid-value",
      field: "sampleRate",
    });
    expectError(() => decide(undefined, { ...createFilm, frameRate: "23.976DF" as never }), {
      kind: "validation",
      reason: "invalid-value",
      field: "frameRate",
    });
    expectError(() => decide(undefined, { ...createFilm, template: "OPERA" as never }), {
      kind: "validation",
      reason: "invalid-value",
      field: "template",
    });
    expectError(() => decide(undefined, { ...createFilm, name: "  " }), { kind: "validation", reason: "invalid-value", field: "name" });
    expectError(() => decide(undefined, { ...createFilm, sessionId: "" }), {
      kind: "validation",
      reason: "invalid-value",
      field: "sessionId",
    });
  });

  it("refuses to create twice, and every other command before creation", () => {
    expectError(() => decide(film(), createFilm), { kind: "already-exists", reason: "session-exists" });
    expectError(() => decide(undefined, { type: "AddMarker", markerId: "m", position: 0, name: "x" }), {
      kind: "not-found",
      reason: "session-not-found",
    });
  });
});

describe("tracks", () => {
  it("adds a track at the end or at an index", () => {
    const s = film(
      { type: "AddTrack", trackId: "pfx-1", name: "PFX 1", trackType: "DX", channelFormat: "MONO" },
      { type: "AddTrack", trackId: "vo", name: "VO", trackType: "DX", channelFormat: "MONO", index: 0 },
    );
    const ids = [...s.tracks.keys()];
    expect(ids[0]).toBe("vo");
    expect(ids.at(-1)).toBe("pfx-1");
    expect(s.tracks.get("pfx-1")).toMatchObject({ name: "PFX 1", trackType: "DX", channelFormat: "MONO" });
    const [event] = decide(s, { type: "AddTrack", trackId: "t", name: "T", trackType: "FX", channelFormat: "7.1" });
    expect(event).toEqual({
      type: "TrackAdded",
      data: { trackId: "t", name: "T", trackType: "TRACK_TYPE_FX", channelFormat: "CHANNEL_FORMAT_7_1", index: s.tracks.size },
    });
  });

  it("rejects duplicate ids and names, bad types and indexes", () => {
    const s = film();
    expectError(() => decide(s, { type: "AddTrack", trackId: "dx-1", name: "New", trackType: "DX", channelFormat: "MONO" }), {
      kind: "already-exists",
      reason: "duplicate-id",
      field: "trackId",
    });
    expectError(() => decide(s, { type: "AddTrack", trackId: "n", name: "DX 1", trackType: "DX", channelFormat: "MONO" }), {
      kind: "illegal-state",
      reason: "duplicate-name",
      field: "name",
    });
    expectError(() => decide(s, { type: "AddTrack", trackId: "n", name: "N", trackType: "VO" as never, channelFormat: "MONO" }), {
      kind: "validation",
      reason: "invalid-value",
      field: "trackType",
    });
    expectError(() => decide(s, { type: "AddTrack", trackId: "n", name: "N", trackType: "DX", channelFormat: "QUAD" as never }), {
      kind: "validation",
      reason: "invalid-value",
      field: "channelFormat",
    });
    expectError(
      () => decide(s, { type: "AddTrack", trackId: "n", name: "N", trackType: "DX", channelFormat: "MONO", index: s.tracks.size + 1 }),
      {
        kind: "validation",
        reason: "invalid-value",
        field: "index",
      },
    );
  });

  it("renames a track, refusing a name another track has; renaming to the same name is a no-op", () => {
    const s = film({ type: "RenameTrack", trackId: "dx-1", name: " Dialogue A " });
    expect(s.tracks.get("dx-1")?.name).toBe("Dialogue A");
    expect(decide(s, { type: "RenameTrack", trackId: "dx-1", name: "Dialogue A" })).toEqual([]);
    expect(decide(s, { type: "RenameTrack", trackId: "dx-2", name: "DX 9" })[0]).toEqual({
      type: "TrackRenamed",
      data: { trackId: "dx-2", name: "DX 9", previousName: "DX 2" },
    });
    expectError(() => decide(s, { type: "RenameTrack", trackId: "dx-2", name: "Dialogue A" }), {
      kind: "illegal-state",
      reason: "duplicate-name",
    });
    expectError(() => decide(s, { type: "RenameTrack", trackId: "nope", name: "X" }), {
      kind: "not-found",
      reason: "track-not-found",
      field: "trackId",
    });
  });

  it("removes only empty tracks", () => {
    const s = film(place());
    expectError(() => decide(s, { type: "RemoveTrack", trackId: "dx-1" }), { kind: "illegal-state", reason: "track-not-empty" });
    const after = run(s, { type: "RemoveTrack", trackId: "dx-2" });
    expect(after.tracks.has("dx-2")).toBe(false);
    expect(after.tracks.size).toBe(s.tracks.size - 1);
    expectError(() => decide(after, { type: "RemoveTrack", trackId: "dx-2" }), { kind: "not-found", reason: "track-not-found" });
  });
});

describe("markers", () => {
  it("adds markers and rejects duplicates and bad positions", () => {
    const s = film({ type: "AddMarker", markerId: "m1", position: 172_800_000, name: "Reel start" });
    expect(s.markers.get("m1")).toEqual({ markerId: "m1", position: 172_800_000, name: "Reel start", comment: "", length: 0 });
    expectError(() => decide(s, { type: "AddMarker", markerId: "m1", position: 0, name: "x" }), {
      kind: "already-exists",
      reason: "duplicate-id",
    });
    expectError(() => decide(s, { type: "AddMarker", markerId: "m2", position: -1, name: "x" }), {
      kind: "validation",
      reason: "invalid-value",
      field: "position",
    });
    expectError(() => decide(s, { type: "AddMarker", markerId: "m2", position: 1.5, name: "x" }), {
      kind: "validation",
      reason: "invalid-value",
      field: "position",
    });
  });
});
