import {
  type AppendResult,
  type EventLog,
  EventLogCancelledError,
  InvalidReadOptionError,
  type ParkedEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type SnapshotStore,
  type Subscription,
  type SubscriptionHandler,
  type UpcasterRegistry,
  upcastWith,
  validateAppend,
  validateReadAll,
  validateReadStream,
  validateStreamId,
} from "@dubstage/event-log";
import { type Kysely, sql, type Transaction } from "kysely";
import { AppendBatcher, type WriteCombiningOptions } from "./append-batcher.ts";
import { type DatabaseConnection, type PgPoolLike, pgConnection, pgliteConnection } from "./drivers/connection.ts";
import type { PGliteLike } from "./drivers/pglite-dialect.ts";
import { checkSchemaName, DEFAULT_SCHEMA, migrateEventLog } from "./migrations.ts";
import { AppendNotifier, WakeUps } from "./notifier.ts";
import { guarded, translateError } from "./pg-errors.ts";
import { appendBatch } from "./queries/append-batch.ts";
import { appendInChunks, type ChunkLimits, DEFAULT_CHUNK_LIMITS, needsChunks } from "./queries/append-in-chunks.ts";
import { readAllEvents } from "./queries/read-all.ts";
import { readEventById, readStreamEvents, readStreamVersion } from "./queries/read-stream.ts";
import { createPostgresSnapshotStore } from "./snapshot-store.ts";
import { type PostgresSubscribeOptions, PostgresSubscription } from "./subscription.ts";

export type PostgresEventLogOptions = (
  | { /** A pg Pool; it stays yours: close() does not end it. */ readonly pool: PgPoolLike; readonly pglite?: never }
  | { /** An in-process PGlite; it stays yours: close() does not close it. */ readonly pglite: PGliteLike; readonly pool?: never }
) & {
  /** @default "dubstage_eventlog" */
  readonly schema?: string;
  readonly upcasters?: UpcasterRegistry;
  /** Run the migrations on creation. @default true */
  readonly migrate?: boolean;
  /** NOTIFY subscribers after each append (after commit, coalesced). @default true */
  readonly notifyAppends?: boolean;
  /**
   * Write combining: concurrent appends share transactions (see README, "Write combining"). `false`
   * writes every append in its own transaction, as many at once as the pool allows.
   */
  readonly writeCombining?: WriteCombiningOptions | false;
  /**
   * An append larger than this (events, or payload JSON characters) is written alone, in ONE transaction
   * of several `append_batch` calls of at most this size each (see README, "Large appends").
   * @default { events: 4000, chars: 8 MiB }
   */
  readonly chunkLimits?: ChunkLimits;
  /** The snapshot store's retention span (SnapshotStore.keepEvery). @default 100 */
  readonly snapshotKeepEvery?: number;
};

export interface PostgresEventLog extends EventLog {
  readonly schema: string;
  readonly driver: "pg" | "pglite";
  /** The kysely instance over the same connections, for read models in the same database. */
  readonly db: Kysely<unknown>;
  readonly snapshots: SnapshotStore;
  /** Starts a durable subscription to `$all`; see PostgresSubscription. Run one instance per consumer. */
  subscribe<DB = unknown>(
    consumer: string,
    handler: SubscriptionHandler<Transaction<DB>>,
    options?: PostgresSubscribeOptions,
  ): PostgresSubscription<DB>;
  /**
   * Reads `$all` from `after` to its end (as of the reads) in batches of `maxCount` (default 1000), for
   * catch-up: while the caller handles one batch, the next is already being read. Yields non-empty
   * batches; ends after a read returns fewer than `maxCount` events. The same order and horizon rule as
   * `readAll`, whose cursor semantics it shares.
   */
  readAllBatches(options?: ReadAllOptions): AsyncIterable<RecordedEvent[]>;
  /** The consumer's stored position (the global position of the last event it handled), if any. */
  checkpoint(consumer: string): Promise<number | undefined>;
  /** Events parked by handlers that kept failing, oldest first; all consumers when omitted. */
  parkedEvents(consumer?: string): Promise<ParkedEvent[]>;
  /**
   * Asks for `consumer`'s parked events (all of them, or those at `positions`) to be delivered again, e.g.
   * after its handler was fixed. The consumer's running subscription, in whichever process, makes the
   * retry on its next idle poll (within `pollIntervalMs`): each event goes to its handler again (up to
   * `maxAttempts` times) in a transaction that also removes it from the parked events; one that fails
   * again stays parked with the new error and its attempts added up. Returns the events the request now
   * covers (none when nothing of the consumer's is parked there).
   */
  retryParkedEvents(consumer: string, positions?: readonly number[]): Promise<ParkedEvent[]>;
}

const identity = <E>(event: E): E => event;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PARKED_COLUMNS = sql.raw("consumer, global_position, event_id::text as event_id, attempts, error, parked_at, retry_requested_at");

interface ParkedRow {
  consumer: string;
  global_position: string | number;
  event_id: string;
  attempts: number;
  error: string;
  parked_at: Date | string;
  retry_requested_at: Date | string | null;
}

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

function toParkedEvent(r: ParkedRow): ParkedEvent {
  return {
    consumer: r.consumer,
    globalPosition: Number(r.global_position),
    eventId: r.event_id,
    attempts: Number(r.attempts),
    error: r.error,
    parkedAt: toDate(r.parked_at),
    ...(r.retry_requested_at === null ? {} : { retryRequestedAt: toDate(r.retry_requested_at) }),
  };
}

/** Opens the event log on PostgreSQL (pg Pool) or PGlite, migrating its schema first. */
export async function createPostgresEventLog(options: PostgresEventLogOptions): Promise<PostgresEventLog> {
  const schema = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  const connection: DatabaseConnection = options.pool ? pgConnection(options.pool) : pgliteConnection(options.pglite as PGliteLike);
  const { db, readRows } = connection;
  if (options.migrate !== false) await guarded("migration", () => migrateEventLog(db, { schema }));

  const channel = `${schema}_appended`;
  const notifier = options.notifyAppends === false ? undefined : new AppendNotifier(db, channel);
  const wakeUps = new WakeUps((onNotify, onLost) => connection.listen(channel, onNotify, onLost));
  const batcher = new AppendBatcher(
    (appends, checkIds) => appendBatch(db, readRows, schema, appends, checkIds),
    () => notifier?.notify(),
    options.writeCombining === false ? { maxAppends: 1, maxInFlight: Number.MAX_SAFE_INTEGER } : options.writeCombining,
  );
  const chunkLimits = options.chunkLimits ?? DEFAULT_CHUNK_LIMITS;
  const upcast = options.upcasters ? upcastWith(options.upcasters) : identity;
  const subscriptions = new Set<Subscription>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error(`event log ${schema} is closed`);
  };

  return {
    schema,
    driver: connection.driver,
    db,
    snapshots: createPostgresSnapshotStore(
      db,
      schema,
      options.snapshotKeepEvery === undefined ? {} : { keepEvery: options.snapshotKeepEvery },
    ),

    async append(streamId, events, { expectedVersion, signal }) {
      ensureOpen();
      if (signal?.aborted) throw new EventLogCancelledError({ cause: signal.reason });
      const payloads = validateAppend(streamId, events, expectedVersion);
      const request = { streamId, events, payloads: payloads.json, expected: expectedVersion };
      if (!needsChunks(request, payloads.chars, chunkLimits)) return await batcher.append(request, signal);
      let result: AppendResult;
      try {
        result = await appendInChunks(db, schema, request, chunkLimits);
      } catch (error) {
        throw translateError(error, `append to ${streamId}`);
      }
      if (!result.duplicate) notifier?.notify();
      return result;
    },

    async readStream(streamId, readOptions = {}) {
      ensureOpen();
      validateReadStream(streamId, readOptions);
      const events = await guarded(`read of ${streamId}`, () => readStreamEvents(db, readRows, schema, streamId, readOptions));
      return events.map(upcast);
    },

    async readEvent(eventId) {
      ensureOpen();
      // Not a UUID: no event can have it (ids are validated as UUIDs on append), and the cast would fail.
      if (!UUID.test(eventId)) return undefined;
      const event = await guarded(`read of event ${eventId}`, () => readEventById(db, readRows, schema, eventId));
      return event && upcast(event);
    },

    async streamVersion(streamId) {
      ensureOpen();
      validateStreamId(streamId);
      return await guarded(`version of ${streamId}`, () => readStreamVersion(db, schema, streamId));
    },

    async readAll(readOptions: ReadAllOptions = {}): Promise<RecordedEvent[]> {
      ensureOpen();
      validateReadAll(readOptions);
      const events = await guarded("read of $all", () => readAllEvents(db, readRows, schema, readOptions));
      return upcast === identity ? events : events.map(upcast);
    },

    async *readAllBatches(readOptions: ReadAllOptions = {}): AsyncGenerator<RecordedEvent[]> {
      ensureOpen();
      validateReadAll(readOptions);
      const maxCount = readOptions.maxCount ?? 1000;
      const read = (after: number | undefined) => {
        const reading = guarded("read of $all", () => readAllEvents(db, readRows, schema, { ...readOptions, after, maxCount }));
        reading.catch(() => {}); // a read-ahead the caller never asks for must not surface as unhandled
        return reading;
      };
      let next = read(readOptions.after);
      for (;;) {
        const batch = await next;
        if (batch.length === 0) return;
        const full = batch.length === maxCount;
        if (full) next = read((batch.at(-1) as RecordedEvent).globalPosition);
        yield upcast === identity ? batch : batch.map(upcast);
        if (!full) return;
      }
    },

    subscribe<DB>(consumer: string, handler: SubscriptionHandler<Transaction<DB>>, subscribeOptions?: PostgresSubscribeOptions) {
      ensureOpen();
      const subscription: PostgresSubscription<DB> = new PostgresSubscription<DB>(
        { db, readRows, schema, wakeUps, upcast, onStopped: () => subscriptions.delete(subscription) },
        consumer,
        handler,
        subscribeOptions,
      );
      subscriptions.add(subscription);
      return subscription;
    },

    async checkpoint(consumer) {
      const { rows } = await guarded("checkpoint read", () =>
        sql<{
          global_position: string | number;
        }>`select global_position from ${sql.table(`${schema}.checkpoints`)} where consumer = ${consumer}`.execute(db),
      );
      return rows[0] ? Number(rows[0].global_position) : undefined;
    },

    async parkedEvents(consumer) {
      const filter = consumer === undefined ? sql`` : sql`where consumer = ${consumer}`;
      const { rows } = await guarded("parked events read", () =>
        sql<ParkedRow>`
          select ${PARKED_COLUMNS} from ${sql.table(`${schema}.parked_events`)} ${filter}
          order by parked_at, global_position`.execute(db),
      );
      return rows.map(toParkedEvent);
    },

    async retryParkedEvents(consumer, positions) {
      if (positions !== undefined && !positions.every((p) => Number.isSafeInteger(p) && p > 0)) {
        throw new InvalidReadOptionError(`parked event positions must be positive integers, got ${JSON.stringify(positions)}`, "positions");
      }
      const only = positions === undefined ? sql`` : sql`and global_position = any(${positions.map(String)}::bigint[])`;
      const { rows } = await guarded("parked events retry request", () =>
        sql<ParkedRow>`
          update ${sql.table(`${schema}.parked_events`)} set retry_requested_at = now()
          where consumer = ${consumer} ${only}
          returning ${PARKED_COLUMNS}`.execute(db),
      );
      return rows.map(toParkedEvent).sort((a, b) => a.globalPosition - b.globalPosition);
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.stop()));
      await batcher.idle();
      await wakeUps.close();
      await notifier?.idle();
    },
  };
}
