import type { ParkedEvent } from "@dubstage/event-log";

/** One parked event as `dubstage events parked|retry-parked --json` print it. */
export interface ParkedEventView {
  readonly consumer: string;
  readonly globalPosition: number;
  readonly eventId: string;
  readonly attempts: number;
  readonly error: string;
  /** ISO 8601. */
  readonly parkedAt: string;
  /** ISO 8601, when a retry is asked for and not made yet; null otherwise. */
  readonly retryRequestedAt: string | null;
}

export function toParkedEventView(parked: ParkedEvent): ParkedEventView {
  return {
    consumer: parked.consumer,
    globalPosition: parked.globalPosition,
    eventId: parked.eventId,
    attempts: parked.attempts,
    error: parked.error,
    parkedAt: parked.parkedAt.toISOString(),
    retryRequestedAt: parked.retryRequestedAt?.toISOString() ?? null,
  };
}

export function formatParked(parked: readonly ParkedEventView[]): string {
  if (parked.length === 0) return "No parked events.";
  return parked
    .map(
      (p) =>
        `${p.consumer}  position ${p.globalPosition}  event ${p.eventId}  ${p.attempts} attempts  parked ${p.parkedAt}` +
        `${p.retryRequestedAt ? `  retry asked ${p.retryRequestedAt}` : ""}\n    ${p.error}`,
    )
    .join("\n");
}
