import { type ReadAllOptions, type RecordedEvent, unknownCursor } from "@dubstage/event-log";
import { type Kysely, sql } from "kysely";
import { EVENT_COLUMNS, type RowReader, toRecordedEvent } from "../rows.ts";

/**
 * Reads `$all` in commit-safe order: only rows of transactions older than every transaction still in
 * flight (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`), ordered by (transaction_id,
 * global_position). A transaction with a lower xid may draw HIGHER sequence values than a later one, so
 * global_position alone is not a safe order; (transaction_id, global_position) is, once every
 * transaction below the horizon has finished. The cursor stays the numeric global position of the last
 * event seen: its transaction id is looked up, and reading continues after (that xid, that position).
 */
export async function readAllEvents(
  db: Kysely<unknown>,
  readRows: RowReader,
  schema: string,
  options: ReadAllOptions,
): Promise<RecordedEvent[]> {
  const events = sql.table(`${schema}.events`);
  const after = options.after ?? 0;
  const cursorXid = after > 0 ? sql`(select c.transaction_id from ${events} c where c.global_position = ${after}::bigint)` : sql`'0'::xid8`;
  const typeCondition = options.types ? sql`and e.type = any(${[...options.types]}::text[])` : sql``;
  const rows = await readRows(
    sql`
    select ${EVENT_COLUMNS} from ${events} e
    where e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      and (e.transaction_id, e.global_position) > (${cursorXid}, ${after}::bigint)
      ${typeCondition}
    order by e.transaction_id, e.global_position
    limit ${options.maxCount ?? null}::bigint`.compile(db),
  );
  if (rows.length === 0 && after > 0) {
    // An unknown cursor makes the row comparison NULL and the read empty: say so instead of waiting forever.
    const { rows: found } = await sql`select 1 from ${events} where global_position = ${after}::bigint`.execute(db);
    if (found.length === 0) throw unknownCursor(after);
  }
  return rows.map(toRecordedEvent);
}

/** The events at these global positions (committed ones only), in position order; unknown positions are left out. */
export async function readEventsAt(
  db: Kysely<unknown>,
  readRows: RowReader,
  schema: string,
  positions: readonly number[],
): Promise<RecordedEvent[]> {
  if (positions.length === 0) return [];
  const rows = await readRows(
    sql`
    select ${EVENT_COLUMNS} from ${sql.table(`${schema}.events`)} e
    where e.global_position = any(${positions.map(String)}::bigint[])
    order by e.global_position`.compile(db),
  );
  return rows.map(toRecordedEvent);
}

/** The oldest transaction still in flight: every event below it is committed (or never will be). */
export async function currentHorizon(db: Kysely<unknown>): Promise<bigint> {
  const { rows } = await sql<{ xmin: string }>`select pg_snapshot_xmin(pg_current_snapshot())::text as xmin`.execute(db);
  return BigInt(rows[0]?.xmin ?? "0");
}

/** The first transaction id not yet started: everything committed before now has a lower id. */
export async function currentXmax(db: Kysely<unknown>): Promise<bigint> {
  const { rows } = await sql<{ xmax: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`.execute(db);
  return BigInt(rows[0]?.xmax ?? "0");
}
