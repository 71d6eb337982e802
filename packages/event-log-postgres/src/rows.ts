import type { ActorRole, RecordedEvent } from "@dubstage/event-log";
import { type CompiledQuery, type Kysely, sql } from "kysely";

/**
 * Columns of `events` as read, in this order, as ARRAYS (no per-row object keyed by column name), shaped
 * for cheap decoding in Node: TWO columns per row. `data` (json) arrives parsed; everything else is joined
 * with U+001F into ONE text column and split in Node, because each column costs the driver a decode and a
 * parser call, which a catch-up read of `$all` pays a million times. The bigints go as their decimal text
 * (exact below 2^53, the documented limit), `recorded_at` as epoch milliseconds (far cheaper than parsing
 * timestamptz text). Validation has kept control characters out of every text field since the first
 * event, and none is ever empty, so '' stands for an absent trace.
 */
export const EVENT_COLUMNS = sql.raw(
  "concat_ws(chr(31), e.global_position, e.stream_version, e.schema_version, floor(date_part('epoch', e.recorded_at) * 1000)::bigint, " +
    "e.id, e.stream_id, e.type, e.correlation_id, e.causation_id, e.actor_user_id, e.actor_role, " +
    "coalesce(e.traceparent, ''), coalesce(e.tracestate, '')) as fields, e.data",
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
  // The fields in EVENT_COLUMNS order.
  const f = (row[0] as string).split("\u001f");
  const event = {
    id: f[4] as string,
    type: f[6] as string,
    schemaVersion: Number(f[2]),
    streamId: f[5] as string,
    streamVersion: Number(f[1]),
    globalPosition: Number(f[0]),
    recordedAt: new Date(Number(f[3])),
    data: row[1],
    correlationId: f[7] as string,
    causationId: f[8] as string,
    actor: { userId: f[9] as string, role: f[10] as ActorRole },
  };
  const traceparent = f[11] as string;
  const tracestate = f[12] as string;
  if (traceparent === "") return event;
  return { ...event, trace: tracestate === "" ? { traceparent } : { traceparent, tracestate } };
}
