import type { ActorRole, RecordedEvent } from "@dubstage/event-log";
import { type CompiledQuery, type Kysely, sql } from "kysely";

/**
 * Columns of `events` as read, in this order, as ARRAYS (no per-row object keyed by column name). The
 * bigint columns come as float8 (exact below 2^53, the documented limit), which pg parses with a plain
 * parseFloat; `recorded_at` as epoch milliseconds, far cheaper than parsing timestamptz text; `data`
 * (json) arrives parsed.
 */
export const EVENT_COLUMNS = sql.raw(
  "e.global_position::float8 as global_position, e.id::text as id, e.stream_id, e.stream_version::float8 as stream_version, e.type, e.schema_version, e.data, " +
    "e.correlation_id, e.causation_id, e.actor_user_id, e.actor_role, e.traceparent, e.tracestate, " +
    "floor(date_part('epoch', e.recorded_at) * 1000) as recorded_ms",
);

/**
 * Runs one statement and returns its rows as arrays of column values, in select order. With a
 * `statementName`, pg prepares it once per connection and reuses the plan (PGlite ignores the name).
 */
export type RowReader = (query: CompiledQuery, statementName?: string) => Promise<unknown[][]>;

/** The portable reader: through kysely, then each row object's values (in column order). */
export function kyselyRowReader(db: Kysely<unknown>): RowReader {
  return async (query) => (await db.executeQuery(query)).rows.map((row) => Object.values(row as object));
}

export function toRecordedEvent(row: unknown[]): RecordedEvent {
  const traceparent = row[11] as string | null;
  const tracestate = row[12] as string | null;
  const event = {
    id: row[1] as string,
    type: row[4] as string,
    schemaVersion: Number(row[5]),
    streamId: row[2] as string,
    streamVersion: Number(row[3]),
    globalPosition: Number(row[0]),
    recordedAt: new Date(Number(row[13])),
    data: row[6],
    correlationId: row[7] as string,
    causationId: row[8] as string,
    actor: { userId: row[9] as string, role: row[10] as ActorRole },
  };
  if (traceparent === null) return event;
  return { ...event, trace: tracestate === null ? { traceparent } : { traceparent, tracestate } };
}
