import { InvalidWorkQueueRequestError } from "./errors.ts";
import { type ConsumeOptions, JOB_PRIORITIES, type JobPriority, type PayloadCodec } from "./types.ts";

export interface ResolvedConsumeOptions {
  readonly concurrency: number;
  readonly ackWaitMs: number;
  readonly maxAttempts: number;
  readonly backoffMs: readonly number[];
  readonly heartbeatMs: number;
  readonly onError: (error: unknown) => void;
}

export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BACKOFF_MS: readonly number[] = [1000, 5000, 30_000];
/** Completed (and cancelled) job records are kept this long, so a re-enqueue of their id is a no-op. */
export const DEFAULT_COMPLETED_RETENTION_MS = 7 * 24 * 3600 * 1000;

function positiveInteger(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new InvalidWorkQueueRequestError(field, `must be a positive integer (got ${value})`);
  return value;
}

export function resolveConsumeOptions(options: ConsumeOptions = {}): ResolvedConsumeOptions {
  const ackWaitMs = positiveInteger("ackWaitMs", options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS);
  const backoffMs = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  if (backoffMs.length === 0 || backoffMs.some((ms) => !Number.isFinite(ms) || ms < 0)) {
    throw new InvalidWorkQueueRequestError("backoffMs", "must be a non-empty list of delays >= 0");
  }
  const heartbeatMs = positiveInteger("heartbeatMs", options.heartbeatMs ?? Math.max(1, Math.floor(ackWaitMs / 3)));
  if (heartbeatMs >= ackWaitMs) throw new InvalidWorkQueueRequestError("heartbeatMs", `must be shorter than ackWaitMs (${ackWaitMs})`);
  return {
    concurrency: positiveInteger("concurrency", options.concurrency ?? 1),
    ackWaitMs,
    maxAttempts: positiveInteger("maxAttempts", options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS),
    backoffMs,
    heartbeatMs,
    onError: options.onError ?? (() => {}),
  };
}

/** The delay before the retry that follows failed attempt `attempt` (1-based). */
export function retryDelayMs(backoffMs: readonly number[], attempt: number): number {
  return backoffMs[Math.min(attempt, backoffMs.length) - 1]!;
}

const QUEUE_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
// Usable as a NATS subject/KV key as is: tokens of safe characters joined by single dots.
const JOB_ID = /^[A-Za-z0-9_=-]+(\.[A-Za-z0-9_=-]+)*$/;

export function validateQueueName(name: string): string {
  if (!QUEUE_NAME.test(name))
    throw new InvalidWorkQueueRequestError("queue name", `must match ${QUEUE_NAME} (got ${JSON.stringify(name)})`);
  return name;
}

export function validateJobId(id: string): string {
  if (typeof id !== "string" || id.length > 200 || !JOB_ID.test(id)) {
    throw new InvalidWorkQueueRequestError(
      "id",
      `must be [A-Za-z0-9_=-] tokens joined by dots, at most 200 characters (got ${JSON.stringify(id)})`,
    );
  }
  return id;
}

export function validatePriority(priority: JobPriority | undefined): JobPriority {
  const p = priority ?? "normal";
  if (!JOB_PRIORITIES.includes(p))
    throw new InvalidWorkQueueRequestError("priority", `must be one of ${JOB_PRIORITIES.join(", ")} (got ${p})`);
  return p;
}

export function jsonCodec<T>(): PayloadCodec<T> {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    encode: (payload) => encoder.encode(JSON.stringify(payload)),
    decode: (bytes) => JSON.parse(decoder.decode(bytes)) as T,
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
