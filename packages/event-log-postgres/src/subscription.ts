import {
  InvalidReadOptionError,
  isErrorKind,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionContext,
  type SubscriptionHandler,
} from "@dubstage/event-log";
import { type Kysely, sql, type Transaction } from "kysely";
import type { WakeUps } from "./notifier.ts";
import { isConnectionError, translateError } from "./pg-errors.ts";
import { currentHorizon, currentXmax, readAllEvents, readEventsAt } from "./queries/read-all.ts";
import type { RowReader } from "./rows.ts";

export interface PostgresSubscribeOptions extends SubscribeOptions {
  /** Called with every failure (handler errors, database outages); the subscription keeps going. */
  readonly onError?: (error: unknown, event?: RecordedEvent) => void;
  /** Longest wait between retries after the database was unavailable, in ms. @default 5000 */
  readonly maxBackoffMs?: number;
  /**
   * A transaction commits once its handlers have run this long (in ms), even short of `maxBatchSize`, so
   * slow handlers neither hold events back nor keep a transaction (and the `$all` horizon) open. @default 250
   */
  readonly maxBatchMs?: number;
}

/** One read of `$all`, with the horizon taken before it when someone waits for `caughtUp`. */
interface Read {
  readonly events: RecordedEvent[];
  readonly horizon: bigint | undefined;
}

type Options = Required<
  Pick<PostgresSubscribeOptions, "batchSize" | "maxBatchSize" | "maxBatchMs" | "maxAttempts" | "pollIntervalMs" | "maxBackoffMs">
> &
  PostgresSubscribeOptions;

interface Waiter {
  readonly target: bigint;
  resolve(): void;
  reject(error: unknown): void;
}

interface SubscriptionDeps {
  readonly db: Kysely<unknown>;
  readonly readRows: RowReader;
  readonly schema: string;
  readonly wakeUps: WakeUps;
  readonly upcast: (event: RecordedEvent) => RecordedEvent;
  readonly onStopped?: () => void;
}

/** An outage is not the event's fault: the loop backs off and retries it without counting an attempt. */
const isOutage = (error: unknown) => isConnectionError(error) || isErrorKind(error, "dependency-unavailable");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A handler's failures so far: how many attempts, and the last error. */
interface Failure {
  readonly attempts: number;
  readonly error: unknown;
}

/** An error as stored with a parked event (bounded). */
const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 10_000);

function checkOptions(options: Options): Options {
  for (const field of ["batchSize", "maxBatchSize", "maxBatchMs", "maxAttempts", "pollIntervalMs", "maxBackoffMs"] as const) {
    const value = options[field];
    if (!Number.isSafeInteger(value) || value < 1)
      throw new InvalidReadOptionError(`subscription option ${field} must be a positive integer, got ${value}`, field);
  }
  return options;
}

/**
 * A durable `$all` consumer: catch-up from its checkpoint, then live (LISTEN wake-ups plus polling).
 * Events are handled in batches: up to `maxBatchSize` events (or `maxBatchMs` of handler time) in ONE
 * transaction that also stores the checkpoint (the batch's last position), so a read model written
 * through `context.transaction` changes exactly once per event even across crashes. What a read returns
 * is handled at once (a live subscription never waits to fill a batch). When a handler throws, the batch
 * is rolled back and its events up to the failing one are handled again one per transaction: the good
 * ones commit, the failing one is retried alone (the batch failure counts as its first attempt) and
 * parked with its error after `maxAttempts`. An unavailable database is retried without limit and never parks.
 */
export class PostgresSubscription<DB> implements Subscription {
  readonly consumer: string;
  readonly #deps: SubscriptionDeps;
  readonly #handler: SubscriptionHandler<Transaction<DB>>;
  readonly #options: Options;
  readonly #waiters: Waiter[] = [];
  readonly #removeWakeUp: () => void;
  #wake: (() => void) | undefined;
  #woken = false;
  #notified = false;
  /** An xmax the subscription must read past before it may sleep long (from a NOTIFY or caughtUp). */
  #pendingTarget: bigint | undefined;
  #stopping = false;
  /** When the parked events were last looked at for retry requests (performance.now()). */
  #parkedCheckedAt = Number.NEGATIVE_INFINITY;
  readonly #loop: Promise<void>;

  constructor(
    deps: SubscriptionDeps,
    consumer: string,
    handler: SubscriptionHandler<Transaction<DB>>,
    options: PostgresSubscribeOptions = {},
  ) {
    if (consumer.length === 0 || consumer.length > 200) throw new Error("subscription consumer name must be 1-200 characters");
    this.consumer = consumer;
    this.#deps = deps;
    this.#handler = handler;
    this.#options = checkOptions({
      batchSize: 500,
      maxBatchSize: 500,
      maxBatchMs: 250,
      maxAttempts: 5,
      pollIntervalMs: 1000,
      maxBackoffMs: 5000,
      ...options,
    });
    this.#removeWakeUp = deps.wakeUps.add(() => {
      this.#notified = true;
      this.#wakeUp();
    });
    this.#loop = this.#run();
  }

  async caughtUp(): Promise<void> {
    if (this.#stopping) throw new Error(`subscription ${this.consumer} is stopped`);
    const target = await currentXmax(this.#deps.db).catch((error) => {
      throw translateError(error, "caughtUp");
    });
    const done = new Promise<void>((resolve, reject) => this.#waiters.push({ target, resolve, reject }));
    this.#wakeUp();
    return done;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wakeUp();
    await this.#loop;
    this.#removeWakeUp();
    this.#deps.onStopped?.();
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error(`subscription ${this.consumer} stopped before it caught up`));
  }

  #wakeUp(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async #idle(ms: number): Promise<void> {
    if (this.#woken || this.#stopping) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }

  async #run(): Promise<void> {
    const { db } = this.#deps;
    let position: number | undefined;
    let failures = 0;
    let ahead: Promise<Read> | undefined; // the next batch, read while this one is handled
    while (!this.#stopping) {
      try {
        this.#woken = false;
        await this.#deps.wakeUps.ensure().catch(() => {}); // polling covers a missing LISTEN session
        position ??= await this.#loadCheckpoint();
        if (this.#notified) {
          // A commit was announced; it may still sit behind an older running transaction, so keep
          // reading until the horizon passes everything committed by now (not just until the next poll).
          this.#notified = false;
          this.#raiseTarget(await currentXmax(db));
        }
        const reading = ahead ?? this.#read(position);
        ahead = undefined;
        const { events: batch, horizon } = await reading;
        const full = batch.length === this.#options.batchSize;
        if (full) ahead = this.#read((batch.at(-1) as RecordedEvent).globalPosition);
        const handled = await this.#handle(batch);
        if (handled > 0) position = (batch[handled - 1] as RecordedEvent).globalPosition;
        if (handled < batch.length) ahead = undefined; // stopped part-way: the read-ahead starts too late
        failures = 0;
        if (!full && !this.#stopping) {
          // Caught up: the moment for retries an operator asked for (at most once per poll interval).
          if (performance.now() - this.#parkedCheckedAt >= this.#options.pollIntervalMs) {
            this.#parkedCheckedAt = performance.now();
            await this.#retryParked();
          }
          if (horizon !== undefined) this.#settle(horizon);
          const behind = this.#waiters.length > 0 || this.#pendingTarget !== undefined;
          await this.#idle(behind ? Math.min(20, this.#options.pollIntervalMs) : this.#options.pollIntervalMs);
        }
      } catch (error) {
        // The database is unreachable (or a checkpoint write failed): re-read from the stored checkpoint.
        position = undefined;
        ahead = undefined;
        failures++;
        this.#options.onError?.(translateError(error, `subscription ${this.consumer}`));
        await this.#idle(Math.min(this.#options.maxBackoffMs, 50 * 2 ** Math.min(failures, 10)));
      }
    }
  }

  #read(after: number): Promise<Read> {
    const { db, schema } = this.#deps;
    const reading = (async () => {
      const horizon = this.#waiters.length > 0 || this.#pendingTarget !== undefined ? await currentHorizon(db) : undefined;
      const events = await readAllEvents(db, this.#deps.readRows, schema, {
        after,
        maxCount: this.#options.batchSize,
        ...(this.#options.types ? { types: this.#options.types } : {}),
      });
      return { events, horizon };
    })();
    reading.catch(() => {}); // a read-ahead dropped after a failure must not surface as unhandled
    return reading;
  }

  /** Handles a read batch in transactions of up to `maxBatchSize` events; returns how many were handled. */
  async #handle(stored: readonly RecordedEvent[]): Promise<number> {
    const events = stored.map(this.#deps.upcast);
    let done = 0;
    while (done < events.length && !this.#stopping) done = await this.#handleTogether(events, done);
    return done;
  }

  /**
   * Handles events from `start` in one transaction with the checkpoint; returns the index after the last
   * event committed. On a handler failure the transaction is rolled back and the events up to the failing
   * one are delivered one per transaction instead.
   */
  async #handleTogether(events: readonly RecordedEvent[], start: number): Promise<number> {
    const started = performance.now();
    const limit = Math.min(events.length, start + this.#options.maxBatchSize);
    let handled = start;
    let failing: number | undefined;
    const afterCommit: Array<() => void> = [];
    try {
      await this.#deps.db.transaction().execute(async (tx) => {
        const context = this.#context(tx, afterCommit);
        for (let i = start; i < limit; i++) {
          if (i > start && (this.#stopping || performance.now() - started >= this.#options.maxBatchMs)) break;
          failing = i;
          await this.#handler(events[i] as RecordedEvent, context);
          failing = undefined;
          handled = i + 1;
        }
        await this.#storeCheckpoint(tx, (events[handled - 1] as RecordedEvent).globalPosition);
      });
      this.#runAfterCommit(afterCommit);
      return handled;
    } catch (error) {
      if (isOutage(error)) throw error;
      if (failing === undefined) {
        // The checkpoint write or the commit failed (e.g. a deferred constraint): no event to blame, so
        // deliver the batch alone, event by event, and let the culprit show itself.
        this.#options.onError?.(error);
        for (let i = start; i < handled; i++) {
          if (i > start && this.#stopping) return i;
          await this.#deliver(events[i] as RecordedEvent);
        }
        return handled;
      }
      this.#options.onError?.(error, events[failing]);
      for (let i = start; i < failing; i++) {
        if (i > start && this.#stopping) return i;
        await this.#deliver(events[i] as RecordedEvent);
      }
      await this.#deliver(events[failing] as RecordedEvent, { attempts: 1, error });
      return failing + 1;
    }
  }

  #raiseTarget(target: bigint): void {
    if (this.#pendingTarget === undefined || target > this.#pendingTarget) this.#pendingTarget = target;
  }

  #settle(horizon: bigint): void {
    if (this.#pendingTarget !== undefined && this.#pendingTarget <= horizon) this.#pendingTarget = undefined;
    for (let i = this.#waiters.length - 1; i >= 0; i--) {
      const waiter = this.#waiters[i] as Waiter;
      if (waiter.target <= horizon) {
        this.#waiters.splice(i, 1);
        waiter.resolve();
      }
    }
  }

  async #loadCheckpoint(): Promise<number> {
    const { rows } = await sql<{ global_position: string | number }>`
      select global_position from ${sql.table(`${this.#deps.schema}.checkpoints`)} where consumer = ${this.consumer}`.execute(
      this.#deps.db,
    );
    return rows[0] ? Number(rows[0].global_position) : 0;
  }

  async #storeCheckpoint(tx: Transaction<unknown>, position: number): Promise<void> {
    await sql`
      insert into ${sql.table(`${this.#deps.schema}.checkpoints`)} (consumer, global_position) values (${this.consumer}, ${position}::bigint)
      on conflict (consumer) do update set global_position = excluded.global_position, updated_at = now()`.execute(tx);
  }

  /** Handles one event in its own transaction, retrying it; `failed` carries a failure already seen. */
  async #deliver(event: RecordedEvent, failed?: Failure): Promise<void> {
    const failure = await this.#attempt(event, (tx) => this.#storeCheckpoint(tx, event.globalPosition), failed);
    if (failure) await this.#park(event, failure.attempts, failure.error);
  }

  /**
   * Runs the handler on `event` in a transaction that `finish` completes (storing the checkpoint, or
   * removing a parked row), until it commits or `maxAttempts` attempts (counting `failed`) have failed;
   * returns the failure then. An outage is thrown, not counted; so is the last error once stopping.
   */
  async #attempt(
    event: RecordedEvent,
    finish: (tx: Transaction<unknown>) => Promise<void>,
    failed?: Failure,
  ): Promise<Failure | undefined> {
    let attempts = failed?.attempts ?? 0;
    let lastError = failed?.error;
    while (attempts < this.#options.maxAttempts) {
      if (attempts > 0) {
        if (this.#stopping) throw lastError;
        await sleep(Math.min(1000, 10 * 2 ** attempts));
      }
      const afterCommit: Array<() => void> = [];
      try {
        await this.#deps.db.transaction().execute(async (tx) => {
          await this.#handler(event, this.#context(tx, afterCommit));
          await finish(tx);
        });
        this.#runAfterCommit(afterCommit);
        return undefined;
      } catch (error) {
        if (isOutage(error)) throw error;
        this.#options.onError?.(error, event);
        attempts++;
        lastError = error;
      }
    }
    return { attempts, error: lastError };
  }

  #context(tx: Transaction<unknown>, afterCommit: Array<() => void>): SubscriptionContext<Transaction<DB>> {
    return {
      transaction: tx as unknown as Transaction<DB>,
      consumer: this.consumer,
      afterCommit: (callback) => void afterCommit.push(callback),
    };
  }

  /** Callbacks of a committed transaction; one that throws is reported and does not stop the others. */
  #runAfterCommit(callbacks: readonly (() => void)[]): void {
    for (const callback of callbacks) {
      try {
        callback();
      } catch (error) {
        this.#options.onError?.(error);
      }
    }
  }

  /**
   * Delivers again the parked events whose retry was asked for (`retryParkedEvents`), oldest position
   * first. They come after events the consumer has already handled, so handlers must not assume order
   * for them. Each goes to the handler up to `maxAttempts` times, in a transaction that also removes it
   * from the parked events; the checkpoint, already past it, stays. One that fails again stays parked
   * with the new error and its attempts added up, its request cleared (unless a newer one came meanwhile).
   */
  async #retryParked(): Promise<void> {
    const { db, readRows, schema } = this.#deps;
    const parked = sql.table(`${schema}.parked_events`);
    // The request time as text: exact to the microsecond, so that it can be compared when clearing it.
    const { rows } = await sql<{ global_position: string | number; requested: string }>`
      select global_position, retry_requested_at::text as requested from ${parked}
      where consumer = ${this.consumer} and retry_requested_at is not null order by global_position`.execute(db);
    if (rows.length === 0) return;
    const stored = await readEventsAt(
      db,
      readRows,
      schema,
      rows.map((r) => Number(r.global_position)),
    );
    const events = new Map(stored.map((e) => [e.globalPosition, e]));
    for (const row of rows) {
      if (this.#stopping) return; // the request stays: the next run makes it
      const position = Number(row.global_position);
      const event = events.get(position);
      const removeParked = (tx: Transaction<unknown>) =>
        sql`delete from ${parked} where consumer = ${this.consumer} and global_position = ${position}::bigint`.execute(tx).then(() => {});
      const failed = event
        ? await this.#attempt(this.#deps.upcast(event), removeParked)
        : { attempts: 0, error: "the event is not in the log" };
      if (failed === undefined) continue;
      await sql`
        update ${parked} set attempts = attempts + ${failed.attempts}, error = ${errorText(failed.error)}, parked_at = now(),
          retry_requested_at = case when retry_requested_at = ${row.requested}::timestamptz then null else retry_requested_at end
        where consumer = ${this.consumer} and global_position = ${position}::bigint`.execute(db);
    }
  }

  async #park(event: RecordedEvent, attempts: number, error: unknown): Promise<void> {
    await this.#deps.db.transaction().execute(async (tx) => {
      await sql`
        insert into ${sql.table(`${this.#deps.schema}.parked_events`)} (consumer, global_position, event_id, attempts, error)
        values (${this.consumer}, ${event.globalPosition}::bigint, ${event.id}::uuid, ${attempts}, ${errorText(error)})
        on conflict (consumer, global_position) do update set attempts = excluded.attempts, error = excluded.error, parked_at = now()`.execute(
        tx,
      );
      await this.#storeCheckpoint(tx, event.globalPosition);
    });
  }
}
