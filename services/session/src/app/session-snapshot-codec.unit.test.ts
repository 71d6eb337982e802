import { randomUUID } from "node:crypto";
import { createInMemoryEventLog, createInMemorySnapshotStore } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { decideBatch } from "../domain/decide-batch.ts";
import { SessionDomainError } from "../domain/errors.ts";
import { replay } from "../domain/evolve.ts";
import type { SessionCommand, SessionEvent, SessionState } from "../domain/index.ts";
import { createFilm } from "../domain/test-fixtures.ts";
import { checkInvariants, prng, randomCommand, randomIngestCommand, randomRenderCommand } from "../domain/test-random-session.ts";
import { loadSession } from "./load-session.ts";
import {
  SESSION_SNAPSHOT_SCHEMA_VERSION,
  type SessionSnapshotState,
  sessionFromSnapshot,
  sessionToSnapshot,
} from "./session-snapshot-codec.ts";

// A snapshot must be the state: restoring one (through JSON, as the snapshot store keeps it) gives a state
// equal to the replay of every event from the start, the tail folded onto it equals the full replay (how
// a read loads a session), and every later decision on it (which reads the indexes rebuilt beside it)
// comes out the same. Checked after every step of the property test's random sessions, crossfades and
// markers included.

function roundTrip(state: SessionState): SessionState {
  return sessionFromSnapshot(JSON.parse(JSON.stringify(sessionToSnapshot(state))) as SessionSnapshotState);
}

type Outcome = { events: unknown; state: SessionState } | { error: string; kind: string; field: string; commandIndex: number | undefined };

function outcome(state: SessionState, batch: readonly SessionCommand[], version?: number): Outcome {
  try {
    const { events, state: after } = decideBatch(state, batch, version === undefined ? {} : { version });
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
      const seen = { crossfades: 0, markers: 0, refused: 0, media: 0, automated: 0, mixed: 0, multiMono: 0, laned: 0 };
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
        seen.laned = Math.max(
          seen.laned,
          [...state.tracks.values()].filter((t) => t.volumeAutomation !== undefined || t.panAutomation !== undefined).length,
        );
      }
      // The sessions really held what the snapshot must carry.
      expect(seen.crossfades).toBeGreaterThan(0);
      expect(seen.markers).toBeGreaterThan(0);
      expect(seen.refused).toBeGreaterThan(0);
      for (const key of ["media", "automated", "mixed", "multiMono", "laned"] as const) expect(seen[key], key).toBeGreaterThan(0);
    });
  }
});

describe("ingest jobs in snapshots", () => {
  it("restore the jobs of random ingest lifecycles, equal to the replay, with the same later decisions", () => {
    const r = prng(7);
    let n = 0;
    const counter = () => ++n;
    const created = decideBatch(undefined, [
      { ...createFilm, template: "EMPTY" },
      { type: "AddTrack", trackId: "a1", name: "A1", trackType: "DX", channelFormat: "MONO" },
    ]);
    let state = created.state!;
    const history: SessionEvent[] = [...created.events];
    const statuses = new Set<string>();
    for (let step = 0; step < 300; step++) {
      const restored = roundTrip(state);
      expect(restored).toStrictEqual(state);
      expect(restored).toStrictEqual(replay(history));
      expect([...restored!.ingests.keys()]).toEqual([...state.ingests.keys()]);
      const batch = Array.from({ length: r.int(1, 3) }, () => (r.next() < 0.6 ? randomIngestCommand(r) : randomCommand(r, state, counter)));
      const live = outcome(state, batch);
      expect(outcome(restored, batch)).toStrictEqual(live);
      if ("state" in live) {
        state = live.state!;
        history.push(...(live.events as SessionEvent[]));
      }
      for (const job of state.ingests.values()) statuses.add(job.status);
    }
    expect([...statuses].sort()).toEqual(["completed", "failed", "running"]);
  });

  it("load a version-2 snapshot (before ingests) as a state with no ingest jobs", async () => {
    const log = createInMemoryEventLog();
    const snapshots = createInMemorySnapshotStore();
    const { events, state } = decideBatch(undefined, [createFilm, { type: "AddMarker", markerId: "m1", position: 0, name: "FFOA" }]);
    const metadata = { correlationId: "c", causationId: "r", actor: { userId: "sue", role: "supervising_sound_editor" as const } };
    await log.append(
      "session-reel-1",
      events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata })),
      { expectedVersion: "no-stream" },
    );
    const { ingests: _none, ...v2 } = sessionToSnapshot(state).session!;
    await snapshots.save({ streamId: "session-reel-1", version: 2, state: { session: v2 }, schemaVersion: 2 });

    const loaded = await loadSession(log, snapshots, "reel-1");
    expect(loaded).toMatchObject({ version: 2, snapshotVersion: 2 });
    expect(loaded.state?.ingests).toEqual(new Map());
    expect(loaded.state).toStrictEqual(state);

    // Once a current-shape snapshot exists, it is the one read.
    await snapshots.save({
      streamId: "session-reel-1",
      version: 2,
      state: sessionToSnapshot(state),
      schemaVersion: SESSION_SNAPSHOT_SCHEMA_VERSION,
    });
    expect(await snapshots.load("session-reel-1", { schemaVersion: 2 })).toBeUndefined();
    expect((await loadSession(log, snapshots, "reel-1")).snapshotVersion).toBe(2);
  });
});

describe("track automation in snapshots", () => {
  const metadata = { correlationId: "c", causationId: "r", actor: { userId: "sue", role: "supervising_sound_editor" as const } };
  const stored = (events: readonly SessionEvent[]) => events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata }));

  it("round-trip both lanes through JSON", () => {
    const { state } = decideBatch(undefined, [
      createFilm,
      {
        type: "SetTrackAutomation",
        trackId: "dx-1",
        lane: "VOLUME",
        points: [
          { position: 0, value: -6.5 },
          { position: 480, value: 3 },
        ],
      },
      { type: "SetTrackAutomation", trackId: "fx-2", lane: "PAN", points: [{ position: 172_800_000, value: -0.75 }] },
    ]);
    const restored = roundTrip(state);
    expect(restored).toStrictEqual(state);
    expect(restored?.tracks.get("dx-1")?.volumeAutomation).toEqual([
      { position: 0, value: -6.5 },
      { position: 480, value: 3 },
    ]);
    expect(restored?.tracks.get("fx-2")?.panAutomation).toEqual([{ position: 172_800_000, value: -0.75 }]);
    expect(restored?.tracks.get("dx-2")).not.toHaveProperty("volumeAutomation");
  });

  it("load a version-3 snapshot (before track automation), then fold a lane recorded after it", async () => {
    const log = createInMemoryEventLog();
    const snapshots = createInMemorySnapshotStore();
    const first = decideBatch(undefined, [
      { ...createFilm, template: "EMPTY" },
      { type: "AddTrack", trackId: "a1", name: "A1", trackType: "DX", channelFormat: "MONO", mix: { volumeDb: -3 } },
    ]);
    await log.append("session-reel-1", stored(first.events), { expectedVersion: "no-stream" });
    // Literally what the version-3 codec wrote: tracks with their mix and clips, no lane fields.
    const v3 = {
      session: {
        sessionId: "reel-1",
        name: "Reel 1",
        template: "EMPTY",
        frameRate: "24",
        sampleRate: 48_000,
        startTimecode: "01:00:00:00",
        tracks: [
          {
            trackId: "a1",
            name: "A1",
            trackType: "DX",
            channelFormat: "MONO",
            mix: { volumeDb: -3, pan: 0, muted: false, solo: false },
            clips: [],
          },
        ],
        crossfades: [],
        markers: [],
        media: [],
        ingests: [],
      },
    };
    await snapshots.save({ streamId: "session-reel-1", version: 2, state: v3, schemaVersion: 3 });
    expect(sessionFromSnapshot(v3 as unknown as SessionSnapshotState)).toStrictEqual(first.state);

    const lane = decideBatch(first.state, [
      { type: "SetTrackAutomation", trackId: "a1", lane: "VOLUME", points: [{ position: 0, value: -10 }] },
    ]);
    await log.append("session-reel-1", stored(lane.events), { expectedVersion: { exact: 2 } });
    const loaded = await loadSession(log, snapshots, "reel-1");
    expect(loaded).toMatchObject({ version: 3, snapshotVersion: 2 });
    expect(loaded.state).toStrictEqual(lane.state);
    expect(loaded.state?.tracks.get("a1")?.volumeAutomation).toEqual([{ position: 0, value: -10 }]);
    expect(loaded.state).toStrictEqual(replay([...first.events, ...lane.events]));
  });
});

describe("renders in snapshots", () => {
  const metadata = { correlationId: "c", causationId: "r", actor: { userId: "sue", role: "supervising_sound_editor" as const } };
  const stored = (events: readonly SessionEvent[]) => events.map((e) => ({ id: randomUUID(), type: e.type, data: e.data, metadata }));

  it("restore the renders of random lifecycles, equal to the replay, with the same later decisions", () => {
    const r = prng(11);
    let n = 0;
    const counter = () => ++n;
    const created = decideBatch(undefined, [
      { ...createFilm, template: "EMPTY" },
      { type: "AddTrack", trackId: "a1", name: "A1", trackType: "DX", channelFormat: "MONO" },
    ]);
    let state = created.state!;
    const history: SessionEvent[] = [...created.events];
    const statuses = new Set<string>();
    let withProgress = 0;
    for (let step = 0; step < 300; step++) {
      const restored = roundTrip(state);
      expect(restored).toStrictEqual(state);
      expect(restored).toStrictEqual(replay(history));
      expect([...restored!.renders.keys()]).toEqual([...state.renders.keys()]);
      const version = history.length;
      const batch = Array.from({ length: r.int(1, 3) }, () =>
        r.next() < 0.7 ? randomRenderCommand(r, version) : randomCommand(r, state, counter),
      );
      const live = outcome(state, batch, version);
      expect(outcome(restored, batch, version)).toStrictEqual(live);
      if ("state" in live) {
        state = live.state!;
        history.push(...(live.events as SessionEvent[]));
      }
      for (const render of state.renders.values()) statuses.add(render.status);
      withProgress = Math.max(withProgress, [...state.renders.values()].filter((x) => x.progress?.stem !== undefined).length);
    }
    expect([...statuses].sort()).toEqual(["completed", "failed", "running"]);
    expect(withProgress).toBeGreaterThan(0);
  });

  it("load a version-4 snapshot (before renders) as a state with no renders, then fold a render recorded after it", async () => {
    const log = createInMemoryEventLog();
    const snapshots = createInMemorySnapshotStore();
    const first = decideBatch<SessionCommand>(undefined, [
      { ...createFilm, template: "EMPTY" },
      { type: "AddTrack", trackId: "a1", name: "A1", trackType: "DX", channelFormat: "MONO" },
      { type: "SetTrackAutomation", trackId: "a1", lane: "PAN", points: [{ position: 0, value: 0.5 }] },
      { type: "RecordIngestStarted", jobId: "job-1", fileName: "R1.aaf", format: "aaf", sourceKey: "uploads/job-1" },
    ]);
    await log.append("session-reel-1", stored(first.events), { expectedVersion: "no-stream" });
    // Literally what the version-4 codec wrote: lanes and ingest jobs, no renders field.
    const v4 = {
      session: {
        sessionId: "reel-1",
        name: "Reel 1",
        template: "EMPTY",
        frameRate: "24",
        sampleRate: 48_000,
        startTimecode: "01:00:00:00",
        tracks: [
          {
            trackId: "a1",
            name: "A1",
            trackType: "DX",
            channelFormat: "MONO",
            mix: { volumeDb: 0, pan: 0, muted: false, solo: false },
            panAutomation: [{ position: 0, value: 0.5 }],
            clips: [],
          },
        ],
        crossfades: [],
        markers: [],
        media: [],
        ingests: [{ jobId: "job-1", fileName: "R1.aaf", format: "aaf", sourceKey: "uploads/job-1", status: "running" }],
      },
    };
    await snapshots.save({ streamId: "session-reel-1", version: 4, state: v4, schemaVersion: 4 });
    const decoded = sessionFromSnapshot(v4 as unknown as SessionSnapshotState);
    expect(decoded).toStrictEqual(first.state);
    expect(decoded?.renders).toEqual(new Map());

    const render = decideBatch(
      first.state,
      [
        {
          type: "RecordRenderStarted",
          renderId: "render-1",
          sessionVersion: 4,
          profileId: "netflix",
          planHash: "sha256:00",
          deliverables: ["printmaster 5.1"],
          chunks: 3,
        },
        { type: "RecordRenderProgress", renderId: "render-1", done: 1, total: 3, stem: "DX" },
      ],
      { version: 4 },
    );
    await log.append("session-reel-1", stored(render.events), { expectedVersion: { exact: 4 } });
    const loaded = await loadSession(log, snapshots, "reel-1");
    expect(loaded).toMatchObject({ version: 6, snapshotVersion: 4 });
    expect(loaded.state).toStrictEqual(render.state);
    expect(loaded.state?.renders.get("render-1")).toMatchObject({ status: "running", progress: { done: 1, total: 3, stem: "DX" } });
    expect(loaded.state).toStrictEqual(replay([...first.events, ...render.events]));

    // A version-5 snapshot, once there is one, is preferred over the older shape.
    await snapshots.save({ streamId: "session-reel-1", version: 6, state: sessionToSnapshot(render.state), schemaVersion: 5 });
    expect(SESSION_SNAPSHOT_SCHEMA_VERSION).toBe(5);
    const again = await loadSession(log, snapshots, "reel-1");
    expect(again).toMatchObject({ version: 6, snapshotVersion: 6 });
    expect(again.state).toStrictEqual(render.state);
  });
});
