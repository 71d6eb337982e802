import type { RecordedEvent } from "@dubstage/event-log";
import type { PostgresEventLog, PostgresSubscription } from "@dubstage/event-log-postgres";
import { SESSION_EVENT_TYPES } from "../../domain/index.ts";
import { checkReadModelSchema, DEFAULT_READ_MODEL_SCHEMA, type ReadModelDatabase } from "./read-model-schema.ts";
import { SessionProjectionBuffer } from "./session-projection-buffer.ts";

/** The checkpoint name of the live read model; a rebuild into fresh tables uses a new one. */
export const READ_MODEL_CONSUMER = "session-read-model";

/**
 * Events read and projected per transaction: a reel's ingest (50,000 clips in one append) is caught up in
 * transactions of this many rows (each still ends after `maxBatchMs`, 250 ms, of handler time).
 */
const CATCH_UP_BATCH = 2000;

export interface ReadModelProjectionOptions {
  /** @default "dubstage_session" */
  readonly schema?: string;
  /** @default READ_MODEL_CONSUMER, suffixed with the schema when that is not the default */
  readonly consumer?: string;
  /** Called once the transaction of an event that changed a session has committed: wakes session watchers. */
  readonly onSessionChanged?: (sessionId: string) => void;
  readonly onError?: (error: unknown, event?: RecordedEvent) => void;
  /** @default 1000 */
  readonly pollIntervalMs?: number;
}

/**
 * Keeps the read model tables up to date: a durable `$all` subscription of session event types whose
 * handler writes in the subscription's transaction, so each event changes the model exactly once
 * together with the checkpoint. Run the migrations first (`migrateReadModel`).
 */
export function startReadModelProjection(
  log: PostgresEventLog,
  options: ReadModelProjectionOptions = {},
): PostgresSubscription<ReadModelDatabase> {
  const schema = checkReadModelSchema(options.schema ?? DEFAULT_READ_MODEL_SCHEMA);
  const consumer = options.consumer ?? (schema === DEFAULT_READ_MODEL_SCHEMA ? READ_MODEL_CONSUMER : `${READ_MODEL_CONSUMER}:${schema}`);
  // One buffer per subscription transaction, flushed just before that transaction commits.
  const buffers = new WeakMap<object, { buffer: SessionProjectionBuffer; changed: Set<string> }>();
  return log.subscribe<ReadModelDatabase>(
    consumer,
    async (event, { transaction, afterCommit, beforeCommit }) => {
      let open = buffers.get(transaction);
      if (open === undefined) {
        const opened = { buffer: new SessionProjectionBuffer(transaction.withSchema(schema)), changed: new Set<string>() };
        beforeCommit(() => opened.buffer.flush());
        // After commit: a woken watcher must find the read model already updated. Once per session.
        afterCommit(() => {
          for (const sessionId of opened.changed) options.onSessionChanged?.(sessionId);
        });
        buffers.set(transaction, opened);
        open = opened;
      }
      const sessionId = await open.buffer.project(event);
      if (sessionId !== undefined) open.changed.add(sessionId);
    },
    {
      types: SESSION_EVENT_TYPES,
      batchSize: CATCH_UP_BATCH,
      maxBatchSize: CATCH_UP_BATCH,
      ...(options.onError && { onError: options.onError }),
      ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
    },
  );
}
