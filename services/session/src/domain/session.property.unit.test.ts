import { describe, expect, it } from "vitest";
import { clipIndexOf } from "./clip-index.ts";
import type { SessionCommand } from "./commands.ts";
import { decideBatch } from "./decide-batch.ts";
import { SessionDomainError } from "./errors.ts";
import type { SessionEvent } from "./events.ts";
import { evolve, replay } from "./evolve.ts";
import {
  CHANNEL_FORMATS,
  type Clip,
  FADE_SHAPES,
  MAX_GAIN_DB,
  MIN_GAIN_DB,
  type Session,
  type SessionState,
  TRACK_TYPES,
} from "./model.ts";
import { createFilm } from "./test-fixtures.ts";

// Random command sequences against the real decide/evolve. Each batch either applies completely or is
// rejected with a domain error; after every step an independent checker verifies the timeline invariants,
// and at the end replaying the JSON-serialised events rebuilds the same state.

function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  return { next, int, pick };
}

function allClips(session: Session): Clip[] {
  return [...session.tracks.values()].flatMap((t) => [...t.clips.values()]);
}

// Plain checks (not expect) so thousands of steps stay fast; a failure names the broken invariant.
function check(condition: unknown, message: string): void {
  if (!condition) throw new Error(`invariant broken: ${message}`);
}

function checkInvariants(session: Session): void {
  const names = new Set<string>();
  const ids = new Set<string>();
  for (const track of session.tracks.values()) {
    check(!names.has(track.name), `duplicate track name ${track.name}`);
    names.add(track.name);
    const clips = [...track.clips.values()].sort((a, b) => a.position - b.position);
    clips.forEach((clip, i) => {
      const c = clip.clipId;
      check(!ids.has(c), `duplicate clip id ${c}`);
      ids.add(c);
      check(clip.trackId === track.trackId, `${c} is on ${track.trackId} but says ${clip.trackId}`);
      check(Number.isSafeInteger(clip.position) && clip.position >= 0, `${c} position ${clip.position}`);
      check(Number.isSafeInteger(clip.length) && clip.length >= 1, `${c} length ${clip.length}`);
      check(clip.source.sourceOffset >= 0, `${c} reads before its source`);
      check(clip.source.sourceOffset + clip.length <= clip.source.sourceLength, `${c} reads past its source`);
      check(clip.gainDb >= MIN_GAIN_DB && clip.gainDb <= MAX_GAIN_DB, `${c} gain ${clip.gainDb}`);
      const next = clips[i + 1];
      check(next === undefined || clip.position + clip.length <= next.position, `${c} overlaps ${next?.clipId}`);
    });
  }
  const index = clipIndexOf(session).toMap();
  check(index.size === ids.size, `clip index holds ${index.size} clips, tracks hold ${ids.size}`);
  for (const [clipId, trackId] of index) check(session.tracks.get(trackId)?.clips.has(clipId), `clip index: ${clipId} not on ${trackId}`);
  const head = new Map<string, number>();
  const tail = new Map<string, number>();
  for (const [key, x] of session.crossfades) {
    check(key === x.outgoingClipId, `crossfade keyed ${key} leaves ${x.outgoingClipId}`);
    const out = session.tracks.get(x.trackId)?.clips.get(x.outgoingClipId);
    const inc = session.tracks.get(x.trackId)?.clips.get(x.incomingClipId);
    if (!out || !inc) throw new Error(`invariant broken: crossfade ${key} refers to missing clips`);
    check(out.position + out.length === inc.position, `crossfade ${key} is not on a cut`);
    const pre = x.alignment === "PRE_CUT" ? x.length : x.alignment === "POST_CUT" ? 0 : Math.floor(x.length / 2);
    const post = x.length - pre;
    check(post <= out.source.sourceLength - out.source.sourceOffset - out.length, `crossfade ${key} exceeds the tail handle`);
    check(pre <= inc.source.sourceOffset, `crossfade ${key} exceeds the head handle`);
    check(out.fadeOut === undefined && inc.fadeIn === undefined, `crossfade ${key} shares an edge with a fade`);
    check(!head.has(inc.clipId), `two crossfades into ${inc.clipId}`);
    tail.set(out.clipId, pre);
    head.set(inc.clipId, post);
  }
  for (const clip of allClips(session)) {
    const used = (head.get(clip.clipId) ?? clip.fadeIn?.length ?? 0) + (tail.get(clip.clipId) ?? clip.fadeOut?.length ?? 0);
    check(used <= clip.length, `fades overflow clip ${clip.clipId}`);
  }
}

function randomCommand(r: ReturnType<typeof prng>, session: Session, counter: () => number): SessionCommand {
  const tracks = [...session.tracks.values()].slice(0, 4).concat([...session.tracks.values()].slice(-2));
  const clips = allClips(session);
  const clip = clips.length > 0 ? r.pick(clips) : undefined;
  const unit = 1000;
  const roll = r.int(0, 99);
  const clipId = clip?.clipId ?? "missing";
  if (roll < 30 || clip === undefined) {
    const track = r.pick(tracks);
    const length = r.int(1, 20) * unit;
    const offset = r.int(0, 5) * unit;
    // Often place right after an existing clip, so cuts (and crossfades) happen.
    const neighbour = [...track.clips.values()].at(-1);
    const position = neighbour !== undefined && r.next() < 0.5 ? neighbour.position + neighbour.length : r.int(0, 200) * unit;
    return {
      type: "PlaceClip",
      clip: {
        clipId: `c${counter()}`,
        trackId: track.trackId,
        name: "clip",
        position,
        length,
        source: { mediaKey: "m", sourceOffset: offset, sourceLength: offset + length + r.int(0, 5) * unit, channel: 1 },
        ...(r.next() < 0.2 && { fadeIn: { length: r.int(1, 8) * 500, shape: r.pick(FADE_SHAPES) } }),
      },
    };
  }
  if (roll < 38)
    return { type: "MoveClip", clipId, position: r.int(0, 200) * unit, ...(r.next() < 0.4 && { trackId: r.pick(tracks).trackId }) };
  if (roll < 48) {
    const start = clip.position + r.int(-3, 3) * 500;
    const end = clip.position + clip.length + r.int(-3, 3) * 500;
    const which = r.int(0, 2);
    return { type: "TrimClip", clipId, ...(which !== 1 && { start }), ...(which !== 0 && { end }) };
  }
  if (roll < 56)
    return { type: "SplitClip", clipId, position: clip.position + r.int(-1, clip.length / 500 + 1) * 500, newClipId: `c${counter()}` };
  if (roll < 61) return { type: "RemoveClip", clipId };
  if (roll < 70) {
    const fade = () => (r.next() < 0.5 ? undefined : { length: r.int(0, 6) * 500, shape: r.pick(FADE_SHAPES) });
    return { type: "SetFades", clipId, ...{ fadeIn: fade(), fadeOut: fade() } } as SessionCommand;
  }
  if (roll < 82) {
    const track = session.tracks.get(clip.trackId)!;
    const after = [...track.clips.values()].find((c) => c.position === clip.position + clip.length);
    return {
      type: "SetCrossfade",
      outgoingClipId: clipId,
      incomingClipId: after?.clipId ?? r.pick(clips).clipId,
      length: r.int(0, 6) * 400,
      shape: r.pick(FADE_SHAPES),
      alignment: r.pick(["CENTERED", "PRE_CUT", "POST_CUT"] as const),
    };
  }
  if (roll < 88) return { type: "SetClipGain", clipId, gainDb: r.int(-150, 30) };
  if (roll < 92)
    return { type: "RenameTrack", trackId: r.pick(tracks).trackId, name: r.pick(["DX 1", "DX 2", "Dialogue", "FX A", "Spare"]) };
  if (roll < 95) {
    return {
      type: "AddTrack",
      trackId: `t${counter()}`,
      name: `Track ${r.int(0, 5)}`,
      trackType: r.pick(TRACK_TYPES),
      channelFormat: r.pick(CHANNEL_FORMATS),
    };
  }
  if (roll < 97) return { type: "RemoveTrack", trackId: r.pick(tracks).trackId };
  return { type: "AddMarker", markerId: `m${counter()}`, position: r.int(-1, 200) * unit, name: "marker" };
}

describe("random command sequences", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`keep the timeline invariants and replay to the same state (seed ${seed})`, () => {
      const r = prng(seed);
      let n = 0;
      const counter = () => ++n;
      const first = decideBatch(undefined, [{ ...createFilm, template: "EPISODE" }]);
      let state = first.state!;
      const log: SessionEvent[] = [...first.events];
      const accepted = new Map<string, number>();
      const rejectedKinds = new Set<string>();
      for (let step = 0; step < 1000; step++) {
        const batch = Array.from({ length: r.int(1, 3) }, () => randomCommand(r, state, counter));
        const before = state;
        const snapshot = step % 50 === 0 ? structuredClone(state) : undefined;
        try {
          const result = decideBatch(state, batch);
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
      for (const type of ["PlaceClip", "MoveClip", "TrimClip", "SplitClip", "RemoveClip", "SetFades", "SetCrossfade", "SetClipGain"]) {
        expect(accepted.get(type) ?? 0, `${type} never succeeded`).toBeGreaterThan(0);
      }
      // The generator hits both kinds of rejection, so the invariants were tested against real refusals.
      expect(rejectedKinds.has("illegal-state") && rejectedKinds.has("validation")).toBe(true);
      expect(allClips(state).length).toBeGreaterThan(10);
      // Event data is JSON: replaying the serialised log rebuilds the same state.
      const serialised = JSON.parse(JSON.stringify(log)) as SessionEvent[];
      expect(serialised).toEqual(log);
      expect(replay(serialised)).toEqual(state);
      // Event-at-a-time evolve (its own draft per event) agrees with the batched fold.
      expect(serialised.reduce<SessionState>((s, e) => evolve(s, e), undefined)).toEqual(state);
    });
  }
});
