-- The newest snapshot of a stream at or below a version, optionally of one state schema version.
-- $1 stream_id, $2 version, $3 schema_version (null: any)
select version, schema_version, state
from {{schema}}.snapshots
where stream_id = $1 and version <= $2::bigint and ($3::integer is null or schema_version = $3::integer)
order by version desc
limit 1
