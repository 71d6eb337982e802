import { isErrorKind, type RecordedEvent, type SubscribeOptions, type Subscription, type SubscriptionHandler } from "@dubstage/event-log";
import { type Kysely, sql, type Transaction } from "kysely";
import type { WakeUps } from "./notifier.ts";
import { isConnectionError, translateError } from "./pg-errors.ts";
import { currentHorizon, currentXmax, readAllEvents } from "./queries/read-all.ts";
import type { RowReader } from "./rows.ts";

export interface PostgresSubscribeOptions extends SubscribeOptions {
  /** Called with every failure (handler errors, database outages); the subscription keeps going. */
  readonly onError?: (error: unknown, event?: RecordedEvent) => void;
  /** Longest wait between retries after the database was unavailable, in ms. @default 5000 */
  readonly maxBackoffMs?: number;
}

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A durable `$all` consumer: catch-up from its checkpoint, then live (LISTEN wake-ups plus polling).
 * Each event is handled in its own transaction that also stores the checkpoint, so a read model written
 * through `context.transaction` changes exactly once per event even across crashes. A handler failing
 * `maxAttempts` times parks the event (with its error) and moves on; an unavailable database is retried
 * without limit and never parks.
 */
export class PostgresSubscription<DB> implements Subscription {
  readonly consumer: string;
  readonly #deps: SubscriptionDeps;
  readonly #handler: SubscriptionHandler<Transaction<DB>>;
  readonly #options: Required<Pick<PostgresSubscribeOptions, "batchSize" | "maxAttempts" | "pollIntervalMs" | "maxBackoffMs">> &
    PostgresSubscribeOptions;
  readonly #waiters: Waiter[] = [];
  readonly #removeWakeUp: () => void;
  #wake: (() => void) | undefined;
  #woken = false;
  #notified = false;
  /** An xmax the subscription must read past before it may sleep long (from a NOTIFY or caughtUp). */
  #pendingTarget: bigint | undefined;
  #stopping = false;
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
    this.#options = { batchSize: 500, maxAttempts: 5, pollIntervalMs: 1000, maxBackoffMs: 5000, ...options };
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
    const { db, schema } = this.#deps;
    let position: number | undefined;
    let failures = 0;
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
        const horizon = this.#waiters.length > 0 || this.#pendingTarget !== undefined ? await currentHorizon(db) : undefined;
        const batch = await readAllEvents(db, this.#deps.readRows, schema, {
          after: position,
          maxCount: this.#options.batchSize,
          ...(this.#options.types ? { types: this.#options.types } : {}),
        });
        for (const stored of batch) {
          if (this.#stopping) break;
          await this.#deliver(this.#deps.upcast(stored));
          position = stored.globalPosition;
        }
        failures = 0;
        if (batch.length < this.#options.batchSize && !this.#stopping) {
          if (horizon !== undefined) this.#settle(horizon);
          const behind = this.#waiters.length > 0 || this.#pendingTarget !== undefined;
          await this.#idle(behind ? Math.min(20, this.#options.pollIntervalMs) : this.#options.pollIntervalMs);
        }
      } catch (error) {
        // The database is unreachable (or a checkpoint write failed): re-read from the stored checkpoint.
        position = undefined;
        failures++;
        this.#options.onError?.(translateError(error, `subscription ${this.consumer}`));
        await this.#idle(Math.min(this.#options.maxBackoffMs, 50 * 2 ** Math.min(failures, 10)));
      }
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

  async #deliver(event: RecordedEvent): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#deps.db.transaction().execute(async (tx) => {
          await this.#handler(event, { transaction: tx as unknown as Transaction<DB>, consumer: this.consumer });
          await this.#storeCheckpoint(tx, event.globalPosition);
        });
        return;
      } catch (error) {
        // An outage is not the event's fault: let the loop back off and retry it without counting.
        if (isConnectionError(error) || isErrorKind(error, "dependency-unavailable")) throw error;
        this.#options.onError?.(error, event);
        if (attempt >= this.#options.maxAttempts) {
          await this.#park(event, attempt, error);
          return;
        }
        if (this.#stopping) throw error;
        await sleep(Math.min(1000, 10 * 2 ** attempt));
      }
    }
  }

  async #park(event: RecordedEvent, attempts: number, error: unknown): Promise<void> {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await this.#deps.db.transaction().execute(async (tx) => {
      await sql`
        insert into ${sql.table(`${this.#deps.schema}.parked_events`)} (consumer, global_position, event_id, attempts, error)
        values (${this.consumer}, ${event.globalPosition}::bigint, ${event.id}::uuid, ${attempts}, ${text.slice(0, 10_000)})
        on conflict (consumer, global_position) do update set attempts = excluded.attempts, error = excluded.error, parked_at = now()`.execute(
        tx,
      );
      await this.#storeCheckpoint(tx, event.globalPosition);
    });
  }
}
