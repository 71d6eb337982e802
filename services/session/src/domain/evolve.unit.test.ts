import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { SessionEventApplyError } from "./errors.ts";
import { evolve, replay } from "./evolve.ts";
import { createFilm, film, place } from "./test-fixtures.ts";

describe("evolve", () => {
  it("never mutates the state it is given", () => {
    const before = film(place());
    const snapshot = structuredClone(before);
    const [event] = decide(before, { type: "SetClipGain", clipId: "c1", gainDb: -1 });
    const after = evolve(before, event!);
    expect(before).toEqual(snapshot);
    expect(after).not.toBe(before);
    // Untouched tracks are shared, not copied.
    expect(after!.tracks.get("dx-2")).toBe(before.tracks.get("dx-2"));
  });

  it("refuses events that cannot apply (a corrupt or misordered stream)", () => {
    const s = film();
    expect(() => evolve(undefined, { type: "TrackRemoved", data: { trackId: "dx-1" } })).toThrow(SessionEventApplyError);
    expect(() => evolve(s, { type: "ClipGainSet", data: { clipId: "nope", gainDb: 0 } })).toThrow(
      /cannot apply ClipGainSet: unknown clip "nope"/,
    );
    expect(() => replay([...decide(undefined, createFilm), ...decide(undefined, createFilm)])).toThrow(/already exists/);
    expect(() =>
      evolve(s, {
        type: "TrackAdded",
        data: { trackId: "x", name: "X", trackType: "TRACK_TYPE_VO" as never, channelFormat: "CHANNEL_FORMAT_MONO", index: 0 },
      }),
    ).toThrow(/unknown track type "TRACK_TYPE_VO"/);
  });
});
