import type { TrackType } from "@dubstage/session/domain";
import type { NewSessionRequest } from "../domain/job/index.ts";
import type { IngestRequest } from "./run-ingest-job.ts";

// An ingest job as it travels through the work queue: everything the job needs, fixed at StartIngest, so
// that any ingest process can run it (again) after the one that accepted it is gone. The caller's token
// rides along: every session call of the job is made as that user (see README, "Jobs survive a crash").

export const INGEST_QUEUE_NAME = "ingest";

export interface IngestJobMessage {
  readonly v: 1;
  readonly jobId: string;
  readonly sourceKey: string;
  readonly fileName: string;
  readonly token: string;
  readonly target: { readonly sessionId: string } | { readonly newSessionId: string; readonly newSession: NewSessionRequest };
  readonly ptTrueFades: boolean;
  readonly ptRemoveSae: boolean;
  /** Regular expressions by source; matched case-insensitively, as at StartIngest. */
  readonly trackTypeRules: readonly { readonly pattern: string; readonly type: TrackType }[];
  readonly linkedMedia: readonly { readonly key: string; readonly fileName: string }[];
}

/** The queue's id for a job: its id in base64url (ingest ids may hold ':' and '.', which queue ids may not). */
export function queueJobId(jobId: string): string {
  return Buffer.from(jobId, "utf8").toString("base64url");
}

export function toQueueMessage(request: IngestRequest): IngestJobMessage {
  return {
    v: 1,
    jobId: request.jobId,
    sourceKey: request.sourceKey,
    fileName: request.fileName,
    token: request.token,
    target: request.target,
    ptTrueFades: request.ptTrueFades,
    ptRemoveSae: request.ptRemoveSae,
    trackTypeRules: request.trackTypeRules.map((rule) => ({ pattern: rule.pattern.source, type: rule.type })),
    linkedMedia: request.linkedMedia,
  };
}

/** The request back; a message of another version or shape is refused (it cannot be run, only dead-lettered). */
export function fromQueueMessage(message: IngestJobMessage): IngestRequest {
  if (message?.v !== 1 || typeof message.jobId !== "string" || typeof message.sourceKey !== "string") {
    throw new Error(`not an ingest job message of version 1 (got version ${JSON.stringify(message?.v)})`);
  }
  return {
    jobId: message.jobId,
    sourceKey: message.sourceKey,
    fileName: message.fileName,
    token: message.token,
    target: message.target,
    ptTrueFades: message.ptTrueFades,
    ptRemoveSae: message.ptRemoveSae,
    trackTypeRules: message.trackTypeRules.map((rule) => ({ pattern: new RegExp(rule.pattern, "i"), type: rule.type })),
    linkedMedia: message.linkedMedia,
  };
}
