import { describe, expect, it } from "vitest";
import { decide } from "./decide.ts";
import { clipSpec, expectError, film, HOUR_ONE, place, run, SECOND, TEST_MEDIA_KEY } from "./test-fixtures.ts";
import { findClip } from "./timeline.ts";

describe("PlaceClip", () => {
  it("places a clip with source, provenance and take, as proto JSON event data", () => {
    const spec = clipSpec({
      gainDb: -3,
      fadeIn: { length: 480, shape: "EQUAL_POWER" },
      provenance: { imported: { importId: "imp-1", fileName: "R1_turnover.aaf", mobId: "urn:smpte:umid:060a2b34" } },
      take: { scene: "12", take: "3", soundRoll: "SR004" },
    });
    const [event] = decide(film(), { type: "PlaceClip", clip: spec });
    expect(event).toEqual({
      type: "ClipPlaced",
      data: {
        clip: {
          ...spec,
          muted: false,
          fadeIn: { length: 480, shape: "FADE_SHAPE_EQUAL_POWER" },
        },
      },
    });
    const s = film({ type: "PlaceClip", clip: spec });
    expect(findClip(s, "c1")).toMatchObject({ trackId: "dx-1", gainDb: -3, fadeIn: { length: 480, shape: "EQUAL_POWER" }, muted: false });
  });

  it("allows abutting clips and rejects overlapping ones", () => {
    const s = film(place(), place({ clipId: "c2", position: HOUR_ONE + SECOND }));
    expect(s.tracks.get("dx-1")?.clips.size).toBe(2);
    expectError(() => decide(s, place({ clipId: "c3", position: HOUR_ONE + SECOND / 2 })), {
      kind: "illegal-state",
      reason: "clip-overlap",
      field: "clip.position",
      message: /overlap clip "c1"/,
    });
    // The same time on another track is fine.
    expect(decide(s, place({ clipId: "c3", trackId: "dx-2", position: HOUR_ONE + SECOND / 2 }))).toHaveLength(1);
  });

  it("rejects a clip running past its source media", () => {
    expectError(
      () =>
        decide(film(), place({ source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: 3.5 * SECOND, sourceLength: 4 * SECOND, channel: 1 } })),
      {
        kind: "validation",
        reason: "beyond-source",
        field: "clip.source.sourceOffset",
      },
    );
  });

  it("rejects malformed fields, naming each", () => {
    const s = film();
    const cases: Array<[Partial<Parameters<typeof clipSpec>[0]>, string, string]> = [
      [{ clipId: "" }, "clip.clipId", "invalid-value"],
      [{ name: "" }, "clip.name", "invalid-value"],
      [{ position: -1 }, "clip.position", "invalid-value"],
      [{ length: 0 }, "clip.length", "invalid-value"],
      [{ length: 10.5 }, "clip.length", "invalid-value"],
      [{ gainDb: -200 }, "clip.gainDb", "gain-out-of-range"],
      [{ gainDb: 30 }, "clip.gainDb", "gain-out-of-range"],
      [{ gainDb: Number.NaN }, "clip.gainDb", "invalid-value"],
      [{ source: { mediaKey: "", sourceOffset: 0, sourceLength: SECOND, channel: 1 } }, "clip.source.mediaKey", "invalid-value"],
      [
        { source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: 0, sourceLength: 4 * SECOND, channel: 0 } },
        "clip.source.channel",
        "invalid-value",
      ],
      [
        { source: { mediaKey: TEST_MEDIA_KEY, sourceOffset: -1, sourceLength: 4 * SECOND, channel: 1 } },
        "clip.source.sourceOffset",
        "invalid-value",
      ],
      [{ fadeIn: { length: 0, shape: "LINEAR" } }, "clip.fadeIn.length", "invalid-value"],
      [{ fadeIn: { length: 10, shape: "WOBBLY" as never } }, "clip.fadeIn.shape", "invalid-value"],
      [{ fadeIn: { length: SECOND, shape: "LINEAR" }, fadeOut: { length: 1, shape: "LINEAR" } }, "clip.fadeIn.length", "fade-too-long"],
      [{ provenance: {} as never }, "clip.provenance", "invalid-value"],
      [{ provenance: { spotted: { assetId: "" } } }, "clip.provenance.spotted.assetId", "invalid-value"],
    ];
    for (const [overrides, field, reason] of cases) {
      expectError(() => decide(s, place(overrides)), { kind: "validation", reason: reason as never, field });
    }
    expectError(() => decide(s, place({ trackId: "nope" })), { kind: "not-found", reason: "track-not-found", field: "clip.trackId" });
    expectError(() => decide(run(s, place()), place({ trackId: "dx-2" })), {
      kind: "already-exists",
      reason: "duplicate-id",
      field: "clip.clipId",
    });
  });
});

describe("MoveClip", () => {
  it("moves along the track and to another track of the same format", () => {
    const s = film(place(), { type: "MoveClip", clipId: "c1", position: HOUR_ONE + 10 * SECOND });
    expect(findClip(s, "c1")?.position).toBe(HOUR_ONE + 10 * SECOND);
    const moved = run(s, { type: "MoveClip", clipId: "c1", trackId: "fx-3", position: 0 });
    expect(findClip(moved, "c1")).toMatchObject({ trackId: "fx-3", position: 0 });
    expect(moved.tracks.get("dx-1")?.clips.size).toBe(0);
    expect(decide(moved, { type: "MoveClip", clipId: "c1", position: 0 })).toEqual([]);
  });

  it("rejects overlap, format mismatch and unknown ids", () => {
    const s = film(place(), place({ clipId: "c2", position: HOUR_ONE + 5 * SECOND }));
    expectError(() => decide(s, { type: "MoveClip", clipId: "c2", position: HOUR_ONE + SECOND - 1 }), {
      kind: "illegal-state",
      reason: "clip-overlap",
    });
    expectError(() => decide(s, { type: "MoveClip", clipId: "c1", trackId: "mx-1", position: 0 }), {
      kind: "illegal-state",
      reason: "channel-format-mismatch",
      field: "trackId",
    });
    expectError(() => decide(s, { type: "MoveClip", clipId: "zz", position: 0 }), {
      kind: "not-found",
      reason: "clip-not-found",
      field: "clipId",
    });
    expectError(() => decide(s, { type: "MoveClip", clipId: "c1", trackId: "zz", position: 0 }), {
      kind: "not-found",
      reason: "track-not-found",
      field: "trackId",
    });
  });
});

describe("TrimClip", () => {
  it("trims the start into the head handle keeping sync, and the end into the tail handle", () => {
    const s = film(place(), { type: "TrimClip", clipId: "c1", start: HOUR_ONE - SECOND / 2, end: HOUR_ONE + 2 * SECOND });
    expect(findClip(s, "c1")).toMatchObject({
      position: HOUR_ONE - SECOND / 2,
      length: 2.5 * SECOND,
      source: { sourceOffset: SECOND / 2, sourceLength: 4 * SECOND },
    });
    const shorter = run(s, { type: "TrimClip", clipId: "c1", start: HOUR_ONE });
    expect(findClip(shorter, "c1")).toMatchObject({ position: HOUR_ONE, length: 2 * SECOND, source: { sourceOffset: SECOND } });
  });

  it("refuses to trim beyond the handles", () => {
    const s = film(place());
    expectError(() => decide(s, { type: "TrimClip", clipId: "c1", start: HOUR_ONE - SECOND - 1 }), {
      kind: "validation",
      reason: "beyond-source",
      field: "start",
    });
    expect(decide(s, { type: "TrimClip", clipId: "c1", start: HOUR_ONE - SECOND })).toHaveLength(1);
    expectError(() => decide(s, { type: "TrimClip", clipId: "c1", end: HOUR_ONE + 3 * SECOND + 1 }), {
      kind: "validation",
      reason: "beyond-source",
      field: "end",
    });
    expect(decide(s, { type: "TrimClip", clipId: "c1", end: HOUR_ONE + 3 * SECOND })).toHaveLength(1);
  });

  it("rejects empty or inverted trims, trims into a neighbour and trims shorter than the fades", () => {
    const s = film(place({ fadeOut: { length: SECOND / 2, shape: "LINEAR" } }), place({ clipId: "c2", position: HOUR_ONE + 2 * SECOND }));
    expectError(() => decide(s, { type: "TrimClip", clipId: "c1" }), { kind: "validation", reason: "invalid-value", field: "start" });
    expectError(() => decide(s, { type: "TrimClip", clipId: "c1", start: HOUR_ONE + SECOND }), {
      kind: "validation",
      reason: "invalid-value",
      field: "end",
    });
    expectError(() => decide(s, { type: "TrimClip", clipId: "c1", end: HOUR_ONE + 2 * SECOND + 1 }), {
      kind: "illegal-state",
      reason: "clip-overlap",
    });
    expectError(() => decide(s, { type: "TrimClip", clipId: "c1", end: HOUR_ONE + SECOND / 4 }), {
      kind: "validation",
      reason: "fade-too-long",
      field: "end",
    });
    expect(decide(s, { type: "TrimClip", clipId: "c1", end: HOUR_ONE + SECOND })).toEqual([]);
  });
});

describe("SplitClip", () => {
  it("splits into a left part with the fade in and a right part with the fade out, keeping sync", () => {
    const s = film(place({ fadeIn: { length: 100, shape: "LINEAR" }, fadeOut: { length: 200, shape: "S_CURVE" }, gainDb: -6 }), {
      type: "SplitClip",
      clipId: "c1",
      position: HOUR_ONE + 1000,
      newClipId: "c1b",
    });
    const left = findClip(s, "c1");
    const right = findClip(s, "c1b");
    expect(left).toMatchObject({ position: HOUR_ONE, length: 1000, source: { sourceOffset: SECOND }, fadeIn: { length: 100 }, gainDb: -6 });
    expect(left?.fadeOut).toBeUndefined();
    expect(right).toMatchObject({
      trackId: "dx-1",
      position: HOUR_ONE + 1000,
      length: SECOND - 1000,
      source: { sourceOffset: SECOND + 1000 },
      fadeOut: { length: 200, shape: "S_CURVE" },
      gainDb: -6,
    });
    expect(right?.fadeIn).toBeUndefined();
  });

  it("rejects split points outside the clip or inside a fade, and a taken id", () => {
    const s = film(place({ fadeIn: { length: 100, shape: "LINEAR" } }), place({ clipId: "c2", position: 0 }));
    for (const position of [HOUR_ONE, HOUR_ONE + SECOND, HOUR_ONE - 1]) {
      expectError(() => decide(s, { type: "SplitClip", clipId: "c1", position, newClipId: "n" }), {
        kind: "validation",
        reason: "split-outside-clip",
        field: "position",
      });
    }
    expectError(() => decide(s, { type: "SplitClip", clipId: "c1", position: HOUR_ONE + 99, newClipId: "n" }), {
      kind: "illegal-state",
      reason: "split-inside-fade",
    });
    expectError(() => decide(s, { type: "SplitClip", clipId: "c1", position: HOUR_ONE + 500, newClipId: "c2" }), {
      kind: "already-exists",
      reason: "duplicate-id",
      field: "newClipId",
    });
  });
});

describe("RemoveClip", () => {
  it("removes a clip and rejects unknown ids", () => {
    const s = film(place(), { type: "RemoveClip", clipId: "c1" });
    expect(findClip(s, "c1")).toBeUndefined();
    expectError(() => decide(s, { type: "RemoveClip", clipId: "c1" }), { kind: "not-found", reason: "clip-not-found" });
  });
});
