import { type Kysely, sql } from "kysely";

/** The schema the event log owns. Nothing outside this package writes to it. */
export const DEFAULT_SCHEMA = "dubstage_eventlog";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema names are spliced into DDL and function bodies, so only plain lower-case identifiers are allowed. */
export function checkSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`event log schema name ${JSON.stringify(schema)} must match ${SCHEMA_NAME}`);
  return schema;
}

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly up: (s: string) => string;
}

/**
 * Versioned migrations, applied in order inside one transaction under an advisory lock. Never edit a
 * released migration: add a new version.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "events, streams, append-only trigger",
    up: (s) => `
      create sequence ${s}.global_position_seq as bigint cache 1;

      create table ${s}.streams (
        stream_id text primary key,
        version bigint not null check (version >= 0),
        updated_at timestamptz not null default now()
      );

      create table ${s}.events (
        global_position bigint primary key default nextval('${s}.global_position_seq'),
        transaction_id xid8 not null default pg_current_xact_id(),
        id uuid not null,
        stream_id text not null,
        stream_version bigint not null check (stream_version >= 1),
        type text not null,
        schema_version integer not null check (schema_version >= 1),
        data jsonb not null,
        correlation_id text not null,
        causation_id text not null,
        actor_user_id text not null,
        actor_role text not null,
        traceparent text,
        tracestate text,
        recorded_at timestamptz not null default now(),
        constraint events_id_unique unique (id),
        constraint events_stream_version_unique unique (stream_id, stream_version)
      );
      alter sequence ${s}.global_position_seq owned by ${s}.events.global_position;

      -- $all is read in (transaction_id, global_position) order; see README "Global order without skips".
      create index events_commit_order on ${s}.events (transaction_id, global_position);

      create function ${s}.reject_event_change() returns trigger language plpgsql as $$
      begin
        raise exception 'the event log is append-only: % on %.events is not allowed', tg_op, tg_table_schema
          using errcode = 'restrict_violation';
      end $$;

      create trigger events_append_only before update or delete on ${s}.events
        for each row execute function ${s}.reject_event_change();
      create trigger events_no_truncate before truncate on ${s}.events
        for each statement execute function ${s}.reject_event_change();
    `,
  },
  {
    version: 2,
    name: "append function",
    // One round trip per append: lock the stream row, check ids and version, insert all rows, bump the
    // stream. Errors use custom SQLSTATEs (class DS) that the client maps to typed errors.
    up: (s) => `
      create function ${s}.append_events(p_stream_id text, p_expected bigint, p_events jsonb)
      returns table (stream_version bigint, last_global_position bigint, duplicate boolean)
      language plpgsql as $$
      declare
        v_current bigint;
        v_count integer := jsonb_array_length(p_events);
        v_existing integer;
        v_existing_ids text;
        v_other_stream text;
      begin
        -- Lock (or create) the stream row first: writers to one stream queue here, other streams run in parallel.
        insert into ${s}.streams as st (stream_id, version) values (p_stream_id, 0)
          on conflict (stream_id) do update set version = st.version
          returning st.version into v_current;

        select count(*), string_agg(e.id::text, ', ' order by e.id), min(e.stream_id) filter (where e.stream_id <> p_stream_id)
          into v_existing, v_existing_ids, v_other_stream
          from ${s}.events e
          where e.id in (select (x ->> 'id')::uuid from jsonb_array_elements(p_events) x);
        if v_existing > 0 then
          if v_existing < v_count then
            raise exception using errcode = 'DS002', message = v_existing_ids,
              detail = format('but %s of the batch are not', v_count - v_existing);
          end if;
          if v_other_stream is not null then
            raise exception using errcode = 'DS002', message = v_existing_ids, detail = format('in stream %s', v_other_stream);
          end if;
          return query
            select max(e.stream_version), max(e.global_position), true
            from ${s}.events e
            where e.id in (select (x ->> 'id')::uuid from jsonb_array_elements(p_events) x);
          return;
        end if;

        -- p_expected: null = any, 0 = no events yet, n = exactly n.
        if p_expected is not null and p_expected <> v_current then
          raise exception using errcode = 'DS001', message = v_current::text;
        end if;

        return query
        with inserted as (
          insert into ${s}.events (id, stream_id, stream_version, type, schema_version, data,
                                   correlation_id, causation_id, actor_user_id, actor_role, traceparent, tracestate)
          select (x ->> 'id')::uuid, p_stream_id, v_current + n, x ->> 'type', (x ->> 'schemaVersion')::integer, x -> 'data',
                 x ->> 'correlationId', x ->> 'causationId', x ->> 'actorUserId', x ->> 'actorRole', x ->> 'traceparent', x ->> 'tracestate'
          from jsonb_array_elements(p_events) with ordinality as t(x, n)
          order by n
          returning global_position
        ), bumped as (
          update ${s}.streams set version = v_current + v_count, updated_at = now() where stream_id = p_stream_id
        )
        select v_current + v_count, (select max(global_position) from inserted), false;
      end $$;
    `,
  },
  {
    version: 3,
    name: "checkpoints, parked events, snapshots",
    up: (s) => `
      create table ${s}.checkpoints (
        consumer text primary key,
        global_position bigint not null,
        updated_at timestamptz not null default now()
      );

      create table ${s}.parked_events (
        consumer text not null,
        global_position bigint not null,
        event_id uuid not null,
        attempts integer not null,
        error text not null,
        parked_at timestamptz not null default now(),
        primary key (consumer, global_position)
      );

      create table ${s}.snapshots (
        stream_id text primary key,
        version bigint not null check (version >= 1),
        schema_version integer not null check (schema_version >= 1),
        state jsonb not null,
        saved_at timestamptz not null default now()
      );
    `,
  },
];

export const LATEST_MIGRATION = MIGRATIONS.length;

/**
 * Creates or upgrades the event log schema. Idempotent and safe to run from many processes at once
 * (an advisory lock serialises them); every service that opens the log runs it at start.
 */
export async function migrateEventLog(db: Kysely<unknown>, options: { schema?: string } = {}): Promise<{ applied: number[] }> {
  const s = checkSchemaName(options.schema ?? DEFAULT_SCHEMA);
  return await db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`dubstage_eventlog.migrate:${s}`}, 0))`.execute(tx);
    await sql.raw(`create schema if not exists ${s}`).execute(tx);
    await sql
      .raw(
        `create table if not exists ${s}.schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
      )
      .execute(tx);
    const done = await sql<{ version: number }>`select version from ${sql.table(`${s}.schema_migrations`)}`.execute(tx);
    const have = new Set(done.rows.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (have.has(migration.version)) continue;
      await sql.raw(migration.up(s)).execute(tx);
      await sql`insert into ${sql.table(`${s}.schema_migrations`)} (version, name) values (${migration.version}, ${migration.name})`.execute(
        tx,
      );
      applied.push(migration.version);
    }
    return { applied };
  });
}
