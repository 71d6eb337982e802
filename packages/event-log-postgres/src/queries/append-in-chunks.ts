import { type AppendResult, EventIdConflictError } from "@dubstage/event-log";
import type { Kysely } from "kysely";
import { sqlState } from "../pg-errors.ts";
import { kyselyRowReader } from "../rows.ts";
import { type AppendRequest, appendBatch } from "./append-batch.ts";

/** How a large append is cut; see README, "Large appends". */
export interface ChunkLimits {
  /** Events per `append_batch` call. */
  readonly events: number;
  /** Payload characters (JSON text) per call. */
  readonly chars: number;
}

export const DEFAULT_CHUNK_LIMITS: ChunkLimits = { events: 4_000, chars: 8 * 1024 * 1024 };

/** True when an append is too large to share a combined batch: it is written alone, in chunks. */
export function needsChunks(request: AppendRequest, payloadChars: number, limits: ChunkLimits): boolean {
  return request.events.length > limits.events || payloadChars > limits.chars;
}

function* chunksOf(request: AppendRequest, limits: ChunkLimits): Generator<{ start: number; end: number }> {
  let start = 0;
  while (start < request.events.length) {
    let end = start;
    let chars = 0;
    // At least one event per chunk, however large its payload.
    while (
      end < request.events.length &&
      end - start < limits.events &&
      (end === start || chars + (request.payloads[end] as string).length <= limits.chars)
    ) {
      chars += (request.payloads[end] as string).length;
      end++;
    }
    yield { start, end };
    start = end;
  }
}

/**
 * Writes ONE append in ONE transaction as several `append_batch` calls of a bounded size, so neither the
 * statement nor its parameters grow with the append. The first call checks the expected version; each
 * later one expects exactly the version the previous left, which holds because the first call took the
 * stream's row lock for the whole transaction. Readers of `$all` see every event or none (one
 * transaction id). A resend (every id already in the log) returns the original result; an append of
 * which some chunks are in the log and some are not is an id conflict, and nothing is written.
 */
export async function appendInChunks(
  db: Kysely<unknown>,
  schema: string,
  request: AppendRequest,
  limits: ChunkLimits,
): Promise<AppendResult> {
  try {
    return await attempt(db, schema, request, limits, false);
  } catch (error) {
    // A resend without the id lookup fails on the unique id: repeat it looking ids up, chunk by chunk.
    if (sqlState(error) === "23505" && (error as { constraint?: string }).constraint === "events_id_unique") {
      return await attempt(db, schema, request, limits, true);
    }
    throw error;
  }
}

async function attempt(
  db: Kysely<unknown>,
  schema: string,
  request: AppendRequest,
  limits: ChunkLimits,
  checkIds: boolean,
): Promise<AppendResult> {
  return await db.transaction().execute(async (tx) => {
    const readRows = kyselyRowReader(tx);
    let expected = request.expected;
    let result: AppendResult | undefined;
    let chunks = 0;
    for (const { start, end } of chunksOf(request, limits)) {
      const chunk: AppendRequest = {
        streamId: request.streamId,
        events: request.events.slice(start, end),
        payloads: request.payloads.slice(start, end),
        expected,
      };
      const [outcome] = await appendBatch(tx, readRows, schema, [chunk], checkIds);
      if (!outcome) throw new Error(`append_batch returned no result for a chunk of ${request.streamId}`);
      if (!outcome.ok) throw outcome.error;
      if (result !== undefined && outcome.result.duplicate !== result.duplicate)
        throw partlyWritten(request, start, end, outcome.result.duplicate);
      result = {
        ...outcome.result,
        streamVersion: Math.max(outcome.result.streamVersion, result?.streamVersion ?? 0),
        lastGlobalPosition: Math.max(outcome.result.lastGlobalPosition, result?.lastGlobalPosition ?? 0),
      };
      // A resend's later chunks are duplicates too, whatever the stream's version is now.
      expected = result.duplicate ? "any" : { exact: result.streamVersion };
      chunks++;
    }
    if (result === undefined || chunks === 0) throw new Error(`append to ${request.streamId} had no events`);
    return result;
  });
}

/** Some chunks of the append are in the log and others are not: the append as a whole is a conflict. */
function partlyWritten(request: AppendRequest, start: number, end: number, chunkIsDuplicate: boolean): EventIdConflictError {
  const known = chunkIsDuplicate ? request.events.slice(start, end) : request.events.slice(0, start);
  // The first few ids name the problem; thousands would only bloat the message.
  const shown = known.slice(0, 10).map((e) => e.id.toLowerCase());
  const more = known.length > shown.length ? ` (and ${known.length - shown.length} more)` : "";
  return new EventIdConflictError(request.streamId, shown, `${more}, but ${request.events.length - known.length} of the append are not`);
}
