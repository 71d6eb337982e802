// The ingest lifecycle over gRPC, as the ingest service drives it: domain commands mapped with
// toProtoCommands, one atomic batch applying a file's result together with its completion.
import { RemoteError } from "@dubstage/grpc-kit";
import { sessionTimeline } from "@dubstage/proto";
import { status } from "@grpc/grpc-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EditCommand, RecordIngestStarted } from "../../domain/index.ts";
import { mediaKeyFor } from "../../domain/test-fixtures.ts";
import { toProtoCommands } from "./command-to-proto.ts";
import {
  filmRequest,
  HOUR_ONE,
  SECOND,
  type SessionCalls,
  type SessionTestBed,
  startPgliteSessionTestBed,
} from "./test-support/session-test-bed.ts";

const SESSION = "ingest-reel";
const KEY = mediaKeyFor("A001.wav");
let bed: SessionTestBed;
let supervisor: SessionCalls;

beforeAll(async () => {
  bed = await startPgliteSessionTestBed();
  supervisor = await bed.as("supervising_sound_editor", "ingest-service");
  await supervisor.createSession(filmRequest({ sessionId: SESSION, template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY }));
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

const start = (jobId: string): RecordIngestStarted => ({
  type: "RecordIngestStarted",
  jobId,
  fileName: `${jobId}.aaf`,
  format: "aaf",
  sourceKey: `staging/${jobId}/${jobId}.aaf`,
});

/** A file's result: a track, its media and two clips, then the job's completion. */
function applyResult(jobId: string, trackId: string): EditCommand[] {
  const clip = (clipId: string, position: number): EditCommand => ({
    type: "PlaceClip",
    clip: {
      clipId,
      trackId,
      name: clipId,
      position,
      length: SECOND,
      source: { mediaKey: KEY, sourceOffset: 0, sourceLength: 4 * SECOND, channel: 1 },
      provenance: { imported: { importId: jobId, fileName: `${jobId}.aaf`, mobId: "mob-1" } },
    },
  });
  return [
    { type: "AddTrack", trackId, name: trackId, trackType: "DX", channelFormat: "MONO" },
    {
      type: "RegisterMedia",
      mediaKey: KEY,
      fileName: "A001.wav",
      channels: 1,
      sampleRate: 48_000,
      bitDepth: 24,
      lengthSamples: 4 * SECOND,
      origin: "embedded",
    },
    clip(`${trackId}-c1`, HOUR_ONE),
    clip(`${trackId}-c2`, HOUR_ONE + SECOND),
    {
      type: "RecordIngestCompleted",
      jobId,
      summary: { tracks: 1, clips: 2, crossfades: 0, markers: 0, mediaEmbedded: 1, mediaLinked: 0, mediaMissing: 0, warnings: 0 },
    },
  ];
}

describe("the ingest lifecycle over gRPC", () => {
  it("starts, progresses, and completes in one atomic batch with the result; a retry of that batch is replayed", async () => {
    const started = await execute(supervisor, [start("job-1")], "ingest:job-1:start");
    expect(started.events.map((e) => e.ingestStarted)).toEqual([
      {
        jobId: "job-1",
        fileName: "job-1.aaf",
        format: sessionTimeline.IngestFormat.INGEST_FORMAT_AAF,
        sourceKey: "staging/job-1/job-1.aaf",
      },
    ]);
    await execute(supervisor, [{ type: "RecordIngestProgress", jobId: "job-1", phase: "parse", done: 1, total: 1 }]);

    const applied = await execute(supervisor, applyResult("job-1", "aaf-a1"), "ingest:job-1:apply");
    expect(Object.keys(applied.eventCounts).sort()).toEqual(["ClipPlaced", "IngestCompleted", "MediaRegistered", "TrackAdded"]);
    expect(applied.events.map((e) => e.version)).toEqual([4, 5, 6, 7, 8]);
    expect(applied.events.at(-1)?.ingestCompleted).toMatchObject({ jobId: "job-1", summary: { tracks: 1, clips: 2, mediaEmbedded: 1 } });

    const again = await execute(supervisor, applyResult("job-1", "aaf-a1"), "ingest:job-1:apply");
    expect(again).toMatchObject({ replayed: true, version: 8, firstVersion: 4 });
    expect(await bed.events(SESSION)).toHaveLength(8);

    const session = (await supervisor.getSession(SESSION)).session;
    expect(session?.ingests).toEqual([
      {
        jobId: "job-1",
        fileName: "job-1.aaf",
        format: sessionTimeline.IngestFormat.INGEST_FORMAT_AAF,
        sourceKey: "staging/job-1/job-1.aaf",
        status: sessionTimeline.IngestStatus.INGEST_STATUS_COMPLETED,
        summary: { tracks: 1, clips: 2, crossfades: 0, markers: 0, mediaEmbedded: 1, mediaLinked: 0, mediaMissing: 0, warnings: 0 },
        failedPhase: "",
        reason: "",
      },
    ]);
    expect(session?.tracks.find((t) => t.trackId === "aaf-a1")?.clips.map((c) => c.clipId)).toEqual(["aaf-a1-c1", "aaf-a1-c2"]);
    // StreamSession carries the jobs in its header.
    const parts = [];
    for await (const part of supervisor.streamSession({ sessionId: SESSION })) parts.push(part);
    expect(parts[0]?.header?.ingests).toEqual(session?.ingests);
  });

  it("refuses RecordIngestFailed on a completed job with FAILED_PRECONDITION, appending nothing", async () => {
    await expectNothingAppended(async () => {
      const error = await failure(execute(supervisor, [{ type: "RecordIngestFailed", jobId: "job-1", phase: "apply", reason: "late" }]));
      expect(error.code).toBe(status.FAILED_PRECONDITION);
      expect(error.context).toMatchObject({ field: "commands[0].jobId", reason: "ingest-not-running" });
      expect(error.message).toContain('ingest job "job-1" already completed');
    });
  });

  it("applies none of a result whose completion is refused", async () => {
    await expectNothingAppended(async () => {
      const error = await failure(execute(supervisor, applyResult("job-never-started", "aaf-b1")));
      expect(error.code).toBe(status.NOT_FOUND);
      expect(error.context).toMatchObject({ field: "commands[4].jobId", commandIndex: "4", reason: "ingest-not-found" });
    });
    const session = (await supervisor.getSession(SESSION)).session;
    expect(session?.tracks.map((t) => t.trackId)).toEqual(["aaf-a1"]);
  });

  it("records a failure with its phase and reason", async () => {
    await execute(supervisor, [start("job-2")]);
    await execute(supervisor, [{ type: "RecordIngestFailed", jobId: "job-2", phase: "media", reason: "A002.wav not found" }]);
    const job = (await supervisor.getSession(SESSION)).session?.ingests.find((j) => j.jobId === "job-2");
    expect(job).toMatchObject({
      status: sessionTimeline.IngestStatus.INGEST_STATUS_FAILED,
      failedPhase: "media",
      reason: "A002.wav not found",
    });
  });

  it("lets only session-level roles record the lifecycle: integrations and department editors are refused", async () => {
    for (const role of ["integration", "dialogue_editor", "re_recording_mixer"] as const) {
      const calls = await bed.as(role);
      await expectNothingAppended(async () => {
        const error = await failure(execute(calls, [start(`job-${role}`)]));
        expect(error.code, role).toBe(status.PERMISSION_DENIED);
        expect(error.context).toMatchObject({ field: "commands[0]", role });
      });
    }
    const admin = await bed.as("admin");
    expect((await execute(admin, [start("job-admin")])).events).toHaveLength(1);
  });
});
