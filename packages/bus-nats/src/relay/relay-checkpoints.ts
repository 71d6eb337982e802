import type pg from "pg";

/** Where the relay keeps its `$all` cursor: the last event up to which JetStream acknowledged everything. */
export interface RelayCheckpointStore {
  load(relayName: string): Promise<number | undefined>;
  save(relayName: string, checkpoint: RelayCheckpoint): Promise<void>;
}

export interface RelayCheckpoint {
  /** Global position of the last event (in `$all` order) such that it and all before it are in the stream. */
  readonly globalPosition: number;
  /** The stream sequence of that event's message (0 before the first). */
  readonly streamSequence: number;
}

/** The `pg.Pool` (or client) subset the store needs. */
export type Queryable = Pick<pg.Pool, "query">;

export const RELAY_SCHEMA = "dubstage_relay";

// Append-only list: a deployed migration never changes; add a new one instead.
const MIGRATIONS: readonly { version: number; sql: string }[] = [
  {
    version: 1,
    sql: `
      create table if not exists ${RELAY_SCHEMA}.checkpoints (
        relay_name text primary key check (length(relay_name) between 1 and 200),
        global_position bigint not null check (global_position >= 0),
        stream_sequence bigint not null check (stream_sequence >= 0),
        updated_at timestamptz not null default now()
      )`,
  },
];

/**
 * Creates or upgrades the relay's schema. Concurrent callers serialise on a transaction-level
 * advisory lock, so several relays starting at once are safe. When the schema is current it only reads,
 * so a runtime role that may not create anything passes. `runtimeRole` (run as the owner): grant that
 * role the checkpoint rows and nothing else (see packages/event-log-postgres README, "Roles").
 */
export async function migrateRelaySchema(pool: Pick<pg.Pool, "connect">, options: { runtimeRole?: string } = {}): Promise<void> {
  try {
    await migrateOnce(pool, options);
  } catch (error) {
    // Waiting on the advisory lock does not refresh this backend's catalog cache, so `create schema if not
    // exists` right after another relay's migration committed can miss it and fail as a duplicate
    // (unique_violation on pg_namespace, duplicate_schema/table/object). A new transaction sees it.
    const code = (error as { code?: unknown }).code;
    if (typeof code !== "string" || !["23505", "42P06", "42P07", "42710"].includes(code)) throw error;
    await migrateOnce(pool, options);
  }
}

async function migrateOnce(pool: Pick<pg.Pool, "connect">, options: { runtimeRole?: string }): Promise<void> {
  const client = await pool.connect();
  try {
    if (options.runtimeRole === undefined && (await isCurrent(client))) return;
    await client.query("begin");
    await client.query("select pg_advisory_xact_lock(hashtextextended('bus-nats.relay.migrations', 0))");
    await client.query(`create schema if not exists ${RELAY_SCHEMA}`);
    await client.query(
      `create table if not exists ${RELAY_SCHEMA}.schema_migrations (version int primary key, applied_at timestamptz not null default now())`,
    );
    const { rows } = await client.query<{ version: number }>(`select version from ${RELAY_SCHEMA}.schema_migrations`);
    const applied = new Set(rows.map((r) => r.version));
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query(`insert into ${RELAY_SCHEMA}.schema_migrations (version) values ($1)`, [migration.version]);
    }
    if (options.runtimeRole !== undefined) {
      const role = options.runtimeRole;
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role))
        throw new Error(`relay runtime role ${JSON.stringify(role)} must be a lower-case SQL identifier`);
      await client.query(`revoke all on all tables in schema ${RELAY_SCHEMA} from ${role}`);
      await client.query(`grant usage on schema ${RELAY_SCHEMA} to ${role}`);
      await client.query(`grant select, insert, update on ${RELAY_SCHEMA}.checkpoints to ${role}`);
      await client.query(`grant select on ${RELAY_SCHEMA}.schema_migrations to ${role}`);
    }
    await client.query("commit");
  } catch (error) {
    await client.query("rollback").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** True when every migration is recorded (reads only). */
async function isCurrent(client: Pick<pg.PoolClient, "query">): Promise<boolean> {
  const { rows } = await client.query<{ t: string | null }>("select to_regclass($1)::text as t", [`${RELAY_SCHEMA}.schema_migrations`]);
  if (rows[0]?.t == null) return false;
  const done = await client.query<{ version: number }>(`select version from ${RELAY_SCHEMA}.schema_migrations`);
  const applied = new Set(done.rows.map((r) => r.version));
  return MIGRATIONS.every((m) => applied.has(m.version));
}

/** Checkpoints in `dubstage_relay.checkpoints`, one row per relay name (run `migrateRelaySchema` first). */
export function createPostgresRelayCheckpointStore(db: Queryable): RelayCheckpointStore {
  return {
    async load(relayName) {
      const { rows } = await db.query<{ global_position: string }>(
        `select global_position from ${RELAY_SCHEMA}.checkpoints where relay_name = $1`,
        [relayName],
      );
      return rows[0] ? Number(rows[0].global_position) : undefined;
    },
    async save(relayName, checkpoint) {
      await db.query(
        `insert into ${RELAY_SCHEMA}.checkpoints (relay_name, global_position, stream_sequence, updated_at) values ($1, $2, $3, now())
         on conflict (relay_name) do update set global_position = excluded.global_position, stream_sequence = excluded.stream_sequence, updated_at = now()`,
        [relayName, checkpoint.globalPosition, checkpoint.streamSequence],
      );
    },
  };
}

export function createMemoryRelayCheckpointStore(): RelayCheckpointStore & { readonly saved: Map<string, RelayCheckpoint> } {
  const saved = new Map<string, RelayCheckpoint>();
  return {
    saved,
    async load(name) {
      return saved.get(name)?.globalPosition;
    },
    async save(name, checkpoint) {
      saved.set(name, checkpoint);
    },
  };
}
