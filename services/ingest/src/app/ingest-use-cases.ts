import { randomUUID } from "node:crypto";
import { DubstageError } from "@dubstage/event-log";
import type { PresignedUrl } from "@dubstage/media-store";
import type { TrackType } from "@dubstage/session/domain";
import { createInProcessWorkQueue, type JobConsumer, type JobDelivery, TerminalJobError, type WorkQueue } from "@dubstage/work-queue";
import { type IngestJob, IngestRejectedError, type NewSessionRequest, newJob } from "../domain/job/index.ts";
import { jobIds } from "./deterministic-ids.ts";
import { fromQueueMessage, INGEST_QUEUE_NAME, type IngestJobMessage, queueJobId, toQueueMessage } from "./ingest-queue.ts";
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
  /** Jobs that run at once in this process; the others wait in the queue. @default 2 */
  readonly maxConcurrentJobs?: number;
  readonly newId?: () => string;
  /**
   * Where accepted jobs wait and from which this process takes them. A durable queue (JetStream) outlives the
   * process: a job whose process died is delivered again, and one running at a graceful stop is handed back
   * rather than failed. @default an in-process queue (not durable: a stop fails the running jobs)
   */
  readonly queue?: { readonly queue: WorkQueue<IngestJobMessage>; readonly durable: boolean };
  /** How long a running job may go without a sign of life before another process takes it. @default 60000 */
  readonly jobLeaseMs?: number;
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
  let accepting = true;
  const ownQueue = deps.queue === undefined;
  const { queue, durable } = deps.queue ?? {
    queue: createInProcessWorkQueue<IngestJobMessage>({ name: INGEST_QUEUE_NAME }),
    durable: false,
  };

  const runDelivery = async (delivery: JobDelivery<IngestJobMessage>) => {
    let request: IngestRequest;
    try {
      request = fromQueueMessage(delivery.payload);
    } catch (error) {
      // Written by another version of the service, or not by it at all: no retry can run it.
      throw new TerminalJobError(`ingest job ${delivery.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const target = "sessionId" in request.target ? request.target.sessionId : undefined;
    // A job accepted by another process (or by this one before it restarted) is known here from now on.
    if (!jobs.has(request.jobId) || delivery.attempt > 1) jobs.set(newJob(request.jobId, request.fileName, target));
    if (delivery.attempt > 1) {
      jobs.update(request.jobId, (job) => ({
        ...job,
        warnings: [`run again (delivery ${delivery.attempt}): the ingest process running it before stopped or died`],
      }));
    }
    const outcome = await runIngestJob(request, { ...deps, jobs }, AbortSignal.any([stopping.signal, delivery.signal]), {
      handsBack: () => durable && delivery.signal.aborted && delivery.signal.reason === "consumer-stopped",
    });
    // Thrown after a graceful stop: the durable queue hands the job to the next process without a retry delay.
    if (outcome === "handed-back") throw new IngestRejectedError("handed back: the ingest service stopped");
  };
  const consumer: Promise<JobConsumer | undefined> = queue
    .consume(runDelivery, {
      concurrency: deps.maxConcurrentJobs ?? 2,
      ackWaitMs: deps.jobLeaseMs ?? 60_000,
      // Only a dying process makes a job fail without an outcome; three deaths in a row end it.
      maxAttempts: 3,
      backoffMs: [1000],
      onError: (error: unknown) => deps.onDiagnostic?.("ingest: work queue", { err: error }),
    })
    .catch((error: unknown) => {
      deps.onDiagnostic?.("ingest: the work queue refused a consumer; no job will run", { err: error });
      return undefined;
    });

  return {
    async createUpload(fileName, expiresInSeconds) {
      requireFileName(fileName);
      return deps.media.presignPut({ prefix: "uploads", ...(expiresInSeconds && { expiresInSeconds }) });
    },

    async startIngest(input, token) {
      if (!accepting) throw new IngestRejectedError("the ingest service is stopping; start the ingest again");
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
      const queued = await queue.enqueue({ id: queueJobId(jobId), payload: toQueueMessage(request) });
      if (!queued.enqueued && queued.state !== "pending" && queued.state !== "running") {
        // The id already ran to its end (in an earlier life of the service): its outcome is on its session.
        return jobs.update(jobId, (current) => ({
          ...current,
          state: queued.state === "completed" ? "completed" : "failed",
          phase: "done",
          ...(queued.state === "completed"
            ? { warnings: [`job ${jobId} already ran to its end earlier; its result is on its session`] }
            : { error: `job ${jobId} already ended earlier (${queued.state}); start the ingest with another job id` }),
        }));
      }
      return job;
    },

    getIngest: (jobId) => jobs.get(jobId),
    watchIngest: (jobId, signal) => jobs.watch(jobId, signal),

    async stop() {
      // Durable: the consumer's stop aborts the running jobs, which hand themselves back to the queue.
      // In-process: nothing outlives the process, so each running job records its failure on its session.
      accepting = false;
      if (!durable) stopping.abort(new IngestRejectedError("the ingest service stopped before the job finished; start the ingest again"));
      await (await consumer)?.stop();
      if (ownQueue) await queue.close();
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
