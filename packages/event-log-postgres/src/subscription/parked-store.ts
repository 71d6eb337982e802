import type { RecordedEvent } from "@dubstage/event-log";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Failure } from "./poison-split.ts";

/** An error as stored with a parked event (bounded). */
export const errorText = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 10_000);

/** A parked event whose retry was asked for; `requested` is the request time as text (exact to the microsecond). */
export interface RetryRequest {
  readonly position: number;
  readonly requested: string;
}

/** The consumer's rows in `parked_events`: events its handler kept failing on. */
export class ParkedStore {
  readonly #table: ReturnType<typeof sql.table>;
  readonly #consumer: string;

  constructor(schema: string, consumer: string) {
    this.#table = sql.table(`${schema}.parked_events`);
    this.#consumer = consumer;
  }

  /** Parks `event` with its failure, in `tx` (which also stores the checkpoint past it). */
  async park(tx: Transaction<unknown>, event: RecordedEvent, failure: Failure): Promise<void> {
    await sql`
      insert into ${this.#table} (consumer, global_position, event_id, attempts, error)
      values (${this.#consumer}, ${event.globalPosition}::bigint, ${event.id}::uuid, ${failure.attempts}, ${errorText(failure.error)})
      on conflict (consumer, global_position) do update set attempts = excluded.attempts, error = excluded.error, parked_at = now()`.execute(
      tx,
    );
  }

  /** The retries asked for (`retryParkedEvents`), oldest position first. */
  async retryRequests(db: Kysely<unknown>): Promise<RetryRequest[]> {
    const { rows } = await sql<{ global_position: string | number; requested: string }>`
      select global_position, retry_requested_at::text as requested from ${this.#table}
      where consumer = ${this.#consumer} and retry_requested_at is not null order by global_position`.execute(db);
    return rows.map((r) => ({ position: Number(r.global_position), requested: r.requested }));
  }

  /** Removes the event from the parked ones, in the transaction of its successful retry. */
  async remove(tx: Transaction<unknown>, position: number): Promise<void> {
    await sql`delete from ${this.#table} where consumer = ${this.#consumer} and global_position = ${position}::bigint`.execute(tx);
  }

  /** A retry failed again: its attempts add up, the error is the new one, and this request is cleared. */
  async retryFailed(db: Kysely<unknown>, request: RetryRequest, failure: Failure): Promise<void> {
    await sql`
      update ${this.#table} set attempts = attempts + ${failure.attempts}, error = ${errorText(failure.error)}, parked_at = now(),
        retry_requested_at = case when retry_requested_at = ${request.requested}::timestamptz then null else retry_requested_at end
      where consumer = ${this.#consumer} and global_position = ${request.position}::bigint`.execute(db);
  }
}
