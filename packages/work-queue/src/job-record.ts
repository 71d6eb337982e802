import type { JobInfo, JobPriority, JobState } from "./types.ts";

/**
 * A job's record in the JetStream queue's key-value bucket: the single source of truth for its state. The
 * stream holds only wake-up messages `{id, run}`; a message whose `run` is not the record's is stale (the job
 * was re-enqueued, re-prioritised, cancelled or ended meanwhile) and is acked without running.
 */
export interface JobRecord {
  readonly state: JobState;
  readonly priority: JobPriority;
  readonly group: string | undefined;
  readonly attempts: number;
  readonly error: string | undefined;
  /** Epoch milliseconds. */
  readonly updatedAt: number;
  /** Nonce of the message that may run this job now; a new one on every (re)publish. */
  readonly run: string;
  /** The delivery holding the job while running (`<stream seq>.<delivery count>`); only its outcome counts. */
  readonly lease: string | undefined;
  /** The payload, base64: a dead-lettered or re-prioritised job is published again from here. */
  readonly payload: string;
}

export interface JobMessage {
  readonly id: string;
  readonly run: string;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeRecord(record: JobRecord): Uint8Array {
  return encoder.encode(JSON.stringify(record));
}

export function decodeRecord(bytes: Uint8Array): JobRecord {
  return JSON.parse(decoder.decode(bytes)) as JobRecord;
}

export function encodeMessage(message: JobMessage): Uint8Array {
  return encoder.encode(JSON.stringify(message));
}

/** The message, or undefined for bytes that are not one (written by something other than this queue). */
export function decodeMessage(bytes: Uint8Array): JobMessage | undefined {
  try {
    const value = JSON.parse(decoder.decode(bytes)) as Partial<JobMessage>;
    return typeof value?.id === "string" && typeof value.run === "string" ? { id: value.id, run: value.run } : undefined;
  } catch {
    return undefined;
  }
}

export function isEnded(state: JobState): boolean {
  return state === "completed" || state === "dead" || state === "cancelled";
}

export function recordInfo(id: string, record: JobRecord): JobInfo {
  return {
    id,
    state: record.state,
    priority: record.priority,
    group: record.group,
    attempts: record.attempts,
    error: record.error,
    updatedAt: new Date(record.updatedAt),
  };
}

/** Where a JetStream delivery came from, read off its ack subject (`$JS.ACK.…`, with or without domain). */
export interface AckSubject {
  readonly streamSequence: number;
  readonly deliveryCount: number;
}

export function parseAckSubject(reply: string): AckSubject | undefined {
  const tokens = reply.split(".");
  if (tokens[0] !== "$JS" || tokens[1] !== "ACK") return undefined;
  // v1: $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>
  // v2: $JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>.<token>
  const at = tokens.length === 9 ? 4 : tokens.length >= 11 ? 6 : -1;
  if (at < 0) return undefined;
  const deliveryCount = Number(tokens[at]);
  const streamSequence = Number(tokens[at + 1]);
  if (!Number.isSafeInteger(deliveryCount) || !Number.isSafeInteger(streamSequence)) return undefined;
  return { streamSequence, deliveryCount };
}
