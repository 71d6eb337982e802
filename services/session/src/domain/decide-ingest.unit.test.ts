import { describe, expect, it } from "vitest";
import type { RecordIngestCompleted, RecordIngestFailed, RecordIngestProgress, RecordIngestStarted, SessionCommand } from "./commands.ts";
import { decide } from "./decide.ts";
import { decideBatch } from "./decide-batch.ts";
import { SessionEventApplyError } from "./errors.ts";
import { evolve } from "./evolve.ts";
import type { IngestSummary } from "./model.ts";
import { expectError, film, mediaKeyFor, place, SECOND } from "./test-fixtures.ts";
import { trackTypesTouchedBy } from "./track-types-touched.ts";

const SUMMARY: IngestSummary = {
  tracks: 1,
  clips: 1,
  crossfades: 0,
  markers: 0,
  mediaEmbedded: 1,
  mediaLinked: 0,
  mediaMissing: 0,
  warnings: 2,
};

function started(overrides: Partial<RecordIngestStarted> = {}): RecordIngestStarted {
  return {
    type: "RecordIngestStarted",
    jobId: "job-1",
    fileName: "R1.aaf",
    format: "aaf",
    sourceKey: "staging/job-1/R1.aaf",
    ...overrides,
  };
}
function progress(overrides: Partial<RecordIngestProgress> = {}): RecordIngestProgress {
  return { type: "RecordIngestProgress", jobId: "job-1", phase: "parse", done: 10, total: 40, ...overrides };
}
function completed(overrides: Partial<RecordIngestCompleted> = {}): RecordIngestCompleted {
  return { type: "RecordIngestCompleted", jobId: "job-1", summary: SUMMARY, ...overrides };
}
function failed(overrides: Partial<RecordIngestFailed> = {}): RecordIngestFailed {
  return { type: "RecordIngestFailed", jobId: "job-1", phase: "media", reason: "A001.wav not found", ...overrides };
}

describe("RecordIngestStarted", () => {
  it("records IngestStarted with the proto format name and a running job", () => {
    const s = film();
    expect(decide(s, started())).toEqual([
      {
        type: "IngestStarted",
        data: { jobId: "job-1", fileName: "R1.aaf", format: "INGEST_FORMAT_AAF", sourceKey: "staging/job-1/R1.aaf" },
      },
    ]);
    expect(film(started({ format: "video" })).ingests.get("job-1")).toEqual({
      jobId: "job-1",
      fileName: "R1.aaf",
      format: "video",
      sourceKey: "staging/job-1/R1.aaf",
      status: "running",
    });
  });

  it("changes nothing when started again with the same facts, even once the job has ended", () => {
    expect(decide(film(started()), started())).toEqual([]);
    expect(decide(film(started(), completed()), started())).toEqual([]);
  });

  it("refuses other facts for a known job, naming both", () => {
    for (const other of [{ fileName: "R2.aaf" }, { format: "omf" as const }, { sourceKey: "staging/job-1/other.aaf" }]) {
      expectError(() => decide(film(started()), started(other)), {
        kind: "illegal-state",
        reason: "ingest-conflict",
        field: "jobId",
        message: /ingest job "job-1" was already started with other facts \("R1\.aaf", aaf, source staging\/job-1\/R1\.aaf; now/,
      });
    }
  });

  it("checks the job id, file name, format and source key", () => {
    const s = film();
    for (const jobId of ["", "  ", " job", "j".repeat(201)]) {
      expectError(() => decide(s, started({ jobId })), { kind: "validation", reason: "invalid-value", field: "jobId" });
    }
    expect(decide(s, started({ jobId: "j".repeat(200) }))).toHaveLength(1);
    expectError(() => decide(s, started({ fileName: " " })), { kind: "validation", reason: "invalid-value", field: "fileName" });
    expectError(() => decide(s, started({ fileName: "a\u001b[2Jb.aaf" })), {
      kind: "validation",
      field: "fileName",
      reason: "invalid-value",
    });
    expectError(() => decide(s, started({ format: "edl" as "aaf" })), {
      kind: "validation",
      reason: "invalid-value",
      field: "format",
      message: /must be one of aaf, omf, video/,
    });
    expectError(() => decide(s, started({ sourceKey: "" })), { kind: "validation", reason: "invalid-value", field: "sourceKey" });
  });

  it("needs the session", () => {
    expectError(() => decide(undefined, started()), { kind: "not-found", reason: "session-not-found" });
  });
});

describe("RecordIngestProgress", () => {
  it("records IngestProgressed for a running job and leaves the job as it was", () => {
    const s = film(started());
    expect(decide(s, progress({ done: 40 }))).toEqual([
      { type: "IngestProgressed", data: { jobId: "job-1", phase: "parse", done: 40, total: 40 } },
    ]);
    expect(film(started(), progress()).ingests).toEqual(s.ingests);
  });

  it("refuses done above total, and counts that are not whole non-negative numbers", () => {
    const s = film(started());
    expectError(() => decide(s, progress({ done: 41 })), {
      kind: "validation",
      reason: "invalid-value",
      field: "done",
      message: /done: 41 is more than total 40/,
    });
    for (const [field, value] of [
      ["done", -1],
      ["done", 1.5],
      ["total", -1],
      ["total", Number.NaN],
    ] as const) {
      expectError(() => decide(s, progress({ [field]: value })), { kind: "validation", reason: "invalid-value", field });
    }
    expectError(() => decide(s, progress({ phase: "" })), { kind: "validation", reason: "invalid-value", field: "phase" });
  });

  it("refuses an unknown job and one that has ended", () => {
    expectError(() => decide(film(), progress()), {
      kind: "not-found",
      reason: "ingest-not-found",
      field: "jobId",
      message: /ingest job "job-1" is unknown/,
    });
    expectError(() => decide(film(started(), completed()), progress()), {
      kind: "illegal-state",
      reason: "ingest-not-running",
      field: "jobId",
      message: /ingest job "job-1" already completed/,
    });
  });
});

describe("RecordIngestCompleted", () => {
  it("records the summary and marks the job completed", () => {
    const s = film(started());
    expect(decide(s, completed())).toEqual([{ type: "IngestCompleted", data: { jobId: "job-1", summary: SUMMARY } }]);
    expect(film(started(), completed()).ingests.get("job-1")).toMatchObject({ status: "completed", summary: SUMMARY });
  });

  it("checks every count of the summary", () => {
    const s = film(started());
    expectError(() => decide(s, completed({ summary: undefined as unknown as IngestSummary })), {
      kind: "validation",
      reason: "invalid-value",
      field: "summary",
    });
    for (const key of Object.keys(SUMMARY) as (keyof IngestSummary)[]) {
      for (const bad of [-1, 0.5, undefined, 2 ** 32]) {
        expectError(() => decide(s, completed({ summary: { ...SUMMARY, [key]: bad } })), {
          kind: "validation",
          reason: "invalid-value",
          field: `summary.${key}`,
        });
      }
    }
  });

  it("refuses an unknown job, a completed one and a failed one", () => {
    expectError(() => decide(film(), completed()), { kind: "not-found", reason: "ingest-not-found", field: "jobId" });
    expectError(() => decide(film(started(), completed()), completed()), {
      kind: "illegal-state",
      reason: "ingest-not-running",
      message: /ingest job "job-1" already completed/,
    });
    expectError(() => decide(film(started(), failed()), completed()), {
      kind: "illegal-state",
      reason: "ingest-not-running",
      message: /ingest job "job-1" already failed/,
    });
  });
});

describe("RecordIngestFailed", () => {
  it("records the phase and reason and marks the job failed", () => {
    const s = film(started());
    expect(decide(s, failed())).toEqual([{ type: "IngestFailed", data: { jobId: "job-1", phase: "media", reason: "A001.wav not found" } }]);
    expect(film(started(), failed()).ingests.get("job-1")).toEqual({
      ...film(started()).ingests.get("job-1"),
      status: "failed",
      failedPhase: "media",
      reason: "A001.wav not found",
    });
  });

  it("needs a reason of 1 to 4000 characters (line breaks allowed) and a phase", () => {
    const s = film(started());
    for (const reason of ["", " \n ", "r".repeat(4001)]) {
      expectError(() => decide(s, failed({ reason })), { kind: "validation", reason: "invalid-value", field: "reason" });
    }
    expect(decide(s, failed({ reason: `${"r".repeat(3990)}\nline 2` }))).toHaveLength(1);
    expectError(() => decide(s, failed({ phase: " " })), { kind: "validation", reason: "invalid-value", field: "phase" });
  });

  it("refuses a job that already completed", () => {
    expectError(() => decide(film(started(), completed()), failed()), {
      kind: "illegal-state",
      reason: "ingest-not-running",
      field: "jobId",
      message: /ingest job "job-1" already completed/,
    });
  });
});

describe("the ingest lifecycle in a batch", () => {
  const key = mediaKeyFor("A001.wav");
  const result: SessionCommand[] = [
    { type: "AddTrack", trackId: "aaf-a1", name: "A1", trackType: "DX", channelFormat: "MONO" },
    {
      type: "RegisterMedia",
      mediaKey: key,
      fileName: "A001.wav",
      channels: 1,
      sampleRate: 48_000,
      bitDepth: 24,
      lengthSamples: 10 * SECOND,
      origin: "embedded",
    },
    place({ clipId: "aaf-c1", trackId: "aaf-a1", source: { mediaKey: key, sourceOffset: 0, sourceLength: 10 * SECOND, channel: 1 } }),
  ];

  it("completes in the same atomic batch as the result it applies", () => {
    const s = film(started(), progress());
    const { events, state } = decideBatch(s, [...result, completed()]);
    expect(events.map((e) => e.type)).toEqual(["TrackAdded", "MediaRegistered", "ClipPlaced", "IngestCompleted"]);
    expect(state?.ingests.get("job-1")?.status).toBe("completed");
    expect(state?.tracks.get("aaf-a1")?.clips.has("aaf-c1")).toBe(true);
  });

  it("refuses the whole batch when its completion is refused, naming the command", () => {
    const s = film(started(), failed());
    const error = expectError(() => decideBatch(s, [...result, completed()]), {
      kind: "illegal-state",
      reason: "ingest-not-running",
      field: "commands[3].jobId",
    });
    expect(error.commandIndex).toBe(3);
  });

  it("touches no track type, so only session-level roles may record it", () => {
    const s = film(started());
    for (const command of [started(), progress(), completed(), failed()]) expect(trackTypesTouchedBy(command, s)).toEqual([]);
  });
});

describe("evolve", () => {
  it("refuses ingest events of a job the stream never started", () => {
    for (const event of [
      { type: "IngestProgressed", data: { jobId: "x", phase: "parse", done: 0, total: 1 } },
      { type: "IngestCompleted", data: { jobId: "x", summary: SUMMARY } },
      { type: "IngestFailed", data: { jobId: "x", phase: "parse", reason: "r" } },
    ] as const) {
      expect(() => evolve(film(), event)).toThrow(SessionEventApplyError);
    }
    const started = { type: "IngestStarted", data: { jobId: "x", fileName: "f", format: "INGEST_FORMAT_OMF", sourceKey: "k" } } as const;
    expect(() => evolve(evolve(film(), started), started)).toThrow(/ingest job "x" exists/);
  });

  it("reads counts proto JSON left out as 0", () => {
    const s = evolve(film(started()), { type: "IngestCompleted", data: { jobId: "job-1", summary: { clips: 3 } as IngestSummary } });
    expect(s?.ingests.get("job-1")?.summary).toEqual({
      tracks: 0,
      clips: 3,
      crossfades: 0,
      markers: 0,
      mediaEmbedded: 0,
      mediaLinked: 0,
      mediaMissing: 0,
      warnings: 0,
    });
  });
});
