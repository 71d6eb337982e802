import { type Kysely, sql, type Transaction } from "kysely";
import type pg from "pg";
import { guarded, translateError } from "./pg-errors.ts";

/** The `pg.Pool` subset leadership needs. */
export type LockPool = Pick<pg.Pool, "connect">;

/**
 * A session-level advisory lock held on a dedicated connection: while `signal` is not aborted, this
 * process is the only holder of `key` in the database (cluster-wide for that database).
 */
export interface Leadership {
  readonly key: string;
  /** Aborted when the lock is lost (its connection died) or released. */
  readonly signal: AbortSignal;
  /** Releases the lock and returns the connection to the pool. Idempotent. */
  release(): Promise<void>;
}

// Keys are strings, hashed to PostgreSQL's 64-bit advisory key space. Namespace them, e.g. "bus-nats.relay".
const lockKey = (key: string) => sql`hashtextextended(${key}, 0)`;

function checkKey(key: string): void {
  if (typeof key !== "string" || key.length === 0 || key.length > 200) throw new Error("advisory lock key must be 1-200 characters");
}

/**
 * Tries to become the leader for `key` without waiting: resolves to a Leadership, or undefined when
 * another session holds the lock. Call again later (e.g. every few seconds) to take over when the
 * leader goes away; PostgreSQL frees the lock the moment the leader's connection ends.
 */
export async function tryAcquireLeadership(pool: LockPool, key: string): Promise<Leadership | undefined> {
  checkKey(key);
  const client = await guarded("leadership connect", () => pool.connect());
  const controller = new AbortController();
  let released = false;
  const lose = (error: unknown) => {
    if (released) return;
    released = true;
    client.release(error instanceof Error ? error : true);
    controller.abort(error);
  };
  client.on("error", lose);
  client.on("end", () => lose(new Error(`advisory lock ${key}: its connection ended`)));
  let acquired: boolean;
  try {
    const { rows } = await client.query<{ acquired: boolean }>("select pg_try_advisory_lock(hashtextextended($1, 0)) as acquired", [key]);
    acquired = rows[0]?.acquired === true;
  } catch (error) {
    lose(error);
    throw translateError(error, "leadership acquire");
  }
  if (!acquired) {
    released = true;
    client.release();
    return undefined;
  }
  return {
    key,
    signal: controller.signal,
    async release() {
      if (released) return;
      released = true;
      try {
        await client.query("select pg_advisory_unlock(hashtextextended($1, 0))", [key]);
        client.release();
      } catch (error) {
        // Destroying the connection frees the lock too.
        client.release(error instanceof Error ? error : true);
      }
      controller.abort(new Error(`advisory lock ${key} released`));
    },
  };
}

/**
 * Runs `fn` in a transaction holding a transaction-level advisory lock on `key`, waiting for it if
 * another transaction holds it; the lock is freed at commit or rollback.
 */
export async function withAdvisoryLock<DB, T>(db: Kysely<DB>, key: string, fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
  checkKey(key);
  return await guarded(`advisory lock ${key}`, () =>
    db.transaction().execute(async (tx) => {
      await sql`select pg_advisory_xact_lock(${lockKey(key)})`.execute(tx);
      return await fn(tx);
    }),
  );
}
