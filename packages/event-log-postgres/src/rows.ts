import type { ActorRole, RecordedEvent } from "@dubstage/event-log";
import { sql } from "kysely";

/** Columns of `events` as read; int8 arrives as string from pg and as number from PGlite. */
export interface EventRow {
  global_position: string | number;
  id: string;
  stream_id: string;
  stream_version: string | number;
  type: string;
  schema_version: number;
  data: unknown;
  correlation_id: string;
  causation_id: string;
  actor_user_id: string;
  actor_role: string;
  traceparent: string | null;
  tracestate: string | null;
  recorded_at: Date | string;
}

export const EVENT_COLUMNS = sql.raw(
  "e.global_position, e.id::text as id, e.stream_id, e.stream_version, e.type, e.schema_version, e.data, " +
    "e.correlation_id, e.causation_id, e.actor_user_id, e.actor_role, e.traceparent, e.tracestate, e.recorded_at",
);

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const trace =
    row.traceparent === null
      ? undefined
      : row.tracestate === null
        ? { traceparent: row.traceparent }
        : { traceparent: row.traceparent, tracestate: row.tracestate };
  return {
    id: row.id,
    type: row.type,
    schemaVersion: Number(row.schema_version),
    streamId: row.stream_id,
    streamVersion: Number(row.stream_version),
    globalPosition: Number(row.global_position),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(row.recorded_at),
    data: row.data,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    actor: { userId: row.actor_user_id, role: row.actor_role as ActorRole },
    ...(trace ? { trace } : {}),
  };
}
