-- name: write-combining append_batch, json payloads
-- Replaces append_events (version 2) with append_batch: many appends in ONE call and ONE transaction,
-- each applied in order and all-or-nothing, reporting conflicts per append instead of raising, so one
-- append's conflict never affects the others. Payloads become `json`: kept as sent (JSON.stringify
-- output), cheaper to write and to read than `jsonb`; the log never queries inside them.
drop function {{schema}}.append_events(text, bigint, jsonb);
alter table {{schema}}.events alter column data type json using data::json;
-- Stream ids are compared byte-wise (memcmp), not through the locale: cheaper index maintenance.
alter table {{schema}}.streams alter column stream_id type text collate "C";
alter table {{schema}}.events alter column stream_id type text collate "C";

-- Lists arrive joined into one text each and are split with string_to_array, far cheaper to send and
-- to parse than json or array literals: text fields joined with chr(31) (validation keeps control
-- characters out of stream ids, types, ids and metadata, and JSON.stringify never leaves one raw in a
-- payload), numbers and uuids with ','; '' stands for null (an expected version of any, no trace).
-- Per append: p_streams, p_expected (null = any, 0 = no events yet, n = exactly n), p_counts. Per
-- event, appends one after another: p_ids, p_appends (1-based append index), p_types ... p_tracestates.
-- p_check_ids: look up every id first (a resend); otherwise ids are only looked up for an append
-- whose expected version does not match, and a resend shows up as a unique violation (the client
-- then repeats the batch with p_check_ids).
-- Returns one row per append, in order: outcome 'ok' | 'duplicate' (stream_version, last_global_position)
-- | 'version' (info: the stream's actual version) | 'ids' (info: the ids already in the log, detail).
create function {{schema}}.append_batch(
  p_streams text, p_expected text, p_counts text, p_check_ids boolean,
  p_ids text, p_appends text, p_types text, p_schema_versions text, p_data text,
  p_correlation_ids text, p_causation_ids text, p_user_ids text, p_roles text, p_traceparents text, p_tracestates text)
returns table (outcome text, stream_version bigint, last_global_position bigint, info text, detail text)
language plpgsql as $$
declare
  v_streams text[] := string_to_array(p_streams, chr(31));
  v_n integer := cardinality(v_streams);
  v_expected bigint[] := string_to_array(p_expected, ',', '')::bigint[];
  v_counts integer[] := string_to_array(p_counts, ',')::integer[];
  v_ids uuid[] := string_to_array(p_ids, ',')::uuid[];
  v_outcome text[] := array_fill(null::text, array[v_n]);
  v_version bigint[] := array_fill(null::bigint, array[v_n]);
  v_position bigint[] := array_fill(null::bigint, array[v_n]);
  v_info text[] := array_fill(null::text, array[v_n]);
  v_detail text[] := array_fill(null::text, array[v_n]);
  -- Per append: the stream version before it (-1 when it is not written) and its first event's index.
  v_base bigint[] := array_fill(-1::bigint, array[v_n]);
  v_first integer[] := array_fill(0, array[v_n]);
  -- Per distinct stream, in lock order: version before the batch, bump taken, running version, row created.
  v_locked text[] := '{}';
  v_prev bigint[] := '{}';
  v_bump bigint[] := '{}';
  v_run bigint[] := '{}';
  v_created boolean[] := '{}';
  v_before bigint;
  v_new boolean;
  v_existing integer := 0;
  v_found integer;
  v_found_ids text;
  v_other_stream text;
  v_max_version bigint;
  v_max_position bigint;
  v_offset integer := 0;
  v_cnt integer;
  v_k integer;
  v_r record;
  v_acc_idx integer[];
  v_acc_pos bigint[];
begin
  -- 1. Lock every stream of the batch in stream order (concurrent batches lock in the same order, so
  --    they cannot deadlock), bumping it by everything asked: ONE write of the row when all succeed.
  for v_r in
    select u.stream, sum(u.cnt)::bigint as total
    from unnest(v_streams, v_counts) as u(stream, cnt) group by u.stream order by u.stream
  loop
    loop
      v_new := false;
      update {{schema}}.streams st set version = st.version + v_r.total, updated_at = now()
        where st.stream_id = v_r.stream returning st.version - v_r.total into v_before;
      exit when found;
      insert into {{schema}}.streams (stream_id, version) values (v_r.stream, v_r.total) on conflict do nothing;
      if found then
        v_before := 0;
        v_new := true;
        exit;
      end if;
      -- Another transaction created the row meanwhile: update it.
    end loop;
    v_locked := v_locked || v_r.stream;
    v_prev := v_prev || v_before;
    v_bump := v_bump || v_r.total;
    v_run := v_run || v_before;
    v_created := v_created || v_new;
  end loop;

  -- 2. Under the stream locks, an append of the same stream has either committed or not started.
  if p_check_ids then
    select count(*) into v_existing from {{schema}}.events e where e.id = any(v_ids);
  end if;

  -- 3. Each append in order: ids, then the expected version against the running version of its stream.
  for i in 1 .. v_n loop
    v_cnt := v_counts[i];
    v_first[i] := v_offset + 1;
    v_k := array_position(v_locked, v_streams[i]);
    v_found := 0;
    if v_existing > 0 or (v_expected[i] is not null and v_expected[i] <> v_run[v_k]) then
      select count(*), string_agg(e.id::text, ', ' order by e.id), min(e.stream_id) filter (where e.stream_id <> v_streams[i]),
             max(e.stream_version), max(e.global_position)
        into v_found, v_found_ids, v_other_stream, v_max_version, v_max_position
        from {{schema}}.events e where e.id = any(v_ids[v_offset + 1 : v_offset + v_cnt]);
    end if;
    if v_found > 0 and v_found < v_cnt then
      v_outcome[i] := 'ids';
      v_info[i] := v_found_ids;
      v_detail[i] := format('but %s of the batch are not', v_cnt - v_found);
    elsif v_found > 0 and v_other_stream is not null then
      v_outcome[i] := 'ids';
      v_info[i] := v_found_ids;
      v_detail[i] := format('in stream %s', v_other_stream);
    elsif v_found > 0 then
      v_outcome[i] := 'duplicate';
      v_version[i] := v_max_version;
      v_position[i] := v_max_position;
    elsif v_expected[i] is not null and v_expected[i] <> v_run[v_k] then
      v_outcome[i] := 'version';
      v_info[i] := v_run[v_k]::text;
    else
      v_outcome[i] := 'ok';
      v_base[i] := v_run[v_k];
      v_run[v_k] := v_run[v_k] + v_cnt;
      v_version[i] := v_run[v_k];
    end if;
    v_offset := v_offset + v_cnt;
  end loop;

  -- 4. Give back the bump of appends that were not written (rare); drop rows created for nothing.
  for v_k in 1 .. coalesce(cardinality(v_locked), 0) loop
    if v_run[v_k] <> v_prev[v_k] + v_bump[v_k] then
      if v_created[v_k] and v_run[v_k] = 0 then
        delete from {{schema}}.streams st where st.stream_id = v_locked[v_k];
      else
        update {{schema}}.streams st set version = v_run[v_k] where st.stream_id = v_locked[v_k];
      end if;
    end if;
  end loop;

  -- 5. Insert the events of every written append in one statement; positions follow the batch order.
  if v_run <> v_prev then
    with inserted as (
      insert into {{schema}}.events (id, stream_id, stream_version, type, schema_version, data,
                               correlation_id, causation_id, actor_user_id, actor_role, traceparent, tracestate)
      select ev.id, v_streams[ev.a], v_base[ev.a] + (ev.n - v_first[ev.a]) + 1, ev.t, ev.v, ev.d::json,
             ev.c, ev.k, ev.u, ev.r, ev.tp, ev.ts
      from unnest(v_ids, string_to_array(p_appends, ',')::integer[], string_to_array(p_types, chr(31)),
                  string_to_array(p_schema_versions, ',')::integer[], string_to_array(p_data, chr(31)),
                  string_to_array(p_correlation_ids, chr(31)), string_to_array(p_causation_ids, chr(31)),
                  string_to_array(p_user_ids, chr(31)), string_to_array(p_roles, chr(31)),
                  string_to_array(p_traceparents, chr(31), ''), string_to_array(p_tracestates, chr(31), ''))
           with ordinality as ev(id, a, t, v, d, c, k, u, r, tp, ts, n)
      where v_base[ev.a] >= 0
      order by ev.n
      returning events.stream_id, events.stream_version, events.global_position
    )
    select array_agg(m.i order by m.i), array_agg(ins.global_position order by m.i)
      into v_acc_idx, v_acc_pos
      from inserted ins
      join unnest(v_streams, v_version, v_outcome) with ordinality as m(stream, version, outcome, i)
        on m.outcome = 'ok' and ins.stream_id = m.stream and ins.stream_version = m.version;
    for j in 1 .. cardinality(v_acc_idx) loop
      v_position[v_acc_idx[j]] := v_acc_pos[j];
    end loop;
  end if;

  return query
    select v_outcome[g.i], v_version[g.i], v_position[g.i], v_info[g.i], v_detail[g.i]
    from generate_subscripts(v_outcome, 1) as g(i) order by g.i;
end $$;
