import {
  type AppendResult,
  describeExpected,
  EventIdConflictError,
  type ExpectedVersion,
  type NewEvent,
  StreamVersionConflictError,
} from "@dubstage/event-log";
import { type Kysely, sql } from "kysely";
import type { RowReader } from "../rows.ts";

/** One validated append waiting to be written. */
export interface AppendRequest {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  /** Each event's data as JSON text (from validateAppend), in event order. */
  readonly payloads: readonly string[];
  readonly expected: ExpectedVersion;
}

/** What became of one append of a batch: its result, or the typed error that append alone gets. */
export type AppendOutcome = { readonly ok: true; readonly result: AppendResult } | { readonly ok: false; readonly error: Error };

/** A row of append_batch: outcome, stream_version, last_global_position, info, detail. */
type OutcomeRow = readonly unknown[];

// Text fields are joined with U+001F: validation keeps control characters out of stream ids, ids, types
// and metadata, and JSON.stringify escapes every control character inside a payload.
const US = "\u001f";

/**
 * Writes several appends with ONE call of `append_batch`: one statement, one round trip, one durable
 * transaction. Each append is applied in order and all-or-nothing; version and id conflicts come back per
 * append (nothing written for it, the others unaffected). Throws only when the whole call failed (then
 * nothing was written, or, if the connection dropped during the commit, possibly everything). With
 * `checkIds` every id is looked up first; without, a resend makes the call fail with a unique violation.
 */
export async function appendBatch(
  db: Kysely<unknown>,
  readRows: RowReader,
  schema: string,
  appends: readonly AppendRequest[],
  checkIds: boolean,
): Promise<AppendOutcome[]> {
  const streams: string[] = [];
  const expected: string[] = [];
  const counts: number[] = [];
  const ids: string[] = [];
  const appendIndexes: number[] = [];
  const types: string[] = [];
  const schemaVersions: number[] = [];
  const data: string[] = [];
  const correlationIds: string[] = [];
  const causationIds: string[] = [];
  const userIds: string[] = [];
  const roles: string[] = [];
  const traceparents: string[] = [];
  const tracestates: string[] = [];
  appends.forEach((append, index) => {
    streams.push(append.streamId);
    // '' = any; 0 = no events yet (no-stream or exact 0); n = exactly n.
    expected.push(append.expected === "any" ? "" : append.expected === "no-stream" ? "0" : String(append.expected.exact));
    counts.push(append.events.length);
    append.events.forEach((e, j) => {
      ids.push(e.id);
      appendIndexes.push(index + 1);
      types.push(e.type);
      schemaVersions.push(e.schemaVersion ?? 1);
      data.push(append.payloads[j] as string);
      correlationIds.push(e.metadata.correlationId);
      causationIds.push(e.metadata.causationId);
      userIds.push(e.metadata.actor.userId);
      roles.push(e.metadata.actor.role);
      traceparents.push(e.metadata.trace?.traceparent ?? "");
      tracestates.push(e.metadata.trace?.tracestate ?? "");
    });
  });
  const rows = await readRows(
    sql`
    select outcome, stream_version::float8, last_global_position::float8, info, detail
    from ${sql.raw(schema)}.append_batch(
      ${streams.join(US)}, ${expected.join(",")}, ${counts.join(",")}, ${checkIds},
      ${ids.join(",")}, ${appendIndexes.join(",")}, ${types.join(US)}, ${schemaVersions.join(",")}, ${data.join(US)},
      ${correlationIds.join(US)}, ${causationIds.join(US)}, ${userIds.join(US)}, ${roles.join(US)},
      ${traceparents.join(US)}, ${tracestates.join(US)})`.compile(db),
    // Prepared once per connection: the call is parsed and planned once, not per batch.
    `dubstage_append_batch_${schema}`,
  );
  if (rows.length !== appends.length) throw new Error(`append_batch returned ${rows.length} results for ${appends.length} appends`);
  return rows.map((row, index) => toOutcome(row, appends[index] as AppendRequest));
}

function toOutcome(row: OutcomeRow, append: AppendRequest): AppendOutcome {
  const { streamId } = append;
  const [outcome, streamVersion, lastGlobalPosition, info, detail] = row as [string, number, number, string | null, string | null];
  switch (outcome) {
    case "ok":
    case "duplicate":
      return {
        ok: true,
        result: {
          streamId,
          streamVersion: Number(streamVersion),
          lastGlobalPosition: Number(lastGlobalPosition),
          duplicate: outcome === "duplicate",
        },
      };
    case "version": {
      const actual = Number(info);
      return {
        ok: false,
        error: new StreamVersionConflictError(streamId, describeExpected(append.expected), actual === 0 ? "no-stream" : actual),
      };
    }
    case "ids":
      return { ok: false, error: new EventIdConflictError(streamId, (info ?? "").split(", "), detail ?? "") };
    default:
      throw new Error(`append_batch returned an unknown outcome ${JSON.stringify(outcome)} for stream ${streamId}`);
  }
}
