import { describe, expect, it } from "vitest";
import { createFilm, film, place, TEST_MEDIA_KEY } from "./test-fixtures.ts";
import { trackTypesTouchedBy } from "./track-types-touched.ts";

describe("trackTypesTouchedBy", () => {
  const s = film(
    place(),
    place({ clipId: "fx", trackId: "fx-1" }),
    place({ clipId: "bg", trackId: "bg-1", source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: 0, sourceLength: 96_000_000, channel: 1 } }),
  );

  it("names the track types each command edits", () => {
    expect(trackTypesTouchedBy(createFilm, undefined)).toEqual(["DX", "MX", "FX", "BG", "FOLEY"]);
    expect(trackTypesTouchedBy({ ...createFilm, template: "EMPTY" }, undefined)).toEqual([]);
    expect(trackTypesTouchedBy({ type: "AddTrack", trackId: "t", name: "T", trackType: "FOLEY", channelFormat: "MONO" }, s)).toEqual([
      "FOLEY",
    ]);
    expect(trackTypesTouchedBy({ type: "RenameTrack", trackId: "mx-1", name: "x" }, s)).toEqual(["MX"]);
    expect(trackTypesTouchedBy({ type: "RemoveTrack", trackId: "foley-2" }, s)).toEqual(["FOLEY"]);
    expect(trackTypesTouchedBy(place({ clipId: "n", trackId: "bg-2" }), s)).toEqual(["BG"]);
    expect(trackTypesTouchedBy({ type: "TrimClip", clipId: "c1", end: 1 }, s)).toEqual(["DX"]);
    expect(trackTypesTouchedBy({ type: "SetClipGain", clipId: "fx", gainDb: 1 }, s)).toEqual(["FX"]);
    expect(trackTypesTouchedBy({ type: "AddMarker", markerId: "m", position: 0, name: "M" }, s)).toEqual([]);
  });

  it("counts both ends of a move and both clips of a crossfade", () => {
    expect(trackTypesTouchedBy({ type: "MoveClip", clipId: "c1", trackId: "fx-2", position: 0 }, s)).toEqual(["DX", "FX"]);
    expect(trackTypesTouchedBy({ type: "MoveClip", clipId: "c1", position: 0 }, s)).toEqual(["DX"]);
    expect(
      trackTypesTouchedBy(
        { type: "SetCrossfade", outgoingClipId: "c1", incomingClipId: "bg", length: 1, shape: "LINEAR", alignment: "CENTERED" },
        s,
      ),
    ).toEqual(["DX", "BG"]);
  });

  it("ignores ids the state does not know", () => {
    expect(trackTypesTouchedBy({ type: "RemoveClip", clipId: "nope" }, s)).toEqual([]);
    expect(trackTypesTouchedBy({ type: "RemoveClip", clipId: "c1" }, undefined)).toEqual([]);
  });
});
