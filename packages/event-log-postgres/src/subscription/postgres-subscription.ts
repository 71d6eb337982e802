import type { RecordedEvent, Subscription, SubscriptionContext, SubscriptionHandler } from "@dubstage/event-log";
import type { Kysely, Transaction } from "kysely";
import type { WakeUps } from "../notifier.ts";
import { translateError } from "../pg-errors.ts";
import { currentHorizon, currentXmax, horizonBlocker } from "../queries/horizon.ts";
import { readAllEvents, readEventsAt } from "../queries/read-all.ts";
import type { RowReader } from "../rows.ts";
import { attemptUntilCommitted, isOutage } from "./attempts.ts";
import { CatchUpWaiters } from "./catch-up-waiters.ts";
import { CheckpointStore } from "./checkpoint-store.ts";
import { type HorizonStall, HorizonStallWatch } from "./horizon-stall.ts";
import { checkConsumer, type PostgresSubscribeOptions, type ResolvedOptions, resolveOptions } from "./options.ts";
import { RetryPacer, retryParkedEvents } from "./parked-retry.ts";
import { ParkedStore } from "./parked-store.ts";
import { type Failure, splitAfterFailure } from "./poison-split.ts";
import { type Read, ReadAhead } from "./read-ahead.ts";
import { TransactionHooks } from "./transaction-hooks.ts";
import { WakeSignal } from "./wake-signal.ts";

export interface SubscriptionDeps {
  readonly db: Kysely<unknown>;
  readonly readRows: RowReader;
  readonly schema: string;
  readonly wakeUps: WakeUps;
  readonly upcast: (event: RecordedEvent) => RecordedEvent;
  readonly onStopped?: () => void;
}

/**
 * A durable `$all` consumer: catch-up from its checkpoint, then live (LISTEN wake-ups plus polling).
 * Events are handled in batches: up to `maxBatchSize` events (or `maxBatchMs` of handler time) in ONE
 * transaction that also stores the checkpoint (the batch's last position), so a read model written
 * through `context.transaction` changes exactly once per event even across crashes. What a read returns
 * is handled at once (a live subscription never waits to fill a batch). When a handler throws, the batch
 * is rolled back and split (`splitAfterFailure`); an event that keeps failing is parked with its error
 * after `maxAttempts`. An unavailable database is retried without limit and never parks. This class is
 * the driver loop; each part it drives lives in its own module of this folder.
 */
export class PostgresSubscription<DB> implements Subscription {
  readonly consumer: string;
  readonly #deps: SubscriptionDeps;
  readonly #handler: SubscriptionHandler<Transaction<DB>>;
  readonly #options: ResolvedOptions;
  readonly #signal = new WakeSignal();
  readonly #waiters = new CatchUpWaiters();
  readonly #checkpoints: CheckpointStore;
  readonly #parked: ParkedStore;
  readonly #retryPacer: RetryPacer;
  readonly #stallWatch: HorizonStallWatch;
  readonly #removeWakeUp: () => void;
  #stopping = false;
  #stall: HorizonStall | undefined;
  readonly #loop: Promise<void>;

  constructor(
    deps: SubscriptionDeps,
    consumer: string,
    handler: SubscriptionHandler<Transaction<DB>>,
    options: PostgresSubscribeOptions = {},
  ) {
    this.consumer = checkConsumer(consumer);
    this.#deps = deps;
    this.#handler = handler;
    this.#options = resolveOptions(options);
    this.#checkpoints = new CheckpointStore(deps.schema, consumer);
    this.#parked = new ParkedStore(deps.schema, consumer);
    this.#retryPacer = new RetryPacer(this.#options.pollIntervalMs);
    this.#stallWatch = new HorizonStallWatch(this.#options.stallAfterMs);
    this.#removeWakeUp = deps.wakeUps.add(() => this.#signal.notify());
    this.#loop = this.#run();
  }

  /**
   * The horizon stall going on, if any: committed events wait behind one open transaction of this
   * database (see `describeStall` for a log line). For health checks and logs.
   */
  get stall(): HorizonStall | undefined {
    return this.#stall;
  }

  async caughtUp(): Promise<void> {
    if (this.#stopping) throw new Error(`subscription ${this.consumer} is stopped`);
    const target = await currentXmax(this.#deps.db).catch((error) => {
      throw translateError(error, "caughtUp");
    });
    const done = this.#waiters.wait(target);
    this.#signal.wake();
    return done;
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#signal.stop();
    await this.#loop;
    this.#removeWakeUp();
    this.#deps.onStopped?.();
    this.#waiters.rejectAll(new Error(`subscription ${this.consumer} stopped before it caught up`));
  }

  async #run(): Promise<void> {
    const { db } = this.#deps;
    const reader = new ReadAhead((after) => this.#read(after), this.#options.batchSize);
    let position: number | undefined;
    let failures = 0;
    while (!this.#stopping) {
      try {
        this.#signal.beginPass();
        await this.#deps.wakeUps.ensure().catch(() => {}); // polling covers a missing LISTEN session
        position ??= await this.#checkpoints.load(db);
        // A commit was announced; it may still sit behind an older running transaction, so keep
        // reading until the horizon passes everything committed by now (not just until the next poll).
        if (this.#signal.takeNotified()) this.#waiters.raise(await currentXmax(db));
        const read = await reader.next(position);
        const handled = await this.#handle(read.events);
        if (handled > 0) position = (read.events[handled - 1] as RecordedEvent).globalPosition;
        if (handled < read.events.length) reader.drop(); // stopped part-way: the read-ahead starts too late
        failures = 0;
        if (!reader.isFull(read) && !this.#stopping) await this.#caughtUp(read);
      } catch (error) {
        // The database is unreachable (or a checkpoint write failed): re-read from the stored checkpoint.
        position = undefined;
        reader.drop();
        failures++;
        this.#options.onError?.(translateError(error, `subscription ${this.consumer}`));
        await this.#signal.idle(Math.min(this.#options.maxBackoffMs, 50 * 2 ** Math.min(failures, 10)));
      }
    }
  }

  /** At the end of `$all` (as of the read): retries asked for, waiters settled, stall watched, then idle. */
  async #caughtUp(read: Read): Promise<void> {
    if (this.#retryPacer.due(performance.now())) await this.#retryParked();
    if (read.horizon !== undefined) {
      await this.#watchStall(read.horizon);
      this.#waiters.settle(read.horizon);
    }
    const pollMs = this.#options.pollIntervalMs;
    await this.#signal.idle(this.#waiters.behind ? Math.min(20, pollMs) : pollMs);
  }

  async #watchStall(horizon: bigint): Promise<void> {
    const change = this.#stallWatch.observe(Date.now(), horizon, this.#waiters.target);
    if (change === "ended") {
      this.#stall = undefined;
      this.#options.onHorizonStall?.(undefined);
    } else if (change === "started") {
      const blocker = await horizonBlocker(this.#deps.db, horizon).catch(() => undefined);
      this.#stall = { horizon, since: new Date(this.#stallWatch.held?.since ?? Date.now()), blocker };
      this.#options.onHorizonStall?.(this.#stall);
    }
  }

  #read(after: number): Promise<Read> {
    const { db, readRows, schema } = this.#deps;
    return (async () => {
      const horizon = this.#waiters.behind ? await currentHorizon(db) : undefined;
      const events = await readAllEvents(db, readRows, schema, {
        after,
        maxCount: this.#options.batchSize,
        ...(this.#options.types ? { types: this.#options.types } : {}),
      });
      return { events, horizon };
    })();
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
   * event committed. On a handler failure the transaction is rolled back and split (`splitAfterFailure`).
   */
  async #handleTogether(events: readonly RecordedEvent[], start: number): Promise<number> {
    const started = performance.now();
    const limit = Math.min(events.length, start + this.#options.maxBatchSize);
    let handled = start;
    let failing: number | undefined;
    const hooks = new TransactionHooks();
    try {
      await this.#deps.db.transaction().execute(async (tx) => {
        const context = this.#context(tx, hooks);
        for (let i = start; i < limit; i++) {
          if (i > start && (this.#stopping || performance.now() - started >= this.#options.maxBatchMs)) break;
          failing = i;
          await this.#handler(events[i] as RecordedEvent, context);
          failing = undefined;
          handled = i + 1;
        }
        await hooks.runBeforeCommit();
        await this.#checkpoints.store(tx, (events[handled - 1] as RecordedEvent).globalPosition);
      });
      this.#runAfterCommit(hooks.afterCommit);
      return handled;
    } catch (error) {
      if (isOutage(error)) throw error;
      // A failure of the checkpoint write or the commit (a deferred constraint, say) blames no event.
      if (failing === undefined) this.#options.onError?.(error);
      else this.#options.onError?.(error, events[failing]);
      const { deliveries, resumeAt } = splitAfterFailure(start, handled, failing, error);
      for (const [n, delivery] of deliveries.entries()) {
        if (n > 0 && this.#stopping) return delivery.index;
        await this.#deliver(events[delivery.index] as RecordedEvent, delivery.failed);
      }
      return resumeAt;
    }
  }

  /** Handles one event in its own transaction with its checkpoint, retrying it; parks it if it keeps failing. */
  async #deliver(event: RecordedEvent, failed?: Failure): Promise<void> {
    const failure = await this.#attempt(event, (tx) => this.#checkpoints.store(tx, event.globalPosition), failed);
    if (failure === undefined) return;
    await this.#deps.db.transaction().execute(async (tx) => {
      await this.#parked.park(tx, event, failure);
      await this.#checkpoints.store(tx, event.globalPosition);
    });
  }

  /** Runs the handler on `event` in transactions that `finish` completes, up to `maxAttempts` times. */
  #attempt(event: RecordedEvent, finish: (tx: Transaction<unknown>) => Promise<void>, failed?: Failure): Promise<Failure | undefined> {
    return attemptUntilCommitted(
      async () => {
        const hooks = new TransactionHooks();
        await this.#deps.db.transaction().execute(async (tx) => {
          await this.#handler(event, this.#context(tx, hooks));
          await hooks.runBeforeCommit();
          await finish(tx);
        });
        this.#runAfterCommit(hooks.afterCommit);
      },
      {
        maxAttempts: this.#options.maxAttempts,
        ...(failed && { failed }),
        isStopping: () => this.#stopping,
        onError: (error) => this.#options.onError?.(error, event),
      },
    );
  }

  #retryParked(): Promise<void> {
    const { db, readRows, schema, upcast } = this.#deps;
    return retryParkedEvents({
      db,
      parked: this.#parked,
      readEventsAt: (positions) => readEventsAt(db, readRows, schema, positions),
      redeliver: (event, position) => this.#attempt(upcast(event), (tx) => this.#parked.remove(tx, position)),
      isStopping: () => this.#stopping,
    });
  }

  #context(tx: Transaction<unknown>, hooks: TransactionHooks): SubscriptionContext<Transaction<DB>> {
    return {
      transaction: tx as unknown as Transaction<DB>,
      consumer: this.consumer,
      afterCommit: (callback) => void hooks.afterCommit.push(callback),
      beforeCommit: (callback) => void hooks.beforeCommit.push(callback),
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
}
