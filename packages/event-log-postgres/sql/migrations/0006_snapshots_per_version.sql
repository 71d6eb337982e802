-- name: snapshots per version
-- More than the latest snapshot per stream, so a read at an old version folds from a nearby one (see
-- README, "Snapshots"): one row per (stream, version). Existing latest snapshots stay.
alter table {{schema}}.snapshots drop constraint snapshots_pkey;
alter table {{schema}}.snapshots add primary key (stream_id, version);
