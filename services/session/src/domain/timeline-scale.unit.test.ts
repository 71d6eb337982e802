import { describe, expect, it, vi } from "vitest";
import type { SessionCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { decideBatch } from "./decide-batch.ts";
import type { Session } from "./model.ts";
import { film, HOUR_ONE, place, SECOND } from "./test-fixtures.ts";
import { clipsInOrder, findClip, incomingCrossfade, overlappingClip } from "./timeline.ts";
import { timelineIndexCounters } from "./timeline-index.ts";

// The checks stay O(log n) on a feature-reel track: counted in timeline-index nodes visited, not timed.
// A scan of the track (the code before the index) examines all 50,000 clips for every check.

const N = 50_000;
const LOG2_N = Math.log2(N);
const LENGTH = SECOND / 10;

function visits(fn: () => unknown): number {
  const before = timelineIndexCounters.visits;
  fn();
  return timelineIndexCounters.visits - before;
}

describe("a track of 50,000 clips", () => {
  // Placed in one batch in a scrambled order (so the tree is built by real inserts, not appends).
  const order = Array.from({ length: N }, (_, i) => (i * 7919) % N);
  const commands: SessionCommand[] = order.map((i) => place({ clipId: `c${i}`, position: HOUR_ONE + i * LENGTH, length: LENGTH }));
  let session: Session;
  const placing = visits(() => {
    session = decideBatch(film(), commands).state as Session;
  });
  const track = () => session.tracks.get("dx-1")!;

  it("places them all in O(n log n) node visits", () => {
    expect(track().clips.size).toBe(N);
    expect(placing).toBeGreaterThan(N);
    expect(placing).toBeLessThan(8 * N * LOG2_N);
  });

  it("answers one overlap check in O(log n) node visits", () => {
    const middle = HOUR_ONE + (N / 2) * LENGTH;
    let found: unknown;
    const hit = visits(() => {
      found = overlappingClip(track(), middle + LENGTH / 2, LENGTH);
    });
    expect(found).toMatchObject({ clipId: `c${N / 2}` });
    const miss = visits(() => {
      found = overlappingClip(track(), HOUR_ONE + N * LENGTH, LENGTH);
    });
    expect(found).toBeUndefined();
    for (const count of [hit, miss]) {
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(4 * LOG2_N);
    }
  });

  it("decides a placement, a trim and a move each in O(log n) node visits", () => {
    const checks: Array<[string, () => unknown]> = [
      ["place", () => decide(session, place({ clipId: "new", position: HOUR_ONE + N * LENGTH, length: LENGTH }))],
      [
        "refused place",
        () => expect(() => decide(session, place({ clipId: "new", position: HOUR_ONE, length: LENGTH }))).toThrow(/overlap/),
      ],
      ["trim", () => decide(session, { type: "TrimClip", clipId: `c${N - 1}`, end: HOUR_ONE + (N + 1) * LENGTH })],
      ["move", () => decideBatch(session, [{ type: "MoveClip", clipId: `c${N - 1}`, position: HOUR_ONE + 2 * N * LENGTH }])],
      ["placement in a batch", () => decideBatch(session, [place({ clipId: "new", position: HOUR_ONE + N * LENGTH, length: LENGTH })])],
    ];
    for (const [name, check] of checks) {
      const count = visits(check);
      expect(count, name).toBeGreaterThan(0);
      expect(count, name).toBeLessThanOrEqual(8 * LOG2_N);
    }
  });

  it("moves every clip in one 50,000-move ripple in O(n log n) node visits", () => {
    const ripple: SessionCommand[] = Array.from({ length: N }, (_, i) => ({
      type: "MoveClip",
      clipId: `c${i}`,
      position: HOUR_ONE + (i + 1) * LENGTH,
    }));
    let moved: Session | undefined;
    const count = visits(() => {
      moved = decideBatch(session, ripple).state;
    });
    expect(count).toBeLessThan(12 * N * LOG2_N);
    expect(findClip(moved!, "c0")?.position).toBe(HOUR_ONE + LENGTH);
    expect(clipsInOrder(moved!.tracks.get("dx-1")!).map((c) => c.clipId)).toEqual(Array.from({ length: N }, (_, i) => `c${i}`));
    // The input state is untouched: its own index still answers for the old positions.
    expect(overlappingClip(track(), HOUR_ONE, 1)).toMatchObject({ clipId: "c0" });
  });

  it("lists the clips in timeline order without sorting", () => {
    const sort = vi.spyOn(Array.prototype, "sort");
    try {
      const clips = clipsInOrder(track());
      expect(clips.map((c) => c.position)).toEqual(Array.from({ length: N }, (_, i) => HOUR_ONE + i * LENGTH));
      expect(sort).not.toHaveBeenCalled();
    } finally {
      sort.mockRestore();
    }
  });
});

describe("the crossfade at a clip's start", () => {
  it("is found without scanning the session's crossfades", () => {
    const n = 2000;
    const clips = Array.from({ length: n }, (_, i) => place({ clipId: `x${i}`, position: HOUR_ONE + i * SECOND }));
    const crossfades: SessionCommand[] = Array.from({ length: n - 1 }, (_, i) => ({
      type: "SetCrossfade",
      outgoingClipId: `x${i}`,
      incomingClipId: `x${i + 1}`,
      length: 480,
      shape: "LINEAR",
      alignment: "CENTERED",
    }));
    const session = film(...clips, ...crossfades);
    expect(session.crossfades.size).toBe(n - 1);
    const map = session.crossfades as Map<string, unknown>;
    const scans = [vi.spyOn(map, "values"), vi.spyOn(map, "entries"), vi.spyOn(map, "forEach"), vi.spyOn(map, Symbol.iterator)];
    try {
      for (let i = 1; i < n; i++) expect(incomingCrossfade(session, `x${i}`)?.outgoingClipId).toBe(`x${i - 1}`);
      expect(incomingCrossfade(session, "x0")).toBeUndefined();
      for (const scan of scans) expect(scan).not.toHaveBeenCalled();
    } finally {
      for (const scan of scans) scan.mockRestore();
    }
  });
});
