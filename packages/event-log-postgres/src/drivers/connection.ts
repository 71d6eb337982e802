import { Kysely, PostgresDialect } from "kysely";
import type pg from "pg";
import { isConnectionError } from "../pg-errors.ts";
import { kyselyRowReader, type RowReader } from "../rows.ts";
import { PGliteDialect, type PGliteLike } from "./pglite-dialect.ts";

/** The `pg.Pool` subset we use; the pool belongs to the caller, who ends it. */
export type PgPoolLike = Pick<pg.Pool, "connect" | "query" | "on" | "off" | "totalCount">;

/** How the log reaches PostgreSQL: kysely for queries, plus a way to LISTEN for wake-ups. */
export interface DatabaseConnection {
  readonly db: Kysely<unknown>;
  readonly driver: "pg" | "pglite";
  /** Runs event reads and appends, rows as arrays. */
  readonly readRows: RowReader;
  /**
   * Listens on `channel` on a dedicated session. `onLost` fires when that session dies; the returned
   * function stops listening.
   */
  listen(channel: string, onNotify: () => void, onLost: (error: unknown) => void): Promise<() => Promise<void>>;
}

const guardedPools = new WeakSet<PgPoolLike>();

export function pgConnection(pool: PgPoolLike): DatabaseConnection {
  // An idle pooled client whose server session dies emits "error" on the pool; without a listener that
  // would crash the process. The pool drops the client; the next query fails or reconnects cleanly.
  if (!guardedPools.has(pool)) {
    guardedPools.add(pool);
    pool.on("error", () => {});
  }
  return {
    db: new Kysely<unknown>({ dialect: new PostgresDialect({ pool: withClientGuards(pool as pg.Pool) }) }),
    driver: "pg",
    // Straight to the pool with rowMode "array": no per-row object keyed by column name (reads of $all
    // decode thousands of rows per call). pool.query destroys the client after any error.
    readRows: async (query, name) =>
      (await pool.query<unknown[]>({ ...(name ? { name } : {}), text: query.sql, values: [...query.parameters], rowMode: "array" })).rows,
    async listen(channel, onNotify, onLost) {
      const client = await pool.connect();
      let done = false;
      const lost = (error: unknown) => {
        if (done) return;
        done = true;
        client.release(error instanceof Error ? error : new Error(String(error)));
        onLost(error);
      };
      client.on("notification", (message) => {
        if (message.channel === channel) onNotify();
      });
      client.on("error", lost);
      client.on("end", () => lost(new Error("LISTEN connection ended")));
      try {
        await client.query(`listen "${channel}"`);
      } catch (error) {
        lost(error);
        throw error;
      }
      return async () => {
        if (done) return;
        done = true;
        try {
          await client.query(`unlisten "${channel}"`);
          client.release();
        } catch (error) {
          client.release(error instanceof Error ? error : true);
        }
      };
    },
  };
}

const guardedClients = new WeakSet<pg.PoolClient>();
const brokenClients = new WeakSet<pg.PoolClient>();

/**
 * Two gaps between pg-pool and kysely, closed on checkout:
 * - pg-pool removes its error listener while a client is checked out, so a session killed then (a
 *   transaction idle between a handler's queries) would emit an unhandled "error" and crash the process:
 *   a permanent no-op listener prevents that (the next query still fails, and is mapped).
 * - kysely releases a client normally after a failed query; when the failure was the session dying
 *   (57P01 arrives before the socket closes), the pool could hand the dead client out again. A client
 *   that saw a connection error is released as broken, so the pool destroys it.
 */
function withClientGuards(pool: pg.Pool): pg.Pool {
  const connect = async () => {
    const client = await pool.connect();
    if (!guardedClients.has(client)) {
      guardedClients.add(client);
      client.on("error", () => {});
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as { query: unknown }).query = (...args: unknown[]) => {
        const result = query(...args);
        if (result instanceof Promise) {
          result.catch((error: unknown) => {
            if (isConnectionError(error)) brokenClients.add(client);
          });
        }
        return result;
      };
    }
    const release = client.release;
    // kysely releases with `false` for "healthy"; a broken client overrides that.
    client.release = (error?: Error | boolean) => release(error || (brokenClients.has(client) ? new Error("the session died") : undefined));
    return client;
  };
  return new Proxy(pool, {
    get(target, property) {
      if (property === "connect") return connect;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export function pgliteConnection(pglite: PGliteLike): DatabaseConnection {
  const db = new Kysely<unknown>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    driver: "pglite",
    // Through kysely: PGlite is one session, shared in turn by the dialect's driver.
    readRows: kyselyRowReader(db),
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, () => onNotify());
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
  };
}
