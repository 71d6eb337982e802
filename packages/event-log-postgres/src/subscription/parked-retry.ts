import type { RecordedEvent } from "@dubstage/event-log";
import type { Kysely } from "kysely";
import type { ParkedStore } from "./parked-store.ts";
import type { Failure } from "./poison-split.ts";

/** Looks for retry requests at most once per `intervalMs` (the subscription asks whenever it is caught up). */
export class RetryPacer {
  readonly #intervalMs: number;
  #lastAt = Number.NEGATIVE_INFINITY;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** True (and the time taken) when the last look is at least an interval ago. */
  due(now: number): boolean {
    if (now - this.#lastAt < this.#intervalMs) return false;
    this.#lastAt = now;
    return true;
  }
}

export interface ParkedRetryDeps {
  readonly db: Kysely<unknown>;
  readonly parked: ParkedStore;
  readonly readEventsAt: (positions: readonly number[]) => Promise<RecordedEvent[]>;
  /** Delivers the event in a transaction that also removes its parked row; returns the failure, if any. */
  readonly redeliver: (event: RecordedEvent, position: number) => Promise<Failure | undefined>;
  readonly isStopping: () => boolean;
}

/**
 * Delivers again the parked events whose retry was asked for (`retryParkedEvents`), oldest position
 * first. They come after events the consumer has already handled, so handlers must not assume order
 * for them. One that fails again stays parked with the new error and its attempts added up, its request
 * cleared (unless a newer one came meanwhile). Stopping leaves the remaining requests for the next run.
 */
export async function retryParkedEvents(deps: ParkedRetryDeps): Promise<void> {
  const requests = await deps.parked.retryRequests(deps.db);
  if (requests.length === 0) return;
  const events = new Map((await deps.readEventsAt(requests.map((r) => r.position))).map((e) => [e.globalPosition, e]));
  for (const request of requests) {
    if (deps.isStopping()) return;
    const event = events.get(request.position);
    const failed = event ? await deps.redeliver(event, request.position) : { attempts: 0, error: "the event is not in the log" };
    if (failed !== undefined) await deps.parked.retryFailed(deps.db, request, failed);
  }
}
