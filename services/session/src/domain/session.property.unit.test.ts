import { describe, expect, it } from "vitest";
import { decideBatch } from "./decide-batch.ts";
import { SessionDomainError } from "./errors.ts";
import type { SessionEvent } from "./events.ts";
import { evolve, replay } from "./evolve.ts";
import type { SessionState } from "./model.ts";
import { createFilm } from "./test-fixtures.ts";
import { allClips, checkInvariants, prng, randomCommand, randomRenderCommand } from "./test-random-session.ts";

// Random command sequences against the real decide/evolve. Each batch either applies completely or is
// rejected with a domain error; after every step an independent checker verifies the timeline invariants,
// and at the end replaying the JSON-serialised events rebuilds the same state.

describe("random command sequences", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`keep the timeline invariants and replay to the same state (seed ${seed})`, () => {
      const r = prng(seed);
      // Render lifecycle commands come from their own stream, so the edit sequence draws as before.
      const renders = prng(seed + 1000);
      let n = 0;
      const counter = () => ++n;
      const first = decideBatch(undefined, [{ ...createFilm, template: "EPISODE" }]);
      let state = first.state!;
      const log: SessionEvent[] = [...first.events];
      const accepted = new Map<string, number>();
      const rejectedKinds = new Set<string>();
      for (let step = 0; step < 1000; step++) {
        const batch = Array.from({ length: r.int(1, 3) }, () =>
          renders.next() < 0.05 ? randomRenderCommand(renders, log.length) : randomCommand(r, state, counter),
        );
        const before = state;
        const snapshot = step % 50 === 0 ? structuredClone(state) : undefined;
        try {
          const result = decideBatch(state, batch, { version: log.length });
          state = result.state!;
          log.push(...result.events);
          for (const c of batch) accepted.set(c.type, (accepted.get(c.type) ?? 0) + 1);
        } catch (error) {
          // Only domain errors are acceptable rejections; anything else is a bug.
          if (!(error instanceof SessionDomainError)) throw error;
          rejectedKinds.add(error.kind);
        }
        // The draft behind decideBatch must never write into the state it started from.
        if (snapshot !== undefined) expect(before).toEqual(snapshot);
        checkInvariants(state);
      }
      for (const type of [
        "PlaceClip",
        "MoveClip",
        "TrimClip",
        "SplitClip",
        "RemoveClip",
        "SetFades",
        "SetCrossfade",
        "SetClipGain",
        "SetClipAutomation",
        "SetTrackMix",
        "SetTrackAutomation",
        "RegisterMedia",
        "RecordRenderStarted",
        "RecordRenderCompleted",
      ]) {
        expect(accepted.get(type) ?? 0, `${type} never succeeded`).toBeGreaterThan(0);
      }
      // The generator hits both kinds of rejection, so the invariants were tested against real refusals.
      expect(rejectedKinds.has("illegal-state") && rejectedKinds.has("validation")).toBe(true);
      expect(allClips(state).length).toBeGreaterThan(10);
      // The ingest-facing state was really exercised: multi-mono clips, automation kept through edits.
      expect(allClips(state).some((c) => c.source.channelSources !== undefined)).toBe(true);
      expect(allClips(state).some((c) => c.volume !== undefined)).toBe(true);
      expect(state.media.size).toBeGreaterThan(0);
      const tracks = [...state.tracks.values()];
      expect(tracks.some((t) => t.volumeAutomation !== undefined) && tracks.some((t) => t.panAutomation !== undefined)).toBe(true);
      // Event data is JSON: replaying the serialised log rebuilds the same state.
      const serialised = JSON.parse(JSON.stringify(log)) as SessionEvent[];
      expect(serialised).toEqual(log);
      expect(replay(serialised)).toEqual(state);
      // Event-at-a-time evolve (its own draft per event) agrees with the batched fold.
      expect(serialised.reduce<SessionState>((s, e) => evolve(s, e), undefined)).toEqual(state);
    });
  }
});
