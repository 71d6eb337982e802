import type { ReadStreamOptions, RecordedEvent } from "@dubstage/event-log";
import { type Kysely, sql } from "kysely";
import { EVENT_COLUMNS, type RowReader, toRecordedEvent } from "../rows.ts";

/** One stream's events by stream version, forwards or backwards from an inclusive version. */
export async function readStreamEvents(
  db: Kysely<unknown>,
  readRows: RowReader,
  schema: string,
  streamId: string,
  options: ReadStreamOptions,
): Promise<RecordedEvent[]> {
  const backwards = options.direction === "backwards";
  const from = options.fromVersion ?? (backwards ? Number.MAX_SAFE_INTEGER : 1);
  const versionCondition = backwards ? sql`e.stream_version <= ${from}` : sql`e.stream_version >= ${from}`;
  const typeCondition = options.types ? sql`and e.type = any(${[...options.types]}::text[])` : sql``;
  const rows = await readRows(
    sql`
    select ${EVENT_COLUMNS} from ${sql.table(`${schema}.events`)} e
    where e.stream_id = ${streamId} and ${versionCondition} ${typeCondition}
    order by e.stream_version ${sql.raw(backwards ? "desc" : "asc")}
    limit ${options.maxCount ?? null}::bigint`.compile(db),
  );
  return rows.map(toRecordedEvent);
}

/** One event by its id (unique across the log), or undefined. */
export async function readEventById(
  db: Kysely<unknown>,
  readRows: RowReader,
  schema: string,
  eventId: string,
): Promise<RecordedEvent | undefined> {
  const rows = await readRows(
    sql`select ${EVENT_COLUMNS} from ${sql.table(`${schema}.events`)} e where e.id = ${eventId}::uuid`.compile(db),
  );
  return rows[0] === undefined ? undefined : toRecordedEvent(rows[0]);
}

export async function readStreamVersion(db: Kysely<unknown>, schema: string, streamId: string): Promise<number | undefined> {
  const { rows } = await sql<{
    version: string | number;
  }>`select version from ${sql.table(`${schema}.streams`)} where stream_id = ${streamId}`.execute(db);
  const version = rows[0] ? Number(rows[0].version) : 0;
  return version === 0 ? undefined : version;
}
