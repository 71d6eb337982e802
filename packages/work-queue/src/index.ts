export { InvalidWorkQueueRequestError, isTerminalJobError, TerminalJobError, WorkQueueClosedError } from "./errors.ts";
export { createInProcessWorkQueue, type InProcessWorkQueueOptions } from "./in-process-work-queue.ts";
export { createJetStreamWorkQueue, type JetStreamWorkQueueOptions, jetStreamWorkQueueNames } from "./jetstream-work-queue.ts";
export { DEFAULT_ACK_WAIT_MS, DEFAULT_BACKOFF_MS, DEFAULT_COMPLETED_RETENTION_MS, DEFAULT_MAX_ATTEMPTS, jsonCodec } from "./options.ts";
export type {
  ConsumeOptions,
  DeadLetter,
  EnqueueRequest,
  EnqueueResult,
  JobConsumer,
  JobDelivery,
  JobHandler,
  JobInfo,
  JobPriority,
  JobState,
  PayloadCodec,
  QueueStats,
  RequeueSelection,
  WorkQueue,
} from "./types.ts";
export { JOB_PRIORITIES } from "./types.ts";
