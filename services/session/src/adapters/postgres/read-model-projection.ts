import type { RecordedEvent } from "@dubstage/event-log";
import type { PostgresEventLog, PostgresSubscription } from "@dubstage/event-log-postgres";
import { SESSION_EVENT_TYPES } from "../../domain/index.ts";
import { checkReadModelSchema, DEFAULT_READ_MODEL_SCHEMA, type ReadModelDatabase } from "./read-model-schema.ts";
import { projectSessionEvent } from "./session-projection.ts";

/** The checkpoint name of the live read model; a rebuild into fresh tables uses a new one. */
export const READ_MODEL_CONSUMER = "session-read-model";

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
  return log.subscribe<ReadModelDatabase>(
    consumer,
    async (event, { transaction, afterCommit }) => {
      const sessionId = await projectSessionEvent(transaction.withSchema(schema), event);
      // After commit: a woken watcher must find the read model already updated.
      if (sessionId !== undefined && options.onSessionChanged) afterCommit(() => options.onSessionChanged?.(sessionId));
    },
    {
      types: SESSION_EVENT_TYPES,
      ...(options.onError && { onError: options.onError }),
      ...(options.pollIntervalMs !== undefined && { pollIntervalMs: options.pollIntervalMs }),
    },
  );
}
