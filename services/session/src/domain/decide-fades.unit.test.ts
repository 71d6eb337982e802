import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import type { Session } from "./model.ts";
import { expectError, film, HOUR_ONE, place, run, SECOND, TEST_MEDIA_KEY } from "./test-fixtures.ts";
import { findClip, incomingCrossfade } from "./timeline.ts";

/** Two abutting one-second clips at 01:00:00:00 (each with 1 s head and 2 s tail handles). */
function cut(): Session {
  return film(place(), place({ clipId: "c2", position: HOUR_ONE + SECOND }));
}

const xfade = (length: number, alignment: "CENTERED" | "PRE_CUT" | "POST_CUT" = "CENTERED") =>
  ({ type: "SetCrossfade", outgoingClipId: "c1", incomingClipId: "c2", length, shape: "EQUAL_POWER", alignment }) as const;

describe("SetFades", () => {
  it("sets, keeps and removes fades; the event carries the resulting pair", () => {
    const s = film(place(), {
      type: "SetFades",
      clipId: "c1",
      fadeIn: { length: 480, shape: "LINEAR" },
      fadeOut: { length: 960, shape: "S_CURVE" },
    });
    expect(findClip(s, "c1")).toMatchObject({ fadeIn: { length: 480, shape: "LINEAR" }, fadeOut: { length: 960, shape: "S_CURVE" } });
    const [event] = decide(s, { type: "SetFades", clipId: "c1", fadeIn: { length: 0, shape: "LINEAR" } });
    expect(event).toEqual({ type: "FadeSet", data: { clipId: "c1", fadeOut: { length: 960, shape: "FADE_SHAPE_S_CURVE" } } });
    const after = run(s, { type: "SetFades", clipId: "c1", fadeIn: { length: 0, shape: "LINEAR" } });
    expect(findClip(after, "c1")?.fadeIn).toBeUndefined();
    expect(findClip(after, "c1")?.fadeOut?.length).toBe(960);
    expect(decide(after, { type: "SetFades", clipId: "c1", fadeOut: { length: 960, shape: "S_CURVE" } })).toEqual([]);
  });

  it("rejects fades longer than the clip and empty commands", () => {
    const s = film(place({ fadeOut: { length: SECOND / 2, shape: "LINEAR" } }));
    expectError(() => decide(s, { type: "SetFades", clipId: "c1", fadeIn: { length: SECOND / 2 + 1, shape: "LINEAR" } }), {
      kind: "validation",
      reason: "fade-too-long",
      field: "fadeIn.length",
    });
    expect(decide(s, { type: "SetFades", clipId: "c1", fadeIn: { length: SECOND / 2, shape: "LINEAR" } })).toHaveLength(1);
    expectError(() => decide(s, { type: "SetFades", clipId: "c1" }), { kind: "validation", reason: "invalid-value" });
    expectError(() => decide(s, { type: "SetFades", clipId: "c1", fadeIn: { length: -5, shape: "LINEAR" } }), {
      kind: "validation",
      reason: "invalid-value",
      field: "fadeIn.length",
    });
  });
});

describe("SetCrossfade", () => {
  it("crossfades a cut, using both handles when centered", () => {
    const s = run(cut(), xfade(960));
    expect(s.crossfades.get("c1")).toEqual({
      trackId: "dx-1",
      outgoingClipId: "c1",
      incomingClipId: "c2",
      length: 960,
      shape: "EQUAL_POWER",
      alignment: "CENTERED",
    });
    expect(incomingCrossfade(s, "c2")?.outgoingClipId).toBe("c1");
    expect(decide(s, xfade(960))).toEqual([]);
    const removed = run(s, xfade(0));
    expect(removed.crossfades.size).toBe(0);
  });

  it("needs abutting clips on one track, enough handles, and no fades at the cut", () => {
    const gap = film(place(), place({ clipId: "c2", position: HOUR_ONE + SECOND + 1 }));
    expectError(() => decide(gap, xfade(10)), { kind: "illegal-state", reason: "not-adjacent", field: "incomingClipId" });
    // c2's head handle is one second: a pre-cut crossfade may use all of it, not more.
    const shortHead = film(
      place(),
      place({
        clipId: "c2",
        position: HOUR_ONE + SECOND,
        source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: 100, sourceLength: 4 * SECOND, channel: 1 },
      }),
    );
    expectError(() => decide(shortHead, xfade(101, "PRE_CUT")), { kind: "validation", reason: "insufficient-handles", field: "length" });
    expect(decide(shortHead, xfade(100, "PRE_CUT"))).toHaveLength(1);
    // No tail handle on c1: only a pre-cut crossfade works.
    const noTail = film(
      place({ source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: 0, sourceLength: SECOND, channel: 1 } }),
      place({ clipId: "c2", position: HOUR_ONE + SECOND }),
    );
    expectError(() => decide(noTail, xfade(10, "POST_CUT")), { kind: "validation", reason: "insufficient-handles" });
    expectError(() => decide(noTail, xfade(10, "CENTERED")), { kind: "validation", reason: "insufficient-handles" });
    const faded = run(cut(), { type: "SetFades", clipId: "c1", fadeOut: { length: 10, shape: "LINEAR" } });
    expectError(() => decide(faded, xfade(10)), { kind: "illegal-state", reason: "fade-conflict" });
    // With long handles, a crossfade longer than the clips beside the cut fails on fit, not on handles.
    const longSource = { mediaKey: TEST_MEDIA_KEY, sourceOffset: 5 * SECOND, sourceLength: 10 * SECOND, channel: 1 };
    const roomy = film(place({ source: longSource }), place({ clipId: "c2", position: HOUR_ONE + SECOND, source: longSource }));
    expectError(() => decide(roomy, xfade(2 * SECOND + 2)), { kind: "validation", reason: "fade-too-long" });
    expect(decide(roomy, xfade(2 * SECOND))).toHaveLength(1);
  });

  it("keeps a crossfaded edge free of fades", () => {
    const s = run(cut(), xfade(960));
    expectError(() => decide(s, { type: "SetFades", clipId: "c1", fadeOut: { length: 10, shape: "LINEAR" } }), {
      kind: "illegal-state",
      reason: "fade-conflict",
      field: "fadeOut",
    });
    expectError(() => decide(s, { type: "SetFades", clipId: "c2", fadeIn: { length: 10, shape: "LINEAR" } }), {
      kind: "illegal-state",
      reason: "fade-conflict",
    });
    // The crossfade's 480 samples inside c2 count against its fade out.
    expectError(() => decide(s, { type: "SetFades", clipId: "c2", fadeOut: { length: SECOND - 479, shape: "LINEAR" } }), {
      kind: "validation",
      reason: "fade-too-long",
    });
  });

  it("drops the crossfade when an edit breaks its cut, and moves it to the right part of a split", () => {
    const s = run(cut(), xfade(960));
    const moved = decide(s, { type: "MoveClip", clipId: "c2", position: HOUR_ONE + 5 * SECOND });
    expect(moved.map((e) => e.type)).toEqual(["CrossfadeSet", "ClipMoved"]);
    expect(moved[0]?.data).toMatchObject({ outgoingClipId: "c1", length: 0 });
    expect(run(s, { type: "MoveClip", clipId: "c2", position: HOUR_ONE + 5 * SECOND }).crossfades.size).toBe(0);
    // Trimming the far edge keeps the crossfade; trimming the edge at the cut drops it.
    expect(run(s, { type: "TrimClip", clipId: "c2", end: HOUR_ONE + 1.5 * SECOND }).crossfades.size).toBe(1);
    expect(run(s, { type: "TrimClip", clipId: "c1", end: HOUR_ONE + SECOND / 2 }).crossfades.size).toBe(0);
    expect(run(s, { type: "RemoveClip", clipId: "c1" }).crossfades.size).toBe(0);
    const split = run(s, { type: "SplitClip", clipId: "c1", position: HOUR_ONE + 1000, newClipId: "c1b" });
    expect(split.crossfades.get("c1b")).toMatchObject({ outgoingClipId: "c1b", incomingClipId: "c2" });
    expect(split.crossfades.has("c1")).toBe(false);
    expectError(() => decide(s, { type: "SplitClip", clipId: "c1", position: HOUR_ONE + SECOND - 100, newClipId: "x" }), {
      kind: "illegal-state",
      reason: "split-inside-fade",
    });
  });
});

describe("SetClipGain", () => {
  it("sets gain within -144..+24 dB", () => {
    const s = film(place(), { type: "SetClipGain", clipId: "c1", gainDb: -12.5 });
    expect(findClip(s, "c1")?.gainDb).toBe(-12.5);
    expect(decide(s, { type: "SetClipGain", clipId: "c1", gainDb: -12.5 })).toEqual([]);
    expect(decide(s, { type: "SetClipGain", clipId: "c1", gainDb: 24 })).toEqual([
      { type: "ClipGainSet", data: { clipId: "c1", gainDb: 24 } },
    ]);
    expectError(() => decide(s, { type: "SetClipGain", clipId: "c1", gainDb: -144.5 }), {
      kind: "validation",
      reason: "gain-out-of-range",
      field: "gainDb",
    });
    expectError(() => decide(s, { type: "SetClipGain", clipId: "c1", gainDb: Number.POSITIVE_INFINITY }), {
      kind: "validation",
      reason: "invalid-value",
    });
    expectError(() => decide(s, { type: "SetClipGain", clipId: "zz", gainDb: 0 }), { kind: "not-found", reason: "clip-not-found" });
  });
});
