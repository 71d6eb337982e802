import type { RecordIngestCompleted, RecordIngestFailed, RecordIngestProgress, RecordIngestStarted } from "./commands.ts";
import { SessionIllegalStateError, SessionNotFoundError, SessionValidationError } from "./errors.ts";
import { type SessionEvent, sessionEvent } from "./events.ts";
import { INGEST_FORMATS, type IngestJob, type IngestSummary, type Session } from "./model.ts";
import { requireId, requireIntegerIn, requireName, requireNonEmptyText, requireOneOf } from "./validation.ts";
import { ingestFormatWire } from "./wire-enums.ts";

// The ingest lifecycle: a job is started once, reports progress while it runs, and ends once, completed
// or failed. Its tracks, clips and media arrive as ordinary commands; these only record the job.

const MAX_FILE_NAME_LENGTH = 1000;
const MAX_SOURCE_KEY_LENGTH = 1000;
const MAX_REASON_LENGTH = 4000;
/** Summary counts travel as proto uint32. */
const MAX_COUNT = 0xffff_ffff;

export const INGEST_SUMMARY_FIELDS = [
  "tracks",
  "clips",
  "crossfades",
  "markers",
  "mediaEmbedded",
  "mediaLinked",
  "mediaMissing",
  "warnings",
] as const satisfies readonly (keyof IngestSummary)[];

function requireSummary(value: unknown, field: string): IngestSummary {
  if (typeof value !== "object" || value === null) {
    throw new SessionValidationError(`${field}: must be { ${INGEST_SUMMARY_FIELDS.join(", ")} }`, "invalid-value", field);
  }
  const o = value as Record<string, unknown>;
  const counts = Object.fromEntries(INGEST_SUMMARY_FIELDS.map((key) => [key, requireIntegerIn(o[key], `${field}.${key}`, 0, MAX_COUNT)]));
  return counts as unknown as IngestSummary;
}

/** The job, which must be known and still running. */
function requireRunning(session: Session, jobId: string): IngestJob {
  const job = session.ingests.get(jobId);
  if (job === undefined) {
    throw new SessionNotFoundError(`jobId: ingest job "${jobId}" is unknown (RecordIngestStarted first)`, "ingest-not-found", "jobId");
  }
  if (job.status !== "running") {
    throw new SessionIllegalStateError(`jobId: ingest job "${jobId}" already ${job.status}`, "ingest-not-running", "jobId");
  }
  return job;
}

function describe(job: Pick<IngestJob, "fileName" | "format" | "sourceKey">): string {
  return `"${job.fileName}", ${job.format}, source ${job.sourceKey}`;
}

export function decideRecordIngestStarted(session: Session, command: RecordIngestStarted): SessionEvent[] {
  const jobId = requireId(command.jobId, "jobId");
  const fileName = requireNonEmptyText(command.fileName, "fileName", MAX_FILE_NAME_LENGTH);
  const format = requireOneOf(command.format, INGEST_FORMATS, "format");
  const sourceKey = requireNonEmptyText(command.sourceKey, "sourceKey", MAX_SOURCE_KEY_LENGTH);
  const started = { fileName, format, sourceKey };
  const existing = session.ingests.get(jobId);
  if (existing !== undefined) {
    // A resent start (say, the ingest service restarted) changes nothing; a different file under the id is a mistake.
    if (existing.fileName === fileName && existing.format === format && existing.sourceKey === sourceKey) return [];
    throw new SessionIllegalStateError(
      `jobId: ingest job "${jobId}" was already started with other facts (${describe(existing)}; now ${describe(started)})`,
      "ingest-conflict",
      "jobId",
    );
  }
  return [sessionEvent("IngestStarted", { jobId, fileName, format: ingestFormatWire.toWire(format), sourceKey })];
}

export function decideRecordIngestProgress(session: Session, command: RecordIngestProgress): SessionEvent[] {
  const jobId = requireId(command.jobId, "jobId");
  const phase = requireName(command.phase, "phase");
  const done = requireIntegerIn(command.done, "done", 0, Number.MAX_SAFE_INTEGER);
  const total = requireIntegerIn(command.total, "total", 0, Number.MAX_SAFE_INTEGER);
  if (done > total) throw new SessionValidationError(`done: ${done} is more than total ${total}`, "invalid-value", "done");
  requireRunning(session, jobId);
  return [sessionEvent("IngestProgressed", { jobId, phase, done, total })];
}

export function decideRecordIngestCompleted(session: Session, command: RecordIngestCompleted): SessionEvent[] {
  const jobId = requireId(command.jobId, "jobId");
  const summary = requireSummary(command.summary, "summary");
  requireRunning(session, jobId);
  return [sessionEvent("IngestCompleted", { jobId, summary })];
}

export function decideRecordIngestFailed(session: Session, command: RecordIngestFailed): SessionEvent[] {
  const jobId = requireId(command.jobId, "jobId");
  const phase = requireName(command.phase, "phase");
  const reason = requireNonEmptyText(command.reason, "reason", MAX_REASON_LENGTH);
  requireRunning(session, jobId);
  return [sessionEvent("IngestFailed", { jobId, phase, reason })];
}
