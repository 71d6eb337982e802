-- Stores a snapshot at its version; a second save at the same version replaces it.
-- $1 stream_id, $2 version, $3 schema_version, $4 state (JSON text)
insert into {{schema}}.snapshots as s (stream_id, version, schema_version, state)
values ($1, $2::bigint, $3::integer, $4::jsonb)
on conflict (stream_id, version) do update
  set schema_version = excluded.schema_version, state = excluded.state, saved_at = now()
