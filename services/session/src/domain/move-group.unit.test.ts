import { describe, expect, it } from "vitest";
import type { SessionCommand } from "./commands.ts";
import { decideBatch } from "./decide-batch.ts";
import { replay } from "./evolve.ts";
import type { SessionState } from "./model.ts";
import { expectError, film, HOUR_ONE, place, SECOND } from "./test-fixtures.ts";
import { findClip } from "./timeline.ts";

// Consecutive MoveClip commands in a batch are decided as a group: overlap is checked on the positions
// after the group's last move, so the order in which a ripple or a swap is listed does not matter.

/** n one-second clips abutting on dx-1 from 01:00:00:00 (c0, c1, ...), each with a two-second tail handle. */
function abutting(n: number) {
  return Array.from({ length: n }, (_, i) => place({ clipId: `c${i}`, position: HOUR_ONE + i * SECOND }));
}

const ripple = (ids: readonly number[], by: number): SessionCommand[] =>
  ids.map((i) => ({ type: "MoveClip", clipId: `c${i}`, position: HOUR_ONE + i * SECOND + by }));

describe("a group of consecutive moves", () => {
  it("accepts a ripple listed left to right, although each move alone would overlap the next clip", () => {
    const start = film(...abutting(4));
    const { events, state } = decideBatch(start, ripple([0, 1, 2, 3], SECOND / 2));
    expect(events.map((e) => e.type)).toEqual(["ClipMoved", "ClipMoved", "ClipMoved", "ClipMoved"]);
    for (let i = 0; i < 4; i++) expect(findClip(state!, `c${i}`)?.position).toBe(HOUR_ONE + i * SECOND + SECOND / 2);
    expect(replay(events, start)).toEqual(state);
  });

  it("accepts a ripple right listed in either order and a ripple left", () => {
    const start = film(...abutting(4));
    const right = decideBatch(start, ripple([3, 2, 1, 0], SECOND)).state;
    const rightLeftToRight = decideBatch(start, ripple([0, 1, 2, 3], SECOND)).state;
    expect(right).toEqual(rightLeftToRight);
    const left = decideBatch(start, ripple([3, 2, 1, 0], -SECOND / 2)).state;
    expect(findClip(left!, "c0")?.position).toBe(HOUR_ONE - SECOND / 2);
  });

  it("swaps two clips in place", () => {
    const start = film(...abutting(2));
    const { state } = decideBatch(start, [
      { type: "MoveClip", clipId: "c0", position: HOUR_ONE + SECOND },
      { type: "MoveClip", clipId: "c1", position: HOUR_ONE },
    ]);
    expect(findClip(state!, "c0")?.position).toBe(HOUR_ONE + SECOND);
    expect(findClip(state!, "c1")?.position).toBe(HOUR_ONE);
  });

  it("refuses a group that really ends overlapping, naming the command whose clip overlaps", () => {
    const start = film(...abutting(3));
    // c0 and c1 move right by a second, c2 stays: c1 ends up over c2.
    const error = expectError(() => decideBatch(start, ripple([0, 1], SECOND)), {
      kind: "illegal-state",
      reason: "clip-overlap",
      field: "commands[1].position",
      message: /^command 1: position: clip "c1" at \[\d+, \d+\) would overlap clip "c2" .* after the moves of commands 0 to 1$/,
    });
    expect(error.commandIndex).toBe(1);
    // The clip's last move is named when it moves twice; a later command's clip that is fine is not blamed.
    expectError(
      () =>
        decideBatch(start, [
          { type: "MoveClip", clipId: "c1", position: HOUR_ONE + 10 * SECOND },
          { type: "MoveClip", clipId: "c0", position: HOUR_ONE + 20 * SECOND },
          { type: "MoveClip", clipId: "c1", position: HOUR_ONE + 2 * SECOND + 1 },
        ]),
      { kind: "illegal-state", reason: "clip-overlap", field: "commands[2].position", message: /clip "c1" .* clip "c2"/ },
    );
    // A lone move is still checked at once, with the message of a single edit.
    expectError(() => decideBatch(start, ripple([0], SECOND / 2)), {
      kind: "illegal-state",
      reason: "clip-overlap",
      field: "commands[0].position",
      message: /on track "DX 1"$/,
    });
    // A group ends at the first command that is not a move: that command sees the group's result checked.
    expectError(() => decideBatch(start, [...ripple([0], SECOND / 2), { type: "SetClipGain", clipId: "c2", gainDb: -3 }]), {
      kind: "illegal-state",
      reason: "clip-overlap",
      field: "commands[0].position",
    });
  });

  it("checks moves across tracks on the destination track", () => {
    const start = film(...abutting(2), place({ clipId: "x", trackId: "dx-2" }));
    const moves: SessionCommand[] = [
      { type: "MoveClip", clipId: "x", trackId: "dx-1", position: HOUR_ONE },
      { type: "MoveClip", clipId: "c0", trackId: "dx-2", position: HOUR_ONE },
    ];
    const { state } = decideBatch(start, moves);
    expect(findClip(state!, "x")?.trackId).toBe("dx-1");
    expect(findClip(state!, "c0")?.trackId).toBe("dx-2");
    expectError(() => decideBatch(start, moves.slice(0, 1)), {
      kind: "illegal-state",
      reason: "clip-overlap",
      field: "commands[0].position",
    });
  });

  it("removes every crossfade a move in the group breaks, once, with explicit CrossfadeSet length 0 events", () => {
    const start = film(
      ...abutting(3),
      { type: "SetCrossfade", outgoingClipId: "c0", incomingClipId: "c1", length: 480, shape: "LINEAR", alignment: "CENTERED" },
      {
        type: "SetCrossfade",
        outgoingClipId: "c1",
        incomingClipId: "c2",
        length: 480,
        shape: "LINEAR",
        alignment: "CENTERED",
      },
    );
    expect(start.crossfades.size).toBe(2);
    const { events, state } = decideBatch(start, ripple([0, 1, 2], SECOND));
    const removed = events.filter((e) => e.type === "CrossfadeSet");
    expect(removed.map((e) => e.data)).toMatchObject([
      { outgoingClipId: "c0", incomingClipId: "c1", length: 0 },
      { outgoingClipId: "c1", incomingClipId: "c2", length: 0 },
    ]);
    expect(state!.crossfades.size).toBe(0);
    expect(replay(events, start)).toEqual(state);
  });

  it("runs beforeApply for each move with the state before it (which may overlap inside the group)", () => {
    const start = film(...abutting(2));
    const seen: { index: number; c0: number | undefined; c1: number | undefined }[] = [];
    const beforeApply = (_command: SessionCommand, index: number, stateBefore: SessionState) => {
      seen.push({ index, c0: findClip(stateBefore!, "c0")?.position, c1: findClip(stateBefore!, "c1")?.position });
    };
    decideBatch(start, ripple([0, 1], SECOND / 2), { beforeApply });
    expect(seen).toEqual([
      { index: 0, c0: HOUR_ONE, c1: HOUR_ONE + SECOND },
      { index: 1, c0: HOUR_ONE + SECOND / 2, c1: HOUR_ONE + SECOND },
    ]);
  });
});
