import { describe, expect, it } from "vitest";
import type { SetTrackAutomation } from "./commands.ts";
import { decide } from "./decide.ts";
import { decideBatch } from "./decide-batch.ts";
import { SessionDomainError } from "./errors.ts";
import { evolve, replay } from "./evolve.ts";
import type { TrackAutomationPoint } from "./model.ts";
import { expectError, film, HOUR_ONE, place, run, SECOND } from "./test-fixtures.ts";
import { MAX_TRACK_AUTOMATION_POINTS, trackAutomationValueAt } from "./track-automation.ts";
import { trackTypesTouchedBy } from "./track-types-touched.ts";

const volume: TrackAutomationPoint[] = [
  { position: HOUR_ONE, value: -20 },
  { position: HOUR_ONE + SECOND, value: 0 },
  { position: HOUR_ONE + 3 * SECOND, value: 6 },
];
const pan: TrackAutomationPoint[] = [
  { position: 0, value: -1 },
  { position: HOUR_ONE, value: 1 },
];

function set(lane: SetTrackAutomation["lane"], points: readonly TrackAutomationPoint[], trackId = "dx-1"): SetTrackAutomation {
  return { type: "SetTrackAutomation", trackId, lane, points };
}

describe("SetTrackAutomation", () => {
  it("records the whole lane and the state holds it per lane, leaving the constant mix as it was", () => {
    const s = film();
    expect(decide(s, set("VOLUME", volume))).toEqual([
      { type: "TrackAutomationSet", data: { trackId: "dx-1", lane: "AUTOMATION_LANE_VOLUME", points: volume } },
    ]);
    const after = run(s, set("VOLUME", volume), set("PAN", pan));
    const track = after.tracks.get("dx-1")!;
    expect(track.volumeAutomation).toEqual(volume);
    expect(track.panAutomation).toEqual(pan);
    expect(track.mix).toEqual(s.tracks.get("dx-1")!.mix);
    expect(after.tracks.get("dx-2")).not.toHaveProperty("volumeAutomation");
  });

  it("the identical list again records nothing, as SetTrackMix with the same values", () => {
    const s = film(set("VOLUME", volume));
    expect(
      decide(
        s,
        set(
          "VOLUME",
          volume.map((p) => ({ ...p })),
        ),
      ),
    ).toEqual([]);
    expect(decide(film(), set("PAN", []))).toEqual([]);
    // The same points on the other lane are a change.
    expect(decide(s, set("PAN", [{ position: 0, value: 0 }]))).toHaveLength(1);
  });

  it("replaces the lane; an empty list removes it (the event keeps the empty list)", () => {
    const s = film(set("VOLUME", volume), set("PAN", pan));
    const replaced = run(s, set("VOLUME", [{ position: 5, value: -3 }]));
    expect(replaced.tracks.get("dx-1")?.volumeAutomation).toEqual([{ position: 5, value: -3 }]);
    const events = decide(s, set("PAN", []));
    expect(events).toEqual([{ type: "TrackAutomationSet", data: { trackId: "dx-1", lane: "AUTOMATION_LANE_PAN", points: [] } }]);
    const removed = run(s, set("PAN", []));
    expect(removed.tracks.get("dx-1")).not.toHaveProperty("panAutomation");
    expect(removed.tracks.get("dx-1")?.volumeAutomation).toEqual(volume);
  });

  it("lanes are timeline-anchored: clip edits, a rename and a mix change keep them", () => {
    const s = film(
      set("VOLUME", volume),
      place(),
      { type: "MoveClip", clipId: "c1", position: HOUR_ONE + 2 * SECOND },
      { type: "RenameTrack", trackId: "dx-1", name: "DX A" },
      { type: "SetTrackMix", trackId: "dx-1", volumeDb: -6 },
    );
    expect(s.tracks.get("dx-1")?.volumeAutomation).toEqual(volume);
  });

  it("removing a track drops its lanes; a track added again under the id has none", () => {
    const s = film(set("VOLUME", volume), set("PAN", pan), { type: "RemoveTrack", trackId: "dx-1" });
    expect(s.tracks.has("dx-1")).toBe(false);
    const again = run(s, { type: "AddTrack", trackId: "dx-1", name: "DX 1", trackType: "DX", channelFormat: "MONO" });
    expect(again.tracks.get("dx-1")).not.toHaveProperty("volumeAutomation");
    expect(again.tracks.get("dx-1")).not.toHaveProperty("panAutomation");
  });

  it("refuses an unknown track and a bad lane", () => {
    const s = film();
    expectError(() => decide(s, set("VOLUME", volume, "nope")), { kind: "not-found", reason: "track-not-found", field: "trackId" });
    for (const lane of ["AUTOMATION_LANE_UNSPECIFIED", "volume", undefined]) {
      expectError(() => decide(s, set(lane as never, volume)), {
        kind: "validation",
        reason: "invalid-value",
        field: "lane",
        message: /must be one of VOLUME, PAN/,
      });
    }
  });

  it("refuses values outside the lane's range, and NaN or infinite values", () => {
    const s = film();
    const bad = (lane: SetTrackAutomation["lane"], value: number, field = "points[1].value") =>
      expectError(
        () =>
          decide(
            s,
            set(lane, [
              { position: 0, value: 0 },
              { position: 10, value },
            ]),
          ),
        {
          kind: "validation",
          reason: "invalid-value",
          field,
        },
      );
    expect(bad("VOLUME", 12.01).message).toMatch(/12\.01 dB is outside -144 dB to 12 dB/);
    expect(bad("VOLUME", -144.5).message).toMatch(/-144 dB to 12 dB/);
    expect(bad("PAN", 1.5).message).toMatch(/outside -1 to 1/);
    bad("PAN", -1.01);
    bad("VOLUME", Number.NaN);
    bad("PAN", Number.POSITIVE_INFINITY);
    bad("VOLUME", Number.NEGATIVE_INFINITY);
    bad("VOLUME", "3" as never);
    // The ends of each range are allowed.
    expect(
      decide(
        s,
        set("VOLUME", [
          { position: 0, value: -144 },
          { position: 1, value: 12 },
        ]),
      ),
    ).toHaveLength(1);
    expect(
      decide(
        s,
        set("PAN", [
          { position: 0, value: -1 },
          { position: 1, value: 1 },
        ]),
      ),
    ).toHaveLength(1);
  });

  it("refuses negative, fractional, repeated and decreasing positions, naming the point", () => {
    const s = film();
    const bad = (points: TrackAutomationPoint[], field: string, message?: RegExp) =>
      expectError(() => decide(s, set("PAN", points)), { kind: "validation", reason: "invalid-value", field, ...(message && { message }) });
    bad([{ position: -1, value: 0 }], "points[0].position", /must not be negative/);
    bad([{ position: 0.5, value: 0 }], "points[0].position", /whole number of samples/);
    bad([{ position: Number.MAX_SAFE_INTEGER + 1, value: 0 }], "points[0].position");
    bad(
      [
        { position: 10, value: 0 },
        { position: 10, value: 1 },
      ],
      "points[1].position",
      /strictly increase/,
    );
    bad(
      [
        { position: 10, value: 0 },
        { position: 20, value: 0 },
        { position: 15, value: 0 },
      ],
      "points[2].position",
    );
    bad([null as never], "points[0]");
    expectError(() => decide(s, { type: "SetTrackAutomation", trackId: "dx-1", lane: "PAN", points: "none" as never }), {
      kind: "validation",
      reason: "invalid-value",
      field: "points",
    });
  });

  it(`takes at most ${MAX_TRACK_AUTOMATION_POINTS} points per lane`, () => {
    const s = film();
    const points = (n: number) => Array.from({ length: n }, (_, i) => ({ position: i * 480, value: (i % 25) - 12 }));
    expect(run(s, set("VOLUME", points(MAX_TRACK_AUTOMATION_POINTS))).tracks.get("dx-1")?.volumeAutomation).toHaveLength(
      MAX_TRACK_AUTOMATION_POINTS,
    );
    expectError(() => decide(s, set("VOLUME", points(MAX_TRACK_AUTOMATION_POINTS + 1))), {
      kind: "validation",
      reason: "invalid-value",
      field: "points",
      message: /at most 100000 points per lane, got 100001/,
    });
  });

  it("in a batch, an error names the command index and rejects the whole batch", () => {
    const s = film();
    let caught: unknown;
    try {
      decideBatch(s, [
        set("VOLUME", volume),
        set("PAN", [
          { position: 0, value: 0 },
          { position: 5, value: 2 },
        ]),
      ]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SessionDomainError);
    const error = caught as SessionDomainError;
    expect(error.commandIndex).toBe(1);
    expect(error.field).toBe("commands[1].points[1].value");
    expect(s.tracks.get("dx-1")).not.toHaveProperty("volumeAutomation");
  });

  it("replays from event data, one event at a time or folded", () => {
    const { events, state } = decideBatch(film(), [set("VOLUME", volume), set("PAN", pan), set("PAN", [])]);
    const serialised = JSON.parse(JSON.stringify(events));
    const base = film();
    expect(replay(serialised, base)).toEqual(state);
    expect(serialised.reduce(evolve, base)).toEqual(state);
  });

  it("a re-recording mixer's rule applies: it touches its track's type", () => {
    const s = film({ type: "AddTrack", trackId: "fx-x", name: "FX X", trackType: "FX", channelFormat: "MONO" });
    expect(trackTypesTouchedBy(set("VOLUME", [], "fx-x"), s)).toEqual(["FX"]);
    expect(trackTypesTouchedBy(set("PAN", [], "nope"), s)).toEqual([]);
  });
});

describe("trackAutomationValueAt", () => {
  it("interpolates linearly between points and holds the first and last values outside them", () => {
    expect(trackAutomationValueAt(volume, 0, -3)).toBe(-20);
    expect(trackAutomationValueAt(volume, HOUR_ONE, -3)).toBe(-20);
    expect(trackAutomationValueAt(volume, HOUR_ONE + SECOND / 2, -3)).toBe(-10);
    expect(trackAutomationValueAt(volume, HOUR_ONE + 2 * SECOND, -3)).toBe(3);
    expect(trackAutomationValueAt(volume, HOUR_ONE + 3 * SECOND, -3)).toBe(6);
    expect(trackAutomationValueAt(volume, Number.MAX_SAFE_INTEGER, -3)).toBe(6);
    expect(trackAutomationValueAt(pan, HOUR_ONE / 4, 0)).toBe(-0.5);
  });

  it("is the constant (the track's mix value) when the lane is empty", () => {
    expect(trackAutomationValueAt([], HOUR_ONE, -3)).toBe(-3);
  });
});
