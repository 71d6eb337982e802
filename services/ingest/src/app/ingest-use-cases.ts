import { randomUUID } from "node:crypto";
import { DubstageError } from "@dubstage/event-log";
import type { PresignedUrl } from "@dubstage/media-store";
import type { TrackType } from "@dubstage/session/domain";
import { type IngestJob, IngestRejectedError, type NewSessionRequest, newJob } from "../domain/job/index.ts";
import { jobIds } from "./deterministic-ids.ts";
import { JobRegistry } from "./job-registry.ts";
import { type IngestRequest, type JobDependencies, runIngestJob } from "./run-ingest-job.ts";

/** The request is malformed (a field missing or out of range); the message names the field. */
export class InvalidIngestRequestError extends DubstageError {
  override readonly name = "InvalidIngestRequestError";
  readonly kind = "validation" as const;
}

export interface StartIngestInput {
  readonly sourceKey: string;
  readonly fileName?: string;
  readonly target: { readonly sessionId: string } | { readonly newSession: NewSessionRequest };
  readonly ptTrueFades?: boolean;
  readonly ptRemoveSae?: boolean;
  readonly trackTypeRules?: readonly { readonly pattern: string; readonly type: TrackType }[];
  /** Files uploaded for relinking: media key and the file's own name. */
  readonly linkedMedia?: readonly { readonly key: string; readonly fileName: string }[];
  readonly jobId?: string;
}

export interface IngestUseCaseDependencies extends Omit<JobDependencies, "jobs"> {
  /** Jobs that run at once; the others wait in order. @default 2 */
  readonly maxConcurrentJobs?: number;
  readonly newId?: () => string;
}

export interface IngestUseCases {
  createUpload(fileName: string, expiresInSeconds?: number): Promise<PresignedUrl>;
  /** Validates the request, registers the job and starts it in the background. */
  startIngest(input: StartIngestInput, token: string): Promise<IngestJob>;
  getIngest(jobId: string): IngestJob;
  watchIngest(jobId: string, signal?: AbortSignal): AsyncGenerator<IngestJob>;
  /** Aborts running jobs (each records its failure on its session) and waits for them. Idempotent. */
  stop(): Promise<void>;
}

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const MAX_LINKED_MEDIA = 10_000;

export function createIngestUseCases(deps: IngestUseCaseDependencies): IngestUseCases {
  const jobs = new JobRegistry();
  const newId = deps.newId ?? randomUUID;
  const stopping = new AbortController();
  const running = new Set<Promise<void>>();
  const queue: (() => void)[] = [];
  let active = 0;
  const limit = deps.maxConcurrentJobs ?? 2;

  const acquire = () =>
    new Promise<void>((resolve) => {
      if (active < limit) {
        active++;
        resolve();
      } else queue.push(resolve);
    });
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };

  return {
    async createUpload(fileName, expiresInSeconds) {
      requireFileName(fileName);
      return deps.media.presignPut({ prefix: "uploads", ...(expiresInSeconds && { expiresInSeconds }) });
    },

    async startIngest(input, token) {
      if (stopping.signal.aborted) throw new IngestRejectedError("the ingest service is stopping; start the ingest again");
      const jobId = input.jobId?.trim() || newId();
      if (!JOB_ID.test(jobId))
        throw new InvalidIngestRequestError(`job_id must be 1-128 of A-Z a-z 0-9 _ . : - (got ${JSON.stringify(jobId)})`);
      if (jobs.has(jobId)) return jobs.get(jobId); // starting a job again returns it
      if (!input.sourceKey) throw new InvalidIngestRequestError("source_key is required: the media key of the uploaded file");
      const head = await deps.media.head(input.sourceKey); // MediaNotFoundError (NOT_FOUND) when absent
      const fileName = input.fileName?.trim() || head.metadata["file-name"] || input.sourceKey.split("/").at(-1) || input.sourceKey;
      requireFileName(fileName);
      if ("sessionId" in input.target && !input.target.sessionId) throw new InvalidIngestRequestError("session_id must not be empty");
      const linkedMedia = [...new Map((input.linkedMedia ?? []).map((m) => [m.key, m])).values()];
      if (linkedMedia.length > MAX_LINKED_MEDIA) {
        throw new InvalidIngestRequestError(`options.linked_media: at most ${MAX_LINKED_MEDIA} files (got ${linkedMedia.length})`);
      }
      linkedMedia.forEach((m, i) => {
        if (!m.key) throw new InvalidIngestRequestError(`options.linked_media[${i}].key is required`);
      });
      const request: IngestRequest = {
        jobId,
        sourceKey: input.sourceKey,
        fileName,
        token,
        target:
          "sessionId" in input.target
            ? { sessionId: input.target.sessionId }
            : { newSessionId: jobIds(jobId)("session", 0), newSession: input.target.newSession },
        ptTrueFades: input.ptTrueFades ?? false,
        ptRemoveSae: input.ptRemoveSae ?? false,
        trackTypeRules: compileRules(input.trackTypeRules ?? []),
        linkedMedia: linkedMedia.map((m) => ({ key: m.key, fileName: m.fileName || m.key.split("/").at(-1) || m.key })),
      };
      const job = newJob(jobId, fileName, "sessionId" in input.target ? input.target.sessionId : undefined);
      jobs.set(job);
      const run = (async () => {
        await acquire();
        try {
          await runIngestJob(request, { ...deps, jobs }, stopping.signal);
        } finally {
          release();
        }
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
      return job;
    },

    getIngest: (jobId) => jobs.get(jobId),
    watchIngest: (jobId, signal) => jobs.watch(jobId, signal),

    async stop() {
      stopping.abort(new IngestRejectedError("the ingest service stopped before the job finished; start the ingest again"));
      await Promise.allSettled([...running]);
    },
  };
}

function requireFileName(fileName: string): void {
  if (!fileName || fileName.length > 255 || [...fileName].some((ch) => (ch.codePointAt(0) ?? 0) < 0x20 || ch === "\x7f")) {
    throw new InvalidIngestRequestError("file_name must be 1-255 characters without control characters");
  }
}

function compileRules(rules: readonly { pattern: string; type: TrackType }[]): IngestRequest["trackTypeRules"] {
  return rules.map((rule, i) => {
    try {
      return { pattern: new RegExp(rule.pattern, "i"), type: rule.type };
    } catch (error) {
      throw new InvalidIngestRequestError(`options.track_type_rules[${i}].pattern: ${(error as Error).message}`);
    }
  });
}
