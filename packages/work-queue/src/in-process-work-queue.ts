import { isTerminalJobError, WorkQueueClosedError } from "./errors.ts";
import {
  DEFAULT_COMPLETED_RETENTION_MS,
  errorMessage,
  jsonCodec,
  type ResolvedConsumeOptions,
  resolveConsumeOptions,
  retryDelayMs,
  validateJobId,
  validatePriority,
  validateQueueName,
} from "./options.ts";
import {
  type ConsumeOptions,
  type DeadLetter,
  type EnqueueRequest,
  type EnqueueResult,
  JOB_PRIORITIES,
  type JobConsumer,
  type JobHandler,
  type JobInfo,
  type JobPriority,
  type JobState,
  type PayloadCodec,
  type QueueStats,
  type RequeueSelection,
  type WorkQueue,
} from "./types.ts";

export interface InProcessWorkQueueOptions<T> {
  readonly name: string;
  /** @default JSON */
  readonly codec?: PayloadCodec<T>;
  /** How long an ended (completed, cancelled) job's record is kept. @default 7 days */
  readonly completedRetentionMs?: number;
}

interface Job {
  readonly id: string;
  priority: JobPriority;
  group: string | undefined;
  payload: Uint8Array;
  state: JobState;
  attempts: number;
  error: string | undefined;
  updatedAt: Date;
  /** In a ready list (pending and not waiting out a backoff). */
  ready: boolean;
  backoff: ReturnType<typeof setTimeout> | undefined;
  lease: Lease | undefined;
}

interface Lease {
  readonly token: number;
  readonly abort: AbortController;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The work queue of the embedded platform: the same semantics as the JetStream queue, in memory (timers for
 * leases and backoff). Nothing survives the process, which in the embedded mode is the whole platform.
 */
export function createInProcessWorkQueue<T>(options: InProcessWorkQueueOptions<T>): WorkQueue<T> {
  return new InProcessWorkQueue(options);
}

class InProcessWorkQueue<T> implements WorkQueue<T> {
  readonly name: string;
  readonly #codec: PayloadCodec<T>;
  readonly #retentionMs: number;
  readonly #jobs = new Map<string, Job>();
  readonly #ready: Record<JobPriority, string[]> = { high: [], normal: [], low: [] };
  readonly #consumers: InProcessConsumer<T>[] = [];
  #nextConsumer = 0;
  #nextToken = 0;
  #closed = false;

  constructor(options: InProcessWorkQueueOptions<T>) {
    this.name = validateQueueName(options.name);
    this.#codec = options.codec ?? jsonCodec<T>();
    this.#retentionMs = options.completedRetentionMs ?? DEFAULT_COMPLETED_RETENTION_MS;
  }

  async enqueue(request: EnqueueRequest<T>): Promise<EnqueueResult> {
    this.#assertOpen();
    const id = validateJobId(request.id);
    const priority = validatePriority(request.priority);
    const payload = this.#codec.encode(request.payload);
    const existing = this.#current(id);
    if (existing) {
      const ended = existing.state === "completed" || existing.state === "dead" || existing.state === "cancelled";
      if (!ended || !request.rerun) return { enqueued: false, state: existing.state };
    }
    const job: Job = {
      id,
      priority,
      group: request.group,
      payload,
      state: "pending",
      attempts: 0,
      error: undefined,
      updatedAt: new Date(),
      ready: false,
      backoff: undefined,
      lease: undefined,
    };
    this.#jobs.set(id, job);
    this.#makeReady(job);
    return { enqueued: true, state: "pending" };
  }

  async consume(handler: JobHandler<T>, options?: ConsumeOptions): Promise<JobConsumer> {
    this.#assertOpen();
    const consumer = new InProcessConsumer<T>(this, handler, resolveConsumeOptions(options));
    this.#consumers.push(consumer);
    this.dispatch();
    return consumer;
  }

  async job(id: string): Promise<JobInfo | undefined> {
    const job = this.#current(id);
    return job && infoOf(job);
  }

  async cancel(id: string, reason = "cancelled"): Promise<boolean> {
    const job = this.#current(id);
    if (!job || (job.state !== "pending" && job.state !== "running")) return false;
    this.#unready(job);
    clearTimeout(job.backoff);
    job.backoff = undefined;
    const lease = job.lease;
    job.lease = undefined;
    this.#end(job, "cancelled", reason);
    if (lease) {
      clearTimeout(lease.timer);
      lease.abort.abort("cancelled");
    }
    return true;
  }

  async setPriority(id: string, priority: JobPriority): Promise<boolean> {
    const p = validatePriority(priority);
    const job = this.#current(id);
    if (job?.state !== "pending") return false;
    const wasReady = job.ready;
    this.#unready(job);
    job.priority = p;
    job.updatedAt = new Date();
    if (wasReady) this.#makeReady(job);
    return true;
  }

  async deadLetters(filter: { readonly group?: string } = {}): Promise<DeadLetter[]> {
    const out: DeadLetter[] = [];
    for (const job of this.#jobs.values()) {
      if (job.state !== "dead" || (filter.group !== undefined && job.group !== filter.group)) continue;
      out.push({
        id: job.id,
        group: job.group,
        priority: job.priority,
        attempts: job.attempts,
        error: job.error ?? "",
        failedAt: job.updatedAt,
      });
    }
    return out;
  }

  async requeueDeadLetters(selection: RequeueSelection): Promise<number> {
    this.#assertOpen();
    const ids = selection.ids === undefined ? undefined : new Set(selection.ids);
    let count = 0;
    for (const job of this.#jobs.values()) {
      if (job.state !== "dead") continue;
      if (selection.group !== undefined && job.group !== selection.group) continue;
      if (ids && !ids.has(job.id)) continue;
      job.state = "pending";
      job.attempts = 0;
      job.error = undefined;
      job.updatedAt = new Date();
      this.#makeReady(job);
      count++;
    }
    return count;
  }

  async stats(): Promise<QueueStats> {
    const pending: Record<JobPriority, number> = { high: 0, normal: 0, low: 0 };
    let running = 0;
    let dead = 0;
    for (const job of this.#jobs.values()) {
      if (job.state === "pending") pending[job.priority]++;
      else if (job.state === "running") running++;
      else if (job.state === "dead") dead++;
    }
    return { pending, running, dead };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#consumers.map((c) => c.stop()));
    for (const job of this.#jobs.values()) {
      clearTimeout(job.backoff);
      if (job.lease) clearTimeout(job.lease.timer);
    }
  }

  // --- used by the consumers ---

  /** Hands ready jobs, highest priority first, to consumers with a free slot, in turn. */
  dispatch(): void {
    for (;;) {
      const consumer = this.#freeConsumer();
      if (!consumer) return;
      const job = this.#takeReady();
      if (!job) return;
      this.#deliver(job, consumer);
    }
  }

  removeConsumer(consumer: InProcessConsumer<T>): void {
    const index = this.#consumers.indexOf(consumer);
    if (index >= 0) this.#consumers.splice(index, 1);
  }

  /** Extends a lease; false when the delivery no longer holds the job. */
  renew(job: Job, token: number, ackWaitMs: number): boolean {
    if (job.lease?.token !== token) return false;
    clearTimeout(job.lease.timer);
    job.lease.timer = setTimeout(() => this.#expire(job, token), ackWaitMs);
    return true;
  }

  /** Applies a handler's outcome, unless the delivery lost the job (lease expired, cancelled). */
  settle(
    job: Job,
    token: number,
    options: ResolvedConsumeOptions,
    outcome: { error?: unknown; handBack?: boolean },
    attempt: number,
  ): void {
    if (job.lease?.token !== token) return;
    clearTimeout(job.lease.timer);
    job.lease = undefined;
    if (!("error" in outcome)) this.#end(job, "completed", undefined);
    else if (outcome.handBack) {
      // A hand-back is not an attempt: the next delivery carries the same attempt number.
      job.attempts--;
      this.#makeReady(job);
    } else if (isTerminalJobError(outcome.error) || attempt >= options.maxAttempts) this.#end(job, "dead", errorMessage(outcome.error));
    else {
      job.state = "pending";
      job.updatedAt = new Date();
      job.backoff = setTimeout(
        () => {
          job.backoff = undefined;
          if (job.state === "pending") this.#makeReady(job);
        },
        retryDelayMs(options.backoffMs, attempt),
      );
    }
    this.dispatch();
  }

  // --- internals ---

  #deliver(job: Job, consumer: InProcessConsumer<T>): void {
    job.attempts++;
    const attempt = job.attempts;
    if (attempt > consumer.options.maxAttempts) {
      this.#end(job, "dead", `no outcome after ${attempt - 1} deliveries (workers died or were killed)`);
      return;
    }
    const token = ++this.#nextToken;
    const abort = new AbortController();
    job.state = "running";
    job.updatedAt = new Date();
    job.lease = { token, abort, timer: setTimeout(() => this.#expire(job, token), consumer.options.ackWaitMs) };
    consumer.run(job, token, abort.signal, attempt, this.#codec.decode(job.payload));
  }

  /** The lease ran out: the worker is presumed dead and the job goes back to the queue. */
  #expire(job: Job, token: number): void {
    if (job.lease?.token !== token) return;
    job.lease = undefined;
    this.#makeReady(job);
    this.dispatch();
  }

  #makeReady(job: Job): void {
    job.state = "pending";
    job.updatedAt = new Date();
    if (!job.ready) {
      job.ready = true;
      this.#ready[job.priority].push(job.id);
    }
    queueMicrotask(() => this.dispatch());
  }

  #unready(job: Job): void {
    if (!job.ready) return;
    job.ready = false;
    const list = this.#ready[job.priority];
    list.splice(list.indexOf(job.id), 1);
  }

  #takeReady(): Job | undefined {
    for (const priority of JOB_PRIORITIES) {
      const id = this.#ready[priority].shift();
      if (id === undefined) continue;
      const job = this.#jobs.get(id)!;
      job.ready = false;
      return job;
    }
    return undefined;
  }

  #freeConsumer(): InProcessConsumer<T> | undefined {
    const n = this.#consumers.length;
    for (let i = 0; i < n; i++) {
      const consumer = this.#consumers[(this.#nextConsumer + i) % n]!;
      if (consumer.hasFreeSlot()) {
        this.#nextConsumer = (this.#nextConsumer + i + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }

  #end(job: Job, state: "completed" | "dead" | "cancelled", error: string | undefined): void {
    job.state = state;
    job.error = error;
    job.updatedAt = new Date();
  }

  /** The job's record, forgetting a completed or cancelled one past the retention window. */
  #current(id: string): Job | undefined {
    const job = this.#jobs.get(id);
    if (job && (job.state === "completed" || job.state === "cancelled") && Date.now() - job.updatedAt.getTime() > this.#retentionMs) {
      this.#jobs.delete(id);
      return undefined;
    }
    return job;
  }

  #assertOpen(): void {
    if (this.#closed) throw new WorkQueueClosedError(this.name);
  }
}

function infoOf(job: Job): JobInfo {
  return {
    id: job.id,
    state: job.state,
    priority: job.priority,
    group: job.group,
    attempts: job.attempts,
    error: job.error,
    updatedAt: job.updatedAt,
  };
}

class InProcessConsumer<T> implements JobConsumer {
  readonly options: ResolvedConsumeOptions;
  readonly #queue: InProcessWorkQueue<T>;
  readonly #handler: JobHandler<T>;
  readonly #inFlight = new Map<Promise<void>, AbortController>();
  #state: "running" | "stopping" | "killed" = "running";

  constructor(queue: InProcessWorkQueue<T>, handler: JobHandler<T>, options: ResolvedConsumeOptions) {
    this.#queue = queue;
    this.#handler = handler;
    this.options = options;
  }

  get running(): number {
    return this.#inFlight.size;
  }

  hasFreeSlot(): boolean {
    return this.#state === "running" && this.#inFlight.size < this.options.concurrency;
  }

  run(job: Job, token: number, jobSignal: AbortSignal, attempt: number, payload: T): void {
    // The handler's signal fires on cancel (the job's) and on stop/kill (this consumer's).
    const local = new AbortController();
    jobSignal.addEventListener("abort", () => local.abort(jobSignal.reason), { once: true });
    const working = async () => {
      if (this.#state !== "killed") this.#queue.renew(job, token, this.options.ackWaitMs);
    };
    const heartbeat = setInterval(() => void working(), this.options.heartbeatMs);
    const task = (async () => {
      let outcome: { error?: unknown; handBack?: boolean } = {};
      try {
        await this.#handler({ id: job.id, payload, attempt, priority: job.priority, group: job.group, signal: local.signal, working });
      } catch (error) {
        outcome = { error, handBack: this.#state === "stopping" };
      } finally {
        clearInterval(heartbeat);
      }
      if (this.#state !== "killed") this.#queue.settle(job, token, this.options, outcome, attempt);
    })();
    this.#inFlight.set(task, local);
    void task.finally(() => {
      this.#inFlight.delete(task);
      if (this.#state === "running") this.#queue.dispatch();
    });
  }

  async stop(): Promise<void> {
    if (this.#state === "running") this.#state = "stopping";
    this.#queue.removeConsumer(this);
    for (const abort of this.#inFlight.values()) abort.abort("consumer-stopped");
    await Promise.all(this.#inFlight.keys());
  }

  kill(): void {
    this.#state = "killed";
    this.#queue.removeConsumer(this);
    for (const abort of this.#inFlight.values()) abort.abort("consumer-killed");
  }
}
