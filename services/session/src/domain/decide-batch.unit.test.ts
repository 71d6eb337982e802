import { describe, expect, it } from "vitest";
import type { SessionCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { decideBatch, decideBatchSteps } from "./decide-batch.ts";
import { SessionValidationError } from "./errors.ts";
import { replay } from "./evolve.ts";
import type { SessionState, TrackType } from "./model.ts";
import { createFilm, expectError, film, HOUR_ONE, place, SECOND } from "./test-fixtures.ts";
import { findClip } from "./timeline.ts";
import { trackTypesTouchedBy } from "./track-types-touched.ts";

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

/** Thrown by the test's role check: not a domain error, so it must pass through decideBatch unchanged. */
class Refused extends Error {
  readonly index: number;
  constructor(index: number, trackType: TrackType) {
    super(`command ${index} touches ${trackType}`);
    this.index = index;
  }
}

/** A role check like the app's: the hook records what it saw and refuses track types outside `owned`. */
function editorOwning(...owned: TrackType[]) {
  const seen: { index: number; types: TrackType[]; tracks: string[] }[] = [];
  const beforeApply = (command: SessionCommand, index: number, stateBefore: SessionState) => {
    const types = trackTypesTouchedBy(command, stateBefore);
    seen.push({ index, types, tracks: [...(stateBefore?.tracks.keys() ?? [])] });
    const refused = types.find((type) => !owned.includes(type));
    if (refused !== undefined) throw new Refused(index, refused);
  };
  return { seen, beforeApply };
}

describe("decideBatch's beforeApply hook", () => {
  const addSfx: SessionCommand = { type: "AddTrack", trackId: "sfx", name: "SFX design", trackType: "FX", channelFormat: "MONO" };
  const placeBoom = place({ clipId: "boom", trackId: "sfx" });

  it("sees the state before each command, including tracks and clips added earlier in the batch", () => {
    const start = film(place());
    const fxEditor = editorOwning("FX", "BG");
    const { events, state } = decideBatch(
      start,
      [addSfx, placeBoom, { type: "MoveClip", clipId: "boom", trackId: "fx-1", position: HOUR_ONE }],
      {
        beforeApply: fxEditor.beforeApply,
      },
    );
    expect(events.map((e) => e.type)).toEqual(["TrackAdded", "ClipPlaced", "ClipMoved"]);
    expect(findClip(state!, "boom")?.trackId).toBe("fx-1");
    // The placement is FX only because the hook sees the track added by command 0 (the input state has no
    // "sfx", so it would touch nothing); the move is FX because it sees the clip placed by command 1.
    expect(fxEditor.seen.map(({ index, types }) => ({ index, types }))).toEqual([
      { index: 0, types: ["FX"] },
      { index: 1, types: ["FX"] },
      { index: 2, types: ["FX"] },
    ]);
    expect(fxEditor.seen[0]?.tracks).not.toContain("sfx");
    expect(fxEditor.seen[1]?.tracks).toContain("sfx");
  });

  it("rejects the whole batch when the hook throws, passing its error through", () => {
    const start = film(place());
    const dialogueEditor = editorOwning("DX");
    const refused = (() => {
      try {
        decideBatch(start, [place({ clipId: "c2", position: HOUR_ONE + 2 * SECOND }), addSfx, placeBoom], dialogueEditor);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(Refused);
    expect(refused).toMatchObject({ index: 1, message: "command 1 touches FX" });
    expect(dialogueEditor.seen.map((s) => s.index)).toEqual([0, 1]);
    // The state before the move, not after it: the clip is still on DX, so an FX editor may not move it to FX.
    const fxEditor = editorOwning("FX", "BG");
    expect(() => decideBatch(start, [{ type: "MoveClip", clipId: "c1", trackId: "fx-1", position: HOUR_ONE }], fxEditor)).toThrow(
      "command 0 touches DX",
    );
    // Nothing leaked into the input state.
    expect(start.tracks.has("sfx")).toBe(false);
    expect(findClip(start, "c2")).toBeUndefined();
  });

  it("prefixes a domain error from the hook, and runs only after the command is decided", () => {
    const error = expectError(
      () =>
        decideBatch(film(), [place(), place({ clipId: "c2", position: HOUR_ONE + 2 * SECOND })], {
          beforeApply: (_command, index) => {
            if (index === 1) throw new SessionValidationError("clip: locked by the test", "invalid-value", "clip");
          },
        }),
      { kind: "validation", reason: "invalid-value", field: "commands[1].clip", message: /^command 1: clip: locked/ },
    );
    expect(error.commandIndex).toBe(1);
    // A command the domain refuses is reported as such; the hook never sees it.
    const editor = editorOwning("DX");
    expectError(() => decideBatch(film(), [place(), place({ clipId: "c2" })], editor), {
      kind: "illegal-state",
      reason: "clip-overlap",
      field: "commands[1].clip.position",
    });
    expect(editor.seen.map((s) => s.index)).toEqual([0]);
  });
});

describe("decideBatchSteps", () => {
  it("yields after every command but the last and returns what decideBatch returns", () => {
    const commands = [
      place(),
      place({ clipId: "c2", position: HOUR_ONE + 2 * SECOND }),
      { type: "SetClipGain", clipId: "c1", gainDb: -6 } as const,
    ];
    const start = film();
    const steps = decideBatchSteps(start, commands);
    const yielded: number[] = [];
    let step = steps.next();
    for (; !step.done; step = steps.next()) yielded.push(step.value);
    expect(yielded).toEqual([1, 2]);
    expect(step.value).toEqual(decideBatch(start, commands));
    expect(replay(step.value.events, start)).toEqual(step.value.state);
  });

  it("leaves the input state untouched when abandoned part-way", () => {
    const start = film();
    const steps = decideBatchSteps(start, [place(), place({ clipId: "c2", position: HOUR_ONE + 2 * SECOND })]);
    expect(steps.next()).toEqual({ done: false, value: 1 });
    steps.return(undefined as never);
    expect(findClip(start, "c1")).toBeUndefined();
  });
});
