import type { Role } from "@dubstage/auth";
import { createInMemoryEventLog, createInMemorySnapshotStore, type EventLog, isErrorKind } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import type { ClipSpec, EditCommand } from "../domain/index.ts";
import { mediaKeyFor } from "../domain/test-fixtures.ts";
import { CommandForbiddenError } from "./errors.ts";
import { loadSession } from "./load-session.ts";
import type { RequestContext } from "./request-context.ts";
import { createSessionChangeFeed } from "./session-change-feed.ts";
import { sessionFromSnapshot, sessionToSnapshot } from "./session-snapshot-codec.ts";
import { createSessionUseCases } from "./session-use-cases.ts";

const S = 48_000;
const HOUR = 3600 * S;

function context(role: Role, userId: string = role): RequestContext {
  return {
    actor: { userId, role },
    correlationId: "corr-1",
    causationId: "req-1",
    trace: { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" },
  };
}

function place(clipId: string, trackId: string, position: number, extra: Partial<ClipSpec> = {}): EditCommand {
  return {
    type: "PlaceClip",
    clip: {
      clipId,
      trackId,
      name: clipId,
      position,
      length: 2 * S,
      source: { mediaKey: mediaKeyFor(clipId), sourceOffset: 0, sourceLength: 4 * S, channel: 1 },
      ...extra,
    },
  };
}

async function setup(
  options: { snapshotEvery?: number; log?: EventLog; onDiagnostic?: (message: string, details: Record<string, unknown>) => void } = {},
) {
  const log = options.log ?? createInMemoryEventLog();
  const snapshots = createInMemorySnapshotStore();
  const changes = createSessionChangeFeed();
  let n = 0;
  const useCases = createSessionUseCases({
    log,
    snapshots,
    changes,
    readModel: { list: async () => ({ sessions: [], nextCursor: undefined }) },
    newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, "0")}`,
    ...(options.snapshotEvery !== undefined && { snapshotEvery: options.snapshotEvery }),
    ...(options.onDiagnostic && { onDiagnostic: options.onDiagnostic }),
  });
  await useCases.createSession(
    { sessionId: "s1", name: "Reel 1", template: "FILM", frameRate: "24", sampleRate: 48_000, startTimecode: "01:00:00:00" },
    context("supervising_sound_editor", "sue"),
  );
  return { log, snapshots, changes, useCases };
}

describe("executeCommands", () => {
  it("authorises each command against the state left by the ones before it", async () => {
    const { useCases, log } = await setup();
    // The new track is DX, so the dialogue editor may place a clip on it in the same batch.
    const result = await useCases.executeCommands(
      {
        sessionId: "s1",
        commands: [{ type: "AddTrack", trackId: "adr", name: "ADR", trackType: "DX", channelFormat: "MONO" }, place("c1", "adr", HOUR)],
        returnEvents: true,
      },
      context("dialogue_editor", "dee"),
    );
    expect(result).toMatchObject({ version: 3, firstVersion: 2, eventCount: 2, replayed: false });
    expect(result.events?.map((e) => e.type)).toEqual(["TrackAdded", "ClipPlaced"]);
    const recorded = await log.readStream("session-s1", { fromVersion: 2 });
    for (const event of recorded) {
      expect(event.actor).toEqual({ userId: "dee", role: "dialogue_editor" });
      expect([event.correlationId, event.causationId, event.trace?.traceparent]).toEqual([
        "corr-1",
        "req-1",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
      ]);
    }
  });

  it("authorises a clip on a track added earlier in the batch by that track's type", async () => {
    const { useCases, log } = await setup();
    const commands: EditCommand[] = [
      { type: "AddTrack", trackId: "sfx", name: "SFX design", trackType: "FX", channelFormat: "MONO" },
      place("boom", "sfx", HOUR),
    ];
    // The dialogue editor may place on DX but not add an FX track: the whole batch is refused.
    const refused = await useCases
      .executeCommands({ sessionId: "s1", commands: [place("c2", "dx-1", HOUR), ...commands] }, context("dialogue_editor"))
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: "forbidden", commandIndex: 1, commandType: "AddTrack", trackType: "FX" });
    expect(await log.streamVersion("session-s1")).toBe(1);
    // Judged against the session before the batch, the clip would touch no track type: a session-level
    // edit that only the supervisor may make. Against the state after command 0 it is an FX edit.
    const result = await useCases.executeCommands({ sessionId: "s1", commands }, context("sound_effects_editor"));
    expect(result.eventCounts).toEqual({ TrackAdded: 1, ClipPlaced: 1 });
    expect(result.events).toBeUndefined(); // only the summary unless asked
    expect(await log.streamVersion("session-s1")).toBe(3);
  });

  it("refuses the whole batch when one command touches a track type the role may not edit", async () => {
    const { useCases, log } = await setup();
    await useCases.executeCommands({ sessionId: "s1", commands: [place("fx", "fx-1", HOUR)] }, context("supervising_sound_editor"));
    // Moving an FX clip onto a DX track touches FX (where it is) and DX (where it goes).
    const error = await useCases
      .executeCommands(
        { sessionId: "s1", commands: [place("dx", "dx-1", HOUR), { type: "MoveClip", clipId: "fx", trackId: "dx-2", position: HOUR }] },
        context("dialogue_editor"),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandForbiddenError);
    expect(error).toMatchObject({ kind: "forbidden", commandIndex: 1, field: "commands[1]", trackType: "FX", role: "dialogue_editor" });
    expect(await log.streamVersion("session-s1")).toBe(2);
  });

  it("lets the re-recording mixer change gain and fades but not content", async () => {
    const { useCases } = await setup();
    await useCases.executeCommands({ sessionId: "s1", commands: [place("c", "fx-1", HOUR)] }, context("supervising_sound_editor"));
    const mixer = context("re_recording_mixer");
    const gain = await useCases.executeCommands({ sessionId: "s1", commands: [{ type: "SetClipGain", clipId: "c", gainDb: -4 }] }, mixer);
    expect(gain.eventCounts).toEqual({ ClipGainSet: 1 });
    const trim = useCases.executeCommands({ sessionId: "s1", commands: [{ type: "TrimClip", clipId: "c", end: HOUR + S }] }, mixer);
    await expect(trim).rejects.toMatchObject({ kind: "forbidden", commandType: "TrimClip" });
  });

  it("authorises track automation as the track mix: the mixer on every track, an editor on its track types", async () => {
    const { useCases, log } = await setup();
    const lane = (trackId: string, value: number): EditCommand => ({
      type: "SetTrackAutomation",
      trackId,
      lane: "VOLUME",
      points: [{ position: HOUR, value }],
    });
    const mixed = await useCases.executeCommands(
      { sessionId: "s1", commands: [lane("dx-1", -3), lane("mx-1", -6), lane("fx-1", -9)] },
      context("re_recording_mixer"),
    );
    expect(mixed.eventCounts).toEqual({ TrackAutomationSet: 3 });
    const own = await useCases.executeCommands({ sessionId: "s1", commands: [lane("dx-1", -4)] }, context("dialogue_editor"));
    expect(own.eventCounts).toEqual({ TrackAutomationSet: 1 });
    const other = useCases.executeCommands({ sessionId: "s1", commands: [lane("dx-1", -5), lane("fx-1", 0)] }, context("dialogue_editor"));
    await expect(other).rejects.toMatchObject({ kind: "forbidden", commandIndex: 1, commandType: "SetTrackAutomation", trackType: "FX" });
    const integration = useCases.executeCommands({ sessionId: "s1", commands: [lane("dx-1", -5)] }, context("integration"));
    await expect(integration).rejects.toMatchObject({ kind: "forbidden" });
    expect(await log.streamVersion("session-s1")).toBe(5);
  });

  describe("the render lifecycle", () => {
    const RENDER = "renders/0b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d";
    const QC = "renders/1b5c2a1e-3f4d-4a6b-8c7d-9e0f1a2b3c4d";
    const start = (sessionVersion: number): EditCommand => ({
      type: "RecordRenderStarted",
      renderId: "render-1",
      sessionVersion,
      profileId: "netflix",
      planHash: "sha256:00",
      deliverables: ["printmaster 5.1"],
      chunks: 2,
    });
    const complete: EditCommand = {
      type: "RecordRenderCompleted",
      renderId: "render-1",
      deliverables: [
        { name: "printmaster 5.1", mediaKey: RENDER, qcReportKey: QC, layout: "5.1", integratedLufs: -27, truePeakDbtp: -2, qcPass: true },
      ],
      chunksRendered: 2,
      chunksReused: 0,
    };

    it("checks the render's session version against the session's, in the batch and on a keyed retry", async () => {
      const { useCases, log } = await setup();
      const marker: EditCommand = { type: "AddMarker", markerId: "m1", position: HOUR, name: "FFOA", comment: "" };
      // Version 1 (created), the marker makes 2: the render may read 2 in the same batch, not 3.
      const ahead = useCases.executeCommands({ sessionId: "s1", commands: [marker, start(3)] }, context("supervising_sound_editor"));
      await expect(ahead).rejects.toMatchObject({
        kind: "not-found",
        reason: "session-version-not-found",
        field: "commands[1].sessionVersion",
      });
      expect(await log.streamVersion("session-s1")).toBe(1);
      const input = { sessionId: "s1", commands: [marker, start(2)], idempotencyKey: "render-1-start" };
      const first = await useCases.executeCommands(input, context("supervising_sound_editor"));
      expect(first).toMatchObject({ version: 3, eventCounts: { MarkerAdded: 1, RenderStarted: 1 }, replayed: false });
      // The retry is decided again against version 1 plus its own events, and gets the first result.
      const retry = await useCases.executeCommands(input, context("supervising_sound_editor"));
      expect(retry).toMatchObject({ version: 3, replayed: true });
      // A resend of the start alone is a no-op.
      expect(await useCases.executeCommands({ sessionId: "s1", commands: [start(2)] }, context("admin"))).toMatchObject({
        version: 3,
        eventCount: 0,
      });
      const session = await useCases.getSession({ sessionId: "s1" }, context("integration"));
      expect(session.session.renders.get("render-1")).toMatchObject({ status: "running", sessionVersion: 2 });
    });

    it("is authorised like RequestRender: the re-recording mixer, supervisor and admin; editors and integrations not", async () => {
      const { useCases, log } = await setup();
      for (const role of ["dialogue_editor", "sound_effects_editor", "foley_editor", "integration"] as const) {
        const refused = useCases.executeCommands({ sessionId: "s1", commands: [start(1)] }, context(role));
        await expect(refused).rejects.toBeInstanceOf(CommandForbiddenError);
        await expect(refused).rejects.toMatchObject({ kind: "forbidden", commandIndex: 0, commandType: "RecordRenderStarted" });
      }
      expect(await log.streamVersion("session-s1")).toBe(1);
      await useCases.executeCommands({ sessionId: "s1", commands: [start(1)] }, context("re_recording_mixer"));
      const editor = useCases.executeCommands({ sessionId: "s1", commands: [complete] }, context("dialogue_editor"));
      await expect(editor).rejects.toMatchObject({ kind: "forbidden", commandType: "RecordRenderCompleted" });
      const done = await useCases.executeCommands({ sessionId: "s1", commands: [complete] }, context("re_recording_mixer"));
      expect(done.eventCounts).toEqual({ RenderCompleted: 1 });
    });

    it("refuses a completion whose files are not in the media store, naming the field, appending nothing", async () => {
      const log = createInMemoryEventLog();
      const present = new Set([RENDER]);
      const useCases = createSessionUseCases({
        log,
        snapshots: createInMemorySnapshotStore(),
        changes: createSessionChangeFeed(),
        readModel: { list: async () => ({ sessions: [], nextCursor: undefined }) },
        media: { exists: async (key) => present.has(key) },
      });
      await useCases.createSession(
        { sessionId: "s1", name: "Reel 1", template: "EMPTY", frameRate: "24", sampleRate: 48_000, startTimecode: "01:00:00:00" },
        context("admin"),
      );
      await useCases.executeCommands({ sessionId: "s1", commands: [start(1)] }, context("admin"));
      const missing = useCases.executeCommands({ sessionId: "s1", commands: [complete] }, context("admin"));
      await expect(missing).rejects.toMatchObject({ kind: "not-found", field: "commands[0].deliverables[0].qcReportKey", mediaKey: QC });
      expect(await log.streamVersion("session-s1")).toBe(2);
      present.add(QC);
      expect((await useCases.executeCommands({ sessionId: "s1", commands: [complete] }, context("admin"))).eventCounts).toEqual({
        RenderCompleted: 1,
      });
    });
  });

  it("rejects a stale expected version, appending nothing", async () => {
    const { useCases, log } = await setup();
    const stale = useCases.executeCommands({ sessionId: "s1", expectedVersion: 0, commands: [place("a", "dx-1", HOUR)] }, context("admin"));
    await expect(stale).rejects.toSatisfy((e: unknown) => isErrorKind(e, "concurrency"));
    expect(await log.streamVersion("session-s1")).toBe(1);
  });

  it("decides again when another writer appended between its load and its append (no expected version)", async () => {
    const inner = createInMemoryEventLog();
    let armed = false;
    const racing: EventLog = {
      append: async (streamId, events, options) => {
        if (armed) {
          armed = false;
          const marker = { markerId: "m", position: HOUR, name: "Theirs", comment: "" };
          await inner.append(streamId, [{ ...events[0]!, id: "10000000-0000-4000-8000-000000000000", type: "MarkerAdded", data: marker }], {
            expectedVersion: "any",
          });
        }
        return inner.append(streamId, events, options);
      },
      readStream: (streamId, options) => inner.readStream(streamId, options),
      readEvent: (eventId) => inner.readEvent(eventId),
      streamVersion: (streamId) => inner.streamVersion(streamId),
      readAll: (options) => inner.readAll(options),
      close: () => inner.close(),
    };
    const { useCases } = await setup({ log: racing });
    armed = true;
    const result = await useCases.executeCommands({ sessionId: "s1", commands: [place("b", "dx-2", HOUR)] }, context("admin"));
    expect(result.version).toBe(3);
    expect((await inner.readStream("session-s1")).map((e) => e.type)).toEqual(["SessionCreated", "MarkerAdded", "ClipPlaced"]);
  });

  it("appends nothing for a batch of no-ops and refuses an empty batch", async () => {
    const { useCases, log } = await setup();
    const same = await useCases.executeCommands(
      { sessionId: "s1", commands: [{ type: "RenameTrack", trackId: "dx-1", name: "DX 1" }] },
      context("admin"),
    );
    expect(same).toEqual({ version: 1, firstVersion: 0, eventCount: 0, eventCounts: {}, replayed: false });
    await expect(useCases.executeCommands({ sessionId: "s1", commands: [] }, context("admin"))).rejects.toMatchObject({
      kind: "validation",
      field: "commands",
    });
    expect(await log.streamVersion("session-s1")).toBe(1);
  });

  it("stops before appending when the signal aborts mid-batch", async () => {
    const diagnostics: Record<string, unknown>[] = [];
    const { useCases, log } = await setup({ onDiagnostic: (_message, details) => diagnostics.push(details) });
    const abort = new AbortController();
    const commands = Array.from({ length: 1000 }, (_, k) => place(`c${k}`, `dx-${(k % 8) + 1}`, HOUR + Math.floor(k / 8) * 3 * S));
    const running = useCases.executeCommands({ sessionId: "s1", commands }, { ...context("admin"), signal: abort.signal });
    setImmediate(() => abort.abort(new Error("deadline")));
    await expect(running).rejects.toThrow("deadline");
    expect(await log.streamVersion("session-s1")).toBe(1);
    // Noticed at the first yield inside the batch, not after deciding all of it.
    expect(diagnostics).toEqual([{ commandIndex: 250, commands: 1000 }]);
  });
});

describe("snapshots and getSession", () => {
  it("saves snapshots as the version crosses multiples and folds the same state from them", async () => {
    const { useCases, log, snapshots } = await setup({ snapshotEvery: 3 });
    await useCases.executeCommands(
      { sessionId: "s1", commands: [place("a", "dx-1", HOUR), place("b", "dx-1", HOUR + 2 * S)] },
      context("admin"),
    );
    await useCases.executeCommands(
      { sessionId: "s1", commands: [{ type: "SetFades", clipId: "a", fadeIn: { length: 10, shape: "LINEAR" } }] },
      context("admin"),
    );
    await useCases.executeCommands.snapshotsSaved(); // written after the response
    const snapshot = await snapshots.load("session-s1");
    expect(snapshot?.version).toBe(3);

    const fromSnapshot = await loadSession(log, snapshots, "s1");
    const fromEvents = await loadSession(log, createInMemorySnapshotStore(), "s1");
    expect(fromSnapshot.snapshotVersion).toBe(3);
    expect(fromSnapshot.version).toBe(4);
    expect(fromSnapshot.state).toEqual(fromEvents.state);
    expect(sessionFromSnapshot(sessionToSnapshot(fromEvents.state))).toEqual(fromEvents.state);

    // An exact version older than the snapshot is folded from the start.
    const atTwo = await useCases.getSession({ sessionId: "s1", version: 2 }, context("integration"));
    expect(atTwo.version).toBe(2);
    expect([...(atTwo.session.tracks.get("dx-1")?.clips.keys() ?? [])]).toEqual(["a"]);
    await expect(useCases.getSession({ sessionId: "s1", version: 9 }, context("integration"))).rejects.toMatchObject({
      kind: "not-found",
      currentVersion: 4,
    });
    await expect(useCases.getSession({ sessionId: "nope" }, context("integration"))).rejects.toMatchObject({
      kind: "not-found",
      field: "sessionId",
    });
  });
});

describe("watchSession", () => {
  it("replays after fromVersion, then yields live events, and unregisters when aborted", async () => {
    const { useCases, changes } = await setup();
    const abort = new AbortController();
    const seen: number[] = [];
    const iterator = useCases.watchSession({ sessionId: "s1", fromVersion: 0 }, { ...context("integration"), signal: abort.signal });
    const first = await iterator.next();
    seen.push(first.done ? -1 : first.value.streamVersion);
    const next = iterator.next();
    await useCases.executeCommands({ sessionId: "s1", commands: [place("a", "dx-1", HOUR)] }, context("admin"));
    const second = await next;
    seen.push(second.done ? -1 : second.value.streamVersion);
    expect(seen).toEqual([1, 2]);
    expect(changes.listenerCount()).toBe(1);
    const pending = iterator.next();
    abort.abort();
    expect((await pending).done).toBe(true);
    expect(changes.listenerCount()).toBe(0);
  });
});
