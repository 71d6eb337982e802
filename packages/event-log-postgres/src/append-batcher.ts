import { type AppendResult, EventIdConflictError, EventLogCancelledError } from "@dubstage/event-log";
import { isConnectionError, sqlState, translateError } from "./pg-errors.ts";
import type { AppendOutcome, AppendRequest } from "./queries/append-batch.ts";

/** Limits of write combining; see `PostgresEventLogOptions.writeCombining`. */
export interface WriteCombiningOptions {
  /** Batches (transactions) of one log in flight at once. @default 2 */
  readonly maxInFlight?: number;
  /** Appends per batch. @default 100 */
  readonly maxAppends?: number;
  /** Events per batch (a single larger append still goes, alone). @default 10000 */
  readonly maxEvents?: number;
}

interface Waiting {
  readonly request: AppendRequest;
  readonly ids: readonly string[];
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
  readonly forget: () => void;
}

/**
 * Write combining (group commit). Concurrent appends of one log are queued and written together, several
 * per transaction, by `write` (one `append_batch` call). Nothing waits for company: an append that finds a
 * free slot (fewer than `maxInFlight` batches running) leaves in the current tick; appends arriving while
 * every slot is busy queue up and leave together in the next batch. Each append keeps its own outcome.
 */
export class AppendBatcher {
  readonly #write: (appends: readonly AppendRequest[], checkIds: boolean) => Promise<AppendOutcome[]>;
  readonly #onWritten: () => void;
  readonly #maxInFlight: number;
  readonly #maxAppends: number;
  readonly #maxEvents: number;
  readonly #queue: Waiting[] = [];
  #inFlight = 0;
  #scheduled = false;
  readonly #idlers: (() => void)[] = [];

  constructor(
    write: (appends: readonly AppendRequest[], checkIds: boolean) => Promise<AppendOutcome[]>,
    onWritten: () => void,
    options: WriteCombiningOptions = {},
  ) {
    this.#write = write;
    this.#onWritten = onWritten;
    this.#maxInFlight = positiveInteger("maxInFlight", options.maxInFlight ?? 2);
    this.#maxAppends = positiveInteger("maxAppends", options.maxAppends ?? 100);
    this.#maxEvents = positiveInteger("maxEvents", options.maxEvents ?? 10_000);
  }

  /** Queues a validated append; resolves or rejects exactly as a lone append would. */
  append(request: AppendRequest, signal?: AbortSignal): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      const onAbort = () => {
        // Still queued, so never sent: drop it. Once sent, an append runs to its commit.
        const index = this.#queue.indexOf(waiting);
        if (index < 0) return;
        this.#queue.splice(index, 1);
        reject(new EventLogCancelledError({ cause: signal?.reason }));
        this.#notifyIdle();
      };
      const waiting: Waiting = {
        request,
        ids: request.events.map((e) => e.id.toLowerCase()),
        resolve,
        reject,
        forget: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiting);
      this.#schedule();
    });
  }

  /** Resolves when nothing is queued or in flight. */
  async idle(): Promise<void> {
    if (this.#inFlight > 0 || this.#queue.length > 0) await new Promise<void>((resolve) => this.#idlers.push(resolve));
  }

  #notifyIdle(): void {
    if (this.#inFlight === 0 && this.#queue.length === 0) for (const idle of this.#idlers.splice(0)) idle();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    // Appends made in the same tick (e.g. Promise.all) share the first batch.
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.length > 0) {
      // Spread what is queued over the free slots: the calls then execute in parallel on as many
      // server processes (a batch executes on one core), instead of one call taking everything.
      const share = Math.ceil(this.#queue.length / (this.#maxInFlight - this.#inFlight));
      const batch = this.#takeBatch(share);
      this.#inFlight++;
      void this.#run(batch).finally(() => {
        this.#inFlight--;
        if (this.#queue.length > 0) this.#flush();
        else this.#notifyIdle();
      });
    }
  }

  /**
   * The oldest queued appends, up to the limits. A batch never holds the same event id twice (the same
   * append sent twice at once): the second waits for the next batch, where it is seen as a resend.
   */
  #takeBatch(share: number): Waiting[] {
    const batch: Waiting[] = [];
    const ids = new Set<string>();
    let events = 0;
    for (const waiting of this.#queue) {
      if (batch.length === Math.min(share, this.#maxAppends)) break;
      if (batch.length > 0 && events + waiting.ids.length > this.#maxEvents) break;
      if (waiting.ids.some((id) => ids.has(id))) break;
      for (const id of waiting.ids) ids.add(id);
      events += waiting.ids.length;
      batch.push(waiting);
    }
    this.#queue.splice(0, batch.length);
    for (const waiting of batch) waiting.forget();
    return batch;
  }

  async #run(batch: readonly Waiting[], checkIds = false): Promise<void> {
    let outcomes: AppendOutcome[];
    try {
      outcomes = await this.#write(
        batch.map((w) => w.request),
        checkIds,
      );
    } catch (error) {
      if (isConnectionError(error)) {
        for (const waiting of batch) waiting.reject(appendError(error, waiting.request));
      } else if (!checkIds && isIdViolation(error)) {
        // A resend (ids already in the log): the batch rolled back; repeat it looking every id up first,
        // which answers each append on its own (the original result, or an id conflict).
        await this.#run(batch, true);
      } else if (batch.length === 1) {
        batch[0]?.reject(appendError(error, batch[0].request));
      } else {
        // Something no single append should cause (a deadlock with another process, an id committed by
        // another writer meanwhile): the batch rolled back, so run each append alone for its own answer.
        for (const waiting of batch) await this.#run([waiting], true);
      }
      return;
    }
    if (outcomes.some((o) => o.ok && !o.result.duplicate)) this.#onWritten();
    outcomes.forEach((outcome, index) => {
      const waiting = batch[index] as Waiting;
      if (outcome.ok) waiting.resolve(outcome.result);
      else waiting.reject(outcome.error);
    });
  }
}

function isIdViolation(error: unknown): boolean {
  return sqlState(error) === "23505" && (error as { constraint?: string }).constraint === "events_id_unique";
}

/** The error a lone append gets when its whole statement failed. */
function appendError(error: unknown, request: AppendRequest): unknown {
  // Another process committed one of these ids (to another stream) between our check and our insert.
  if (isIdViolation(error)) {
    return new EventIdConflictError(
      request.streamId,
      [String((error as { detail?: string }).detail ?? "")],
      "(written concurrently to another stream)",
    );
  }
  return translateError(error, `append to ${request.streamId}`);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`writeCombining.${name} must be an integer >= 1, got ${value}`);
  return value;
}
