import {
  type AppendResult,
  describeExpected,
  EventIdConflictError,
  type ExpectedVersion,
  type NewEvent,
  StreamVersionConflictError,
} from "@dubstage/event-log";
import { type Kysely, sql } from "kysely";
import { sqlState, translateError } from "../pg-errors.ts";

/**
 * Appends a validated batch in ONE statement (one round trip, its own durable transaction): the
 * `append_events` function locks the stream row, checks ids and version, and inserts every event.
 */
export async function appendEvents(
  db: Kysely<unknown>,
  schema: string,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedVersion,
): Promise<AppendResult> {
  const payload = JSON.stringify(
    events.map((e) => ({
      id: e.id,
      type: e.type,
      schemaVersion: e.schemaVersion ?? 1,
      data: e.data,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
      actorUserId: e.metadata.actor.userId,
      actorRole: e.metadata.actor.role,
      traceparent: e.metadata.trace?.traceparent ?? null,
      tracestate: e.metadata.trace?.tracestate ?? null,
    })),
  );
  // null = any; 0 = no events yet (no-stream or exact 0); n = exactly n.
  const expectedParam = expected === "any" ? null : expected === "no-stream" ? 0 : expected.exact;
  try {
    const { rows } = await sql<{ stream_version: string | number; last_global_position: string | number; duplicate: boolean }>`
      select stream_version, last_global_position, duplicate
      from ${sql.raw(schema)}.append_events(${streamId}, ${expectedParam}::bigint, ${payload}::jsonb)`.execute(db);
    const row = rows[0];
    if (!row) throw new Error(`append_events returned no row for stream ${streamId}`);
    return {
      streamId,
      streamVersion: Number(row.stream_version),
      lastGlobalPosition: Number(row.last_global_position),
      duplicate: row.duplicate,
    };
  } catch (error) {
    const state = sqlState(error);
    const message = (error as Error).message;
    if (state === "DS001") {
      const actual = Number(message);
      throw new StreamVersionConflictError(streamId, describeExpected(expected), actual === 0 ? "no-stream" : actual);
    }
    if (state === "DS002") throw new EventIdConflictError(streamId, message.split(", "), (error as { detail?: string }).detail ?? "");
    // A concurrent append to ANOTHER stream committed one of these ids between our check and our insert.
    if (state === "23505" && (error as { constraint?: string }).constraint === "events_id_unique") {
      throw new EventIdConflictError(
        streamId,
        [String((error as { detail?: string }).detail ?? "")],
        "(written concurrently to another stream)",
      );
    }
    throw translateError(error, `append to ${streamId}`);
  }
}
