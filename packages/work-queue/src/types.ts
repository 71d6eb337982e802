/** Delivery order among pending jobs: every pending high job is handed out before any normal one, and so on. */
export type JobPriority = "high" | "normal" | "low";

export const JOB_PRIORITIES: readonly JobPriority[] = ["high", "normal", "low"];

/**
 * Where a job is. `pending` covers waiting to be delivered and waiting out a retry backoff; `running` a
 * handler holds it (or held it and died, until its lease runs out); the other three are final until a rerun
 * or a requeue.
 */
export type JobState = "pending" | "running" | "completed" | "dead" | "cancelled";

/** Encodes payloads for storage and transport; JSON by default. */
export interface PayloadCodec<T> {
  encode(payload: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

export interface EnqueueRequest<T> {
  /** The job's identity and idempotency key: `[A-Za-z0-9_=-]` tokens joined by single dots, at most 200 characters. */
  readonly id: string;
  readonly payload: T;
  /** @default "normal" */
  readonly priority?: JobPriority;
  /** A label shared by related jobs (e.g. a render id), so operators can act on all of them at once. */
  readonly group?: string;
  /**
   * Run again a job that already ended (completed, dead or cancelled). Without it, enqueuing such an id is a
   * no-op while its record is retained. A pending or running job is never enqueued twice, rerun or not.
   */
  readonly rerun?: boolean;
}

export interface EnqueueResult {
  /** True when this call put the job in the queue; false when the id was already there or had ended. */
  readonly enqueued: boolean;
  /** The job's state after the call. */
  readonly state: JobState;
}

/** What a queue knows about one job. */
export interface JobInfo {
  readonly id: string;
  readonly state: JobState;
  readonly priority: JobPriority;
  readonly group: string | undefined;
  /** Deliveries so far (in this run: a rerun or a requeue starts again at 0). */
  readonly attempts: number;
  /** The last failure's message (dead jobs), or why it was cancelled. */
  readonly error: string | undefined;
  readonly updatedAt: Date;
}

/** One delivery of a job to a handler. */
export interface JobDelivery<T> {
  readonly id: string;
  readonly payload: T;
  /** 1 on the first delivery, incremented on every redelivery (retry, or the previous worker died). */
  readonly attempt: number;
  readonly priority: JobPriority;
  readonly group: string | undefined;
  /** Aborted when the job is cancelled or the consumer stops or is killed; the reason says which. */
  readonly signal: AbortSignal;
  /** In-progress ack: extends the lease by a whole ack wait. Also sent automatically while the handler runs. */
  working(): Promise<void>;
}

/** Resolve → the job is done (acked). Throw → retried with backoff; throw `TerminalJobError` → dead at once. */
export type JobHandler<T> = (delivery: JobDelivery<T>) => Promise<void>;

export interface ConsumeOptions {
  /** Handlers running at once in this consumer. @default 1 */
  readonly concurrency?: number;
  /**
   * How long a delivery may go without an outcome or a `working()` before it is redelivered (the worker is
   * presumed dead). On JetStream it is the shared durable consumers' ack_wait: the last consumer started sets it.
   * @default 30000
   */
  readonly ackWaitMs?: number;
  /** Deliveries before a failing job is dead-lettered (a delivery whose worker died counts). @default 5 */
  readonly maxAttempts?: number;
  /** Delay before retry n (1-based) is `backoffMs[n-1]`, the last entry repeating. @default [1000, 5000, 30000] */
  readonly backoffMs?: readonly number[];
  /** Interval of the automatic in-progress acks. @default ackWaitMs / 3 */
  readonly heartbeatMs?: number;
  /** Called with errors the consumer recovers from by itself (a lost connection, a failed ack). */
  readonly onError?: (error: unknown) => void;
}

export interface JobConsumer {
  /**
   * Graceful: stops taking jobs, aborts the running handlers' signals (reason `"consumer-stopped"`) and waits
   * for them. A handler that still resolves is acked; one that throws is handed back for redelivery at once,
   * with no backoff and without dead-lettering.
   */
  stop(): Promise<void>;
  /**
   * A simulated crash: stops taking jobs and sends nothing more for the running ones (no outcome, no
   * in-progress acks), so they are redelivered after the ack wait. Handlers already running are abandoned.
   */
  kill(): void;
  /** Handlers running now. */
  readonly running: number;
}

export interface DeadLetter {
  readonly id: string;
  readonly group: string | undefined;
  readonly priority: JobPriority;
  readonly attempts: number;
  /** The last error's message. */
  readonly error: string;
  readonly failedAt: Date;
}

export interface RequeueSelection {
  /** Every dead letter of this group. */
  readonly group?: string;
  /** These dead letters (ids that are not dead are ignored). */
  readonly ids?: readonly string[];
}

export interface QueueStats {
  /** Jobs waiting, per priority (including those waiting out a retry backoff). */
  readonly pending: Readonly<Record<JobPriority, number>>;
  readonly running: number;
  readonly dead: number;
}

/** A named durable job queue. Delivery is at least once: handlers must be idempotent by job id. */
export interface WorkQueue<T> {
  readonly name: string;
  enqueue(request: EnqueueRequest<T>): Promise<EnqueueResult>;
  consume(handler: JobHandler<T>, options?: ConsumeOptions): Promise<JobConsumer>;
  /** The job's record, while retained; undefined when unknown. */
  job(id: string): Promise<JobInfo | undefined>;
  /**
   * A pending job is never delivered; a running one sees its signal aborted (reason `"cancelled"`) and is not
   * retried whatever its handler does. True when the job was pending or running and is now cancelled.
   */
  cancel(id: string, reason?: string): Promise<boolean>;
  /** Moves a pending job to another priority. True when it was pending; a running or ended job is left alone. */
  setPriority(id: string, priority: JobPriority): Promise<boolean>;
  deadLetters(filter?: { readonly group?: string }): Promise<DeadLetter[]>;
  /** Puts dead letters back as pending jobs with a fresh attempt count; returns how many. */
  requeueDeadLetters(selection: RequeueSelection): Promise<number>;
  stats(): Promise<QueueStats>;
  /** Stops this handle's consumers gracefully and releases its resources (not the NATS connection). */
  close(): Promise<void>;
}
