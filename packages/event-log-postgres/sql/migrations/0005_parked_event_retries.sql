-- name: parked event retries
-- An operator asks for parked events to be retried (PostgresEventLog.retryParkedEvents); the consumer's
-- running subscription finds the request on its next idle poll and delivers them again.
alter table {{schema}}.parked_events add column retry_requested_at timestamptz;
create index parked_events_retry on {{schema}}.parked_events (consumer, global_position) where retry_requested_at is not null;
