-- The retention rule (SnapshotStore): after a save at version $2 of state schema $3, removes the stream's
-- snapshots of older state schemas, and those below $2 that are not the oldest of their span of $4 versions.
-- $1 stream_id, $2 version, $3 schema_version, $4 keep_every
delete from {{schema}}.snapshots d
where d.stream_id = $1
  and (d.schema_version < $3::integer
    or (d.schema_version = $3::integer and d.version < $2::bigint
      and exists (
        select 1 from {{schema}}.snapshots o
        where o.stream_id = d.stream_id and o.schema_version = d.schema_version
          and o.version / $4::bigint = d.version / $4::bigint and o.version < d.version)))
