-- name: checkpoints, parked events, snapshots
create table {{schema}}.checkpoints (
  consumer text primary key,
  global_position bigint not null,
  updated_at timestamptz not null default now()
);

create table {{schema}}.parked_events (
  consumer text not null,
  global_position bigint not null,
  event_id uuid not null,
  attempts integer not null,
  error text not null,
  parked_at timestamptz not null default now(),
  primary key (consumer, global_position)
);

create table {{schema}}.snapshots (
  stream_id text primary key,
  version bigint not null check (version >= 1),
  schema_version integer not null check (schema_version >= 1),
  state jsonb not null,
  saved_at timestamptz not null default now()
);
