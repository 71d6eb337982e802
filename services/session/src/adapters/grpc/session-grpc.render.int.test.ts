// The render lifecycle over gRPC, as a render service would drive it: domain commands mapped with
// toProtoCommands; the session's own version bounds the version a render reads; the renders come back on
// GetSession, the StreamSession header and as events on WatchSession.
import { RemoteError } from "@dubstage/grpc-kit";
import { type sessionService, sessionTimeline } from "@dubstage/proto";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EditCommand, RecordRenderCompleted, RecordRenderStarted, RenderDeliverable } from "../../domain/index.ts";
import { toProtoCommands } from "./command-to-proto.ts";
import { filmRequest, type SessionCalls, type SessionTestBed, startPgliteSessionTestBed } from "./test-support/session-test-bed.ts";

const SESSION = "render-reel";
const NAMES = ["printmaster 5.1", "DX 5.1", "M&E 5.1"];
const PLAN = `sha256:${"5e".repeat(32)}`;
const key = (n: number) => `renders/${n.toString(16).padStart(8, "0")}-3f4d-4a6b-8c7d-9e0f1a2b3c4d`;
let bed: SessionTestBed;
let supervisor: SessionCalls;

beforeAll(async () => {
  bed = await startPgliteSessionTestBed();
  supervisor = await bed.as("supervising_sound_editor", "render-service");
  // FILM: SessionCreated is version 1.
  await supervisor.createSession(filmRequest({ sessionId: SESSION }));
});

afterAll(async () => {
  await bed?.close();
});

function execute(calls: SessionCalls, commands: EditCommand[], idempotencyKey = "") {
  return calls.execute({ sessionId: SESSION, commands: toProtoCommands(commands), idempotencyKey, returnEvents: true });
}

async function failure(call: Promise<unknown>): Promise<RemoteError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, "the call should have failed").toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

async function expectNothingAppended(act: () => Promise<void>): Promise<void> {
  const before = await bed.events(SESSION);
  await act();
  expect((await bed.events(SESSION)).map((e) => e.id)).toEqual(before.map((e) => e.id));
}

const start = (renderId: string, sessionVersion: number, overrides: Partial<RecordRenderStarted> = {}): RecordRenderStarted => ({
  type: "RecordRenderStarted",
  renderId,
  sessionVersion,
  profileId: "netflix",
  planHash: PLAN,
  deliverables: NAMES,
  chunks: 12,
  ...overrides,
});

const delivered = (names: readonly string[]): RenderDeliverable[] =>
  names.map((name, i) => ({
    name,
    mediaKey: key(2 * i),
    qcReportKey: key(2 * i + 1),
    layout: "5.1",
    integratedLufs: -27 + i / 4,
    truePeakDbtp: -2.25,
    qcPass: i !== 2,
  }));

const complete = (renderId: string, names: readonly string[] = NAMES): RecordRenderCompleted => ({
  type: "RecordRenderCompleted",
  renderId,
  deliverables: delivered(names),
  chunksRendered: 9,
  chunksReused: 3,
});

describe("the render lifecycle over gRPC", () => {
  it("refuses a render of a version the session has not reached, appending nothing", async () => {
    await expectNothingAppended(async () => {
      const error = await failure(execute(supervisor, [start("render-early", 2)]));
      expect(error.code).toBe(status.NOT_FOUND);
      expect(error.context).toMatchObject({ field: "commands[0].sessionVersion", reason: "session-version-not-found" });
      expect(error.message).toContain("the session is at version 1; version 2 does not exist yet");
    });
  });

  it("starts, progresses and completes; a keyed retry is replayed; GetSession, StreamSession and WatchSession carry it", async () => {
    const started = await execute(supervisor, [start("render-1", 1)], "render:render-1:start");
    expect(started.events.map((e) => e.renderStarted)).toEqual([
      { renderId: "render-1", sessionVersion: 1, profileId: "netflix", planHash: PLAN, deliverables: NAMES, chunks: 12 },
    ]);
    // A resend of the same start (the render service restarted) records nothing.
    expect(await execute(supervisor, [start("render-1", 1)])).toMatchObject({ eventCount: 0, version: 2 });
    await execute(supervisor, [
      { type: "RecordRenderProgress", renderId: "render-1", done: 4, total: 12, stem: "DX" },
      { type: "RecordRenderProgress", renderId: "render-1", done: 8, total: 12 },
    ]);

    const completed = await execute(supervisor, [complete("render-1")], "render:render-1:complete");
    expect(completed).toMatchObject({ version: 5, firstVersion: 5, eventCounts: { RenderCompleted: 1 } });
    expect(completed.events[0]?.renderCompleted).toEqual({
      renderId: "render-1",
      deliverables: delivered(NAMES),
      chunksRendered: 9,
      chunksReused: 3,
    });
    const again = await execute(supervisor, [complete("render-1")], "render:render-1:complete");
    expect(again).toMatchObject({ replayed: true, version: 5, firstVersion: 5 });
    expect(await bed.events(SESSION)).toHaveLength(5);

    const { session } = await supervisor.getSession(SESSION);
    const expected: sessionTimeline.RenderJob = {
      renderId: "render-1",
      sessionVersion: 1,
      profileId: "netflix",
      planHash: PLAN,
      deliverables: NAMES,
      chunks: 12,
      status: sessionTimeline.RenderStatus.RENDER_STATUS_COMPLETED,
      // The stem last reported stays when a later report names none.
      progress: { done: 8, total: 12, stem: "DX" },
      result: { deliverables: delivered(NAMES), chunksRendered: 9, chunksReused: 3 },
      reason: "",
    };
    expect(session?.renders).toEqual([expected]);
    const parts = [];
    for await (const part of supervisor.streamSession({ sessionId: SESSION })) parts.push(part);
    expect(parts[0]?.header?.renders).toEqual([expected]);
    // GetSession at the version before the completion shows it running.
    const before = (await supervisor.getSession(SESSION, { version: 4 })).session;
    expect(before?.renders[0]).toMatchObject({ status: sessionTimeline.RenderStatus.RENDER_STATUS_RUNNING, result: undefined });

    const watcher = new AbortController();
    const received: sessionService.SessionEvent[] = [];
    try {
      for await (const message of supervisor.watchSession(
        { sessionId: SESSION, fromVersion: 1 },
        { signal: watcher.signal, deadline: Date.now() + 30_000 },
      )) {
        if (message.event) received.push(message.event);
        if (received.length === 4) watcher.abort();
      }
    } catch (error) {
      if (!watcher.signal.aborted) throw error;
    }
    expect(received.map((e) => e.version)).toEqual([2, 3, 4, 5]);
    expect(received[0]?.renderStarted?.deliverables).toEqual(NAMES);
    expect(received[1]?.renderProgress).toEqual({ renderId: "render-1", done: 4, total: 12, stem: "DX" });
    expect(received[2]?.renderProgress).toEqual({ renderId: "render-1", done: 8, total: 12 });
    expect(received[3]?.renderCompleted?.deliverables.map((d) => [d.name, d.qcPass])).toEqual([
      ["printmaster 5.1", true],
      ["DX 5.1", true],
      ["M&E 5.1", false],
    ]);
    // The read model keeps no renders but follows the version.
    await bed.service.projection.caughtUp();
    const listed = await supervisor.listSessions({});
    expect(listed.sessions.find((s) => s.sessionId === SESSION)?.version).toBe(5);
  });

  it("refuses a restart with other facts and any step of an ended render with FAILED_PRECONDITION, appending nothing", async () => {
    await expectNothingAppended(async () => {
      const conflict = await failure(execute(supervisor, [start("render-1", 1, { chunks: 13 })]));
      expect(conflict.code).toBe(status.FAILED_PRECONDITION);
      expect(conflict.context).toMatchObject({ field: "commands[0].renderId", reason: "render-conflict" });
      const late = await failure(execute(supervisor, [{ type: "RecordRenderFailed", renderId: "render-1", reason: "late" }]));
      expect(late.code).toBe(status.FAILED_PRECONDITION);
      expect(late.context).toMatchObject({ field: "commands[0].renderId", reason: "render-not-running" });
      expect(late.message).toContain('render "render-1" already completed');
      const unknown = await failure(execute(supervisor, [complete("render-never-started")]));
      expect(unknown.code).toBe(status.NOT_FOUND);
      expect(unknown.context).toMatchObject({ field: "commands[0].renderId", reason: "render-not-found" });
    });
  });

  it("refuses a completion naming other deliverables than the start, or a bad field, with INVALID_ARGUMENT", async () => {
    await execute(supervisor, [start("render-2", 5, { deliverables: ["printmaster 5.1", "DX 5.1"] })]);
    await expectNothingAppended(async () => {
      const extra = await failure(execute(supervisor, [complete("render-2", ["printmaster 5.1", "DX 5.1", "M&E 5.1"])]));
      expect(extra.code).toBe(status.INVALID_ARGUMENT);
      expect(extra.context).toMatchObject({ field: "commands[0].deliverables[2].name", reason: "render-deliverables-mismatch" });
      expect(extra.message).toContain('"M&E 5.1" is not a deliverable of render "render-2"');
      const missing = await failure(execute(supervisor, [complete("render-2", ["DX 5.1"])]));
      expect(missing.context).toMatchObject({ field: "commands[0].deliverables", reason: "render-deliverables-mismatch" });
      expect(missing.message).toContain('missing "printmaster 5.1"');
      const loud = complete("render-2", ["printmaster 5.1", "DX 5.1"]);
      const bad = { ...loud, deliverables: [loud.deliverables[0]!, { ...loud.deliverables[1]!, truePeakDbtp: 31 }] };
      const level = await failure(execute(supervisor, [bad]));
      expect(level.code).toBe(status.INVALID_ARGUMENT);
      expect(level.context).toMatchObject({ field: "commands[0].deliverables[1].truePeakDbtp" });
    });
  });

  it("records a failure with its reason", async () => {
    await execute(supervisor, [{ type: "RecordRenderFailed", renderId: "render-2", reason: "chunk 3: disk full" }]);
    const render = (await supervisor.getSession(SESSION)).session?.renders.find((r) => r.renderId === "render-2");
    expect(render).toMatchObject({
      status: sessionTimeline.RenderStatus.RENDER_STATUS_FAILED,
      reason: "chunk 3: disk full",
      progress: undefined,
      result: undefined,
    });
  });

  it("lets whoever may request renders record the lifecycle (the mixer, supervisor, admin); editors and integrations are refused", async () => {
    for (const role of ["integration", "dialogue_editor", "sound_effects_editor"] as const) {
      const calls = await bed.as(role);
      await expectNothingAppended(async () => {
        const error = await failure(execute(calls, [start(`render-${role}`, 1)]));
        expect(error.code, role).toBe(status.PERMISSION_DENIED);
        expect(error.context).toMatchObject({ field: "commands[0]", role });
      });
    }
    const mixer = await bed.as("re_recording_mixer");
    expect((await execute(mixer, [start("render-mixer", 1)])).events).toHaveLength(1);
    const admin = await bed.as("admin");
    expect((await execute(admin, [start("render-admin", 1)])).events).toHaveLength(1);
  });
});
