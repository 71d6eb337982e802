import type { ActorRole, RecordedEvent } from "@dubstage/event-log";
import { type CompiledQuery, type Kysely, sql } from "kysely";

/**
 * Columns of `events` as read, in this order, as ARRAYS (no per-row object keyed by column name), shaped
 * for cheap decoding in Node: the bigint columns as float8 (exact below 2^53, the documented limit),
 * parsed with a plain parseFloat; `recorded_at` as epoch milliseconds, far cheaper than parsing
 * timestamptz text; `data` (json) arrives parsed; and the nine text fields joined with U+001F into ONE
 * column, split in Node (one string decoded per row instead of nine). Validation has kept control
 * characters out of every one of them since the first event, and none is ever empty, so '' stands for an
 * absent trace.
 */
export const EVENT_COLUMNS = sql.raw(
  "e.global_position::float8 as global_position, e.stream_version::float8 as stream_version, e.schema_version, " +
    "floor(date_part('epoch', e.recorded_at) * 1000) as recorded_ms, e.data, " +
    "concat_ws(chr(31), e.id, e.stream_id, e.type, e.correlation_id, e.causation_id, e.actor_user_id, e.actor_role, " +
    "coalesce(e.traceparent, ''), coalesce(e.tracestate, '')) as text_fields",
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
  const [id, streamId, type, correlationId, causationId, userId, role, traceparent, tracestate] = (row[5] as string).split("\u001f") as [
    string,
    string,
    string,
    string,
    string,
    string,
    ActorRole,
    string,
    string,
  ];
  const event = {
    id,
    type,
    schemaVersion: Number(row[2]),
    streamId,
    streamVersion: Number(row[1]),
    globalPosition: Number(row[0]),
    recordedAt: new Date(Number(row[3])),
    data: row[4],
    correlationId,
    causationId,
    actor: { userId, role },
  };
  if (traceparent === "") return event;
  return { ...event, trace: tracestate === "" ? { traceparent } : { traceparent, tracestate } };
}
