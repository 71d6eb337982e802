import { type ReadAllOptions, type RecordedEvent, unknownCursor } from "@dubstage/event-log";
import { type Kysely, sql } from "kysely";
import { EVENT_COLUMNS, type RowReader, toRecordedEvent } from "../rows.ts";
import { horizonExpression } from "./horizon.ts";

export { currentHorizon, currentXmax } from "./horizon.ts";

/**
 * Reads `$all` in commit-safe order: only rows of transactions older than every transaction still in
 * flight in this database (`horizonExpression`: transactions of other databases do not hold it back),
 * ordered by (transaction_id, global_position). A transaction with a lower xid may draw HIGHER sequence values than a later one, so
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
    where e.transaction_id < ${horizonExpression()}::xid8
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
