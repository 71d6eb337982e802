-- The services' runtime role ({{role}}): appends and reads events, keeps its checkpoints, parked events and
-- snapshots, and owns nothing, so it can neither alter the tables, disable the append-only triggers,
-- truncate nor drop (all need ownership or the TRUNCATE/TRIGGER privileges, never granted). Run by the
-- owner after every migration, so tables added later are covered; re-running grants the same set.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = '{{role}}') then
    create role {{role}} login;
  end if;
end $$;

revoke all on all tables in schema {{schema}} from {{role}};
revoke all on all sequences in schema {{schema}} from {{role}};
grant usage on schema {{schema}} to {{role}};

grant select, insert on {{schema}}.events to {{role}};
grant usage, select on sequence {{schema}}.global_position_seq to {{role}};
-- append_batch keeps each stream's version here.
grant select, insert, update on {{schema}}.streams to {{role}};
grant select, insert, update, delete on {{schema}}.checkpoints, {{schema}}.parked_events, {{schema}}.snapshots to {{role}};
grant select on {{schema}}.schema_migrations to {{role}};

-- The $all horizon passes over other databases' transactions only where it can see every backend's
-- transaction id (pg_stat_activity hides other roles' backends otherwise; the bound is then the whole
-- cluster, still correct). Granting needs ADMIN on pg_read_all_stats: a DBA may grant it instead.
do $$
begin
  if not pg_has_role('{{role}}', 'pg_read_all_stats', 'member') then
    grant pg_read_all_stats to {{role}};
  end if;
exception when insufficient_privilege then
  raise notice 'event log: could not grant pg_read_all_stats to %; the $all horizon then waits on every transaction of the cluster', '{{role}}';
end $$;
