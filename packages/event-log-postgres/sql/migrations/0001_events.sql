-- name: events, streams, append-only trigger
create sequence {{schema}}.global_position_seq as bigint cache 1;

create table {{schema}}.streams (
  stream_id text primary key,
  version bigint not null check (version >= 0),
  updated_at timestamptz not null default now()
);

create table {{schema}}.events (
  global_position bigint primary key default nextval('{{schema}}.global_position_seq'),
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
alter sequence {{schema}}.global_position_seq owned by {{schema}}.events.global_position;

-- $all is read in (transaction_id, global_position) order; see README "Global order without skips".
create index events_commit_order on {{schema}}.events (transaction_id, global_position);

create function {{schema}}.reject_event_change() returns trigger language plpgsql as $$
begin
  raise exception 'the event log is append-only: % on %.events is not allowed', tg_op, tg_table_schema
    using errcode = 'restrict_violation';
end $$;

create trigger events_append_only before update or delete on {{schema}}.events
  for each row execute function {{schema}}.reject_event_change();
create trigger events_no_truncate before truncate on {{schema}}.events
  for each statement execute function {{schema}}.reject_event_change();
