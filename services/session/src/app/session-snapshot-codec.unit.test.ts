import { describe, expect, it } from "vitest";
import { decideBatch } from "../domain/decide-batch.ts";
import { SessionDomainError } from "../domain/errors.ts";
import { replay } from "../domain/evolve.ts";
import type { SessionCommand, SessionEvent, SessionState } from "../domain/index.ts";
import { createFilm } from "../domain/test-fixtures.ts";
import { checkInvariants, prng, randomCommand } from "../domain/test-random-session.ts";
import { type SessionSnapshotState, sessionFromSnapshot, sessionToSnapshot } from "./session-snapshot-codec.ts";

// A snapshot must be the state: restoring one (through JSON, as the snapshot store keeps it) gives a state
// equal to the replay of every event from the start, the tail folded onto it equals the full replay (how
// a read loads a session), and every later decision on it (which reads the indexes rebuilt beside it)
// comes out the same. Checked after every step of the property test's random sessions, crossfades and
// markers included.

function roundTrip(state: SessionState): SessionState {
  return sessionFromSnapshot(JSON.parse(JSON.stringify(sessionToSnapshot(state))) as SessionSnapshotState);
}

type Outcome = { events: unknown; state: SessionState } | { error: string; kind: string; field: string; commandIndex: number | undefined };

function outcome(state: SessionState, batch: readonly SessionCommand[]): Outcome {
  try {
    const { events, state: after } = decideBatch(state, batch);
    return { events, state: after };
  } catch (error) {
    if (!(error instanceof SessionDomainError)) throw error;
    return { error: error.message, kind: error.kind, field: error.field, commandIndex: error.commandIndex };
  }
}

describe("session snapshots over random sessions", () => {
  it("round-trip no session", () => {
    expect(roundTrip(undefined)).toBeUndefined();
  });

  for (const seed of [1, 2, 3]) {
    it(`restore a state equal to the replay after every step, on which decisions behave the same (seed ${seed})`, () => {
      const r = prng(seed);
      let n = 0;
      const counter = () => ++n;
      const created = decideBatch(undefined, [{ ...createFilm, template: "EPISODE" }]);
      let state = created.state!;
      const history: SessionEvent[] = [...created.events];
      // A snapshot taken every 50 steps; the events since it are the tail a read folds onto it.
      let snapshot = roundTrip(state);
      let tail: SessionEvent[] = [];
      const seen = { crossfades: 0, markers: 0, refused: 0, media: 0, automated: 0, mixed: 0, multiMono: 0 };
      for (let step = 0; step < 400; step++) {
        const restored = roundTrip(state);
        expect(restored).toStrictEqual(state);
        expect(restored).toStrictEqual(replay(history));
        expect(replay(tail, snapshot)).toStrictEqual(restored);
        if (step % 50 === 0) [snapshot, tail] = [restored, []];
        // Map equality ignores order; display order of tracks and the order of markers are part of the state.
        expect([...restored!.tracks.keys()]).toEqual([...state.tracks.keys()]);
        expect([...restored!.markers.keys()]).toEqual([...state.markers.keys()]);
        checkInvariants(restored!);
        const batch = Array.from({ length: r.int(1, 3) }, () => randomCommand(r, state, counter));
        const live = outcome(state, batch);
        expect(outcome(restored, batch)).toStrictEqual(live);
        if ("state" in live) {
          state = live.state!;
          history.push(...(live.events as SessionEvent[]));
          tail.push(...(live.events as SessionEvent[]));
        } else seen.refused++;
        seen.crossfades = Math.max(seen.crossfades, state.crossfades.size);
        seen.markers = Math.max(seen.markers, state.markers.size);
        seen.media = Math.max(seen.media, state.media.size);
        const clips = [...state.tracks.values()].flatMap((t) => [...t.clips.values()]);
        seen.automated = Math.max(seen.automated, clips.filter((c) => c.volume !== undefined).length);
        seen.multiMono = Math.max(seen.multiMono, clips.filter((c) => c.source.channelSources !== undefined).length);
        seen.mixed = Math.max(seen.mixed, [...state.tracks.values()].filter((t) => t.mix.volumeDb !== 0 || t.mix.pan !== 0).length);
      }
      // The sessions really held what the snapshot must carry.
      expect(seen.crossfades).toBeGreaterThan(0);
      expect(seen.markers).toBeGreaterThan(0);
      expect(seen.refused).toBeGreaterThan(0);
      for (const key of ["media", "automated", "mixed", "multiMono"] as const) expect(seen[key], key).toBeGreaterThan(0);
    });
  }
});
