import { describe, expect, it } from "vitest";
import { decide, decideBatch } from "./decide.ts";
import { SessionValidationError } from "./errors.ts";
import { replay } from "./evolve.ts";
import { createFilm, expectError, film, HOUR_ONE, place, SECOND } from "./test-fixtures.ts";
import { findClip } from "./timeline.ts";

describe("decideBatch", () => {
  it("applies commands in order, each seeing the previous ones' effects", () => {
    const { events, state } = decideBatch(undefined, [
      createFilm,
      place(),
      { type: "SplitClip", clipId: "c1", position: HOUR_ONE + SECOND / 2, newClipId: "c1b" },
      { type: "MoveClip", clipId: "c1b", trackId: "dx-2", position: HOUR_ONE + SECOND / 2 },
    ]);
    expect(events.map((e) => e.type)).toEqual(["SessionCreated", "ClipPlaced", "ClipSplit", "ClipMoved"]);
    expect(findClip(state!, "c1b")?.trackId).toBe("dx-2");
    expect(replay(events)).toEqual(state);
  });

  it("rejects the whole batch when any command fails, naming the command", () => {
    const s = film(place());
    const error = expectError(
      () =>
        decideBatch(s, [
          { type: "SetClipGain", clipId: "c1", gainDb: -3 },
          { type: "PlaceClip", clip: undefined } as never,
          place({ clipId: "c3", position: HOUR_ONE + SECOND / 2 }),
        ]),
      { kind: "validation", reason: "invalid-value", field: "commands[1].clip" },
    );
    expect(error.commandIndex).toBe(1);
    expect(error.message).toMatch(/^command 1: /);
    // A conflict with a clip placed earlier in the same batch is caught too.
    expectError(() => decideBatch(s, [place({ clipId: "c2", position: 0 }), place({ clipId: "c3", position: SECOND / 2 })]), {
      kind: "illegal-state",
      reason: "clip-overlap",
      field: "commands[1].clip.position",
    });
    expect(findClip(s, "c2")).toBeUndefined();
  });

  it("refuses an empty batch and unknown command types", () => {
    expect(() => decideBatch(film(), [])).toThrow(SessionValidationError);
    expectError(() => decide(film(), { type: "Explode" } as never), { kind: "validation", reason: "invalid-value", field: "type" });
  });
});
