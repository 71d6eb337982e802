import { type Kysely, type RawBuilder, sql } from "kysely";

/**
 * The `$all` horizon as a SQL expression (xid8): the oldest transaction of the statement's snapshot still
 * in flight (`pg_snapshot_xip`), passing over the transactions of backends connected to ANOTHER database,
 * or the snapshot's xmax when none is left. A backend stays in its database for life and can never write
 * this one's tables, so passing it over is safe however the reads race with it: the fact read from
 * pg_stat_activity ("xid x belongs to a backend of database d") stays true once seen. Everything else
 * still counts: transactions of this database (another table included: one cannot tell in a race-free
 * way whether it will append yet), prepared transactions, and backends whose `backend_xid` the role may
 * not see (grant `pg_read_all_stats` to the service's role, or the bound reverts to the whole cluster).
 */
export function horizonExpression(): RawBuilder<string> {
  return sql<string>`(
    select least(pg_snapshot_xmax(snap.s), (
      select min(x) from pg_snapshot_xip(snap.s) x
      where not exists (
        select 1 from pg_stat_activity a
        where a.backend_xid = xid(x) and a.datid <> (select d.oid from pg_database d where d.datname = current_database()))))
    from (select pg_current_snapshot() as s) snap)`;
}

/**
 * The oldest transaction in flight that can still write this database (every event below it is committed
 * or never will be), or the next transaction id when there is none; see `horizonExpression`.
 */
export async function currentHorizon(db: Kysely<unknown>): Promise<bigint> {
  const { rows } = await sql<{ xmin: string }>`select ${horizonExpression()}::text as xmin`.execute(db);
  return BigInt(rows[0]?.xmin ?? "0");
}

/** The first transaction id not yet started: everything committed before now has a lower id. */
export async function currentXmax(db: Kysely<unknown>): Promise<bigint> {
  const { rows } = await sql<{ xmax: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text as xmax`.execute(db);
  return BigInt(rows[0]?.xmax ?? "0");
}

/** The backend whose open transaction holds the `$all` horizon back, as pg_stat_activity shows it. */
export interface HorizonBlocker {
  readonly pid: number;
  readonly database: string | null;
  readonly applicationName: string;
  /** pg_stat_activity.state: "idle in transaction", "active", ... */
  readonly state: string | null;
  readonly transactionStart: Date | null;
  /** The backend's current or last query, cut to 200 characters. */
  readonly query: string;
}

/**
 * The backend running transaction `horizon` (a value of `currentHorizon`), or undefined when it has
 * ended, is a prepared transaction (see pg_prepared_xacts), or the role may not see it.
 */
export async function horizonBlocker(db: Kysely<unknown>, horizon: bigint): Promise<HorizonBlocker | undefined> {
  const { rows } = await sql<{
    pid: number;
    datname: string | null;
    application_name: string | null;
    state: string | null;
    xact_start: Date | string | null;
    query: string | null;
  }>`
    select a.pid, a.datname, a.application_name, a.state, a.xact_start, left(a.query, 200) as query
    from pg_stat_activity a where a.backend_xid = xid(${horizon.toString()}::xid8) limit 1`.execute(db);
  const r = rows[0];
  if (r === undefined) return undefined;
  return {
    pid: Number(r.pid),
    database: r.datname,
    applicationName: r.application_name ?? "",
    state: r.state,
    transactionStart: r.xact_start === null ? null : new Date(r.xact_start),
    query: r.query ?? "",
  };
}
