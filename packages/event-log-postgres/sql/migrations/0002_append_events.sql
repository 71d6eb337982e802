-- name: append function
-- One round trip per append: lock the stream row, check ids and version, insert all rows, bump the
-- stream. Errors use custom SQLSTATEs (class DS) that the client maps to typed errors.
-- (Dropped by migration 4.)
create function {{schema}}.append_events(p_stream_id text, p_expected bigint, p_events jsonb)
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
  insert into {{schema}}.streams as st (stream_id, version) values (p_stream_id, 0)
    on conflict (stream_id) do update set version = st.version
    returning st.version into v_current;

  select count(*), string_agg(e.id::text, ', ' order by e.id), min(e.stream_id) filter (where e.stream_id <> p_stream_id)
    into v_existing, v_existing_ids, v_other_stream
    from {{schema}}.events e
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
      from {{schema}}.events e
      where e.id in (select (x ->> 'id')::uuid from jsonb_array_elements(p_events) x);
    return;
  end if;

  -- p_expected: null = any, 0 = no events yet, n = exactly n.
  if p_expected is not null and p_expected <> v_current then
    raise exception using errcode = 'DS001', message = v_current::text;
  end if;

  return query
  with inserted as (
    insert into {{schema}}.events (id, stream_id, stream_version, type, schema_version, data,
                             correlation_id, causation_id, actor_user_id, actor_role, traceparent, tracestate)
    select (x ->> 'id')::uuid, p_stream_id, v_current + n, x ->> 'type', (x ->> 'schemaVersion')::integer, x -> 'data',
           x ->> 'correlationId', x ->> 'causationId', x ->> 'actorUserId', x ->> 'actorRole', x ->> 'traceparent', x ->> 'tracestate'
    from jsonb_array_elements(p_events) with ordinality as t(x, n)
    order by n
    returning global_position
  ), bumped as (
    update {{schema}}.streams set version = v_current + v_count, updated_at = now() where stream_id = p_stream_id
  )
  select v_current + v_count, (select max(global_position) from inserted), false;
end $$;
