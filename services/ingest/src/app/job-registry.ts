import { type IngestJob, IngestJobNotFoundError, isFinished } from "../domain/job/index.ts";

/**
 * The jobs this process runs or ran, with change notification for WatchIngest. The durable record of an
 * ingest is on its session's event stream; this is the live view (kept for `retain` finished jobs).
 */
export class JobRegistry {
  readonly #jobs = new Map<string, IngestJob>();
  readonly #waiters = new Map<string, Set<() => void>>();
  readonly #retain: number;

  constructor(retain = 1000) {
    this.#retain = retain;
  }

  has(jobId: string): boolean {
    return this.#jobs.has(jobId);
  }

  get(jobId: string): IngestJob {
    const job = this.#jobs.get(jobId);
    if (job === undefined) throw new IngestJobNotFoundError(jobId);
    return job;
  }

  set(job: IngestJob): void {
    this.#jobs.delete(job.jobId); // re-insert: Map order is the eviction order
    this.#jobs.set(job.jobId, job);
    this.#evict();
    const waiters = this.#waiters.get(job.jobId);
    if (waiters) for (const wake of [...waiters]) wake();
  }

  update(jobId: string, change: (job: IngestJob) => IngestJob): IngestJob {
    const next = change(this.get(jobId));
    this.set(next);
    return next;
  }

  /** The job now, then every change until it finishes or `signal` aborts. */
  async *watch(jobId: string, signal?: AbortSignal): AsyncGenerator<IngestJob> {
    let job = this.get(jobId);
    yield job;
    while (!isFinished(job)) {
      await new Promise<void>((resolve) => {
        const waiters = this.#waiters.get(jobId) ?? new Set();
        this.#waiters.set(jobId, waiters);
        const wake = () => {
          waiters.delete(wake);
          signal?.removeEventListener("abort", wake);
          resolve();
        };
        waiters.add(wake);
        signal?.addEventListener("abort", wake, { once: true });
      });
      signal?.throwIfAborted();
      const next = this.get(jobId);
      if (next !== job) {
        job = next;
        yield job;
      }
    }
  }

  #evict(): void {
    let finished = 0;
    for (const job of this.#jobs.values()) if (isFinished(job)) finished++;
    for (const [id, job] of this.#jobs) {
      if (finished <= this.#retain) break;
      if (isFinished(job)) {
        this.#jobs.delete(id);
        finished--;
      }
    }
  }
}
