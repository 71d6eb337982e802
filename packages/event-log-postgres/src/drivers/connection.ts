import { Kysely, PostgresDialect } from "kysely";
import type pg from "pg";
import { PGliteDialect, type PGliteLike } from "./pglite-dialect.ts";

/** The `pg.Pool` subset we use; the pool belongs to the caller, who ends it. */
export type PgPoolLike = Pick<pg.Pool, "connect" | "query" | "on" | "off" | "totalCount">;

/** How the log reaches PostgreSQL: kysely for queries, plus a way to LISTEN for wake-ups. */
export interface DatabaseConnection {
  readonly db: Kysely<unknown>;
  readonly driver: "pg" | "pglite";
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
    db: new Kysely<unknown>({ dialect: new PostgresDialect({ pool: withClientErrorGuard(pool as pg.Pool) }) }),
    driver: "pg",
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

/**
 * pg-pool removes its error listener while a client is checked out; a session killed then (e.g. a
 * transaction idle between a handler's queries) would emit an unhandled "error" and crash the process.
 * A permanent no-op listener prevents that; the next query on the client still fails and is mapped to
 * EventLogUnavailableError, and kysely releases the broken client.
 */
function withClientErrorGuard(pool: pg.Pool): pg.Pool {
  const connect = async () => {
    const client = await pool.connect();
    if (!guardedClients.has(client)) {
      guardedClients.add(client);
      client.on("error", () => {});
    }
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
  return {
    db: new Kysely<unknown>({ dialect: new PGliteDialect(pglite) }),
    driver: "pglite",
    async listen(channel, onNotify) {
      const unlisten = await pglite.listen(channel, () => onNotify());
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
  };
}
