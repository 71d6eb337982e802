import type { RecordedEvent } from "@dubstage/event-log";
import type { RelayAck } from "./relay-options.ts";

export interface RelayMetricsSummary {
  readonly events: number;
  /** Acknowledged events per second between the first and the last acknowledgement. */
  readonly eventsPerSecond: number;
  /** Lag from `recordedAt` (the append's insert time, just before commit) to the JetStream ack, in ms. */
  readonly lagMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

/**
 * Collects relay throughput and commit→ack lag for benchmarks: pass `onPublished` to the relay's
 * options, then read `summary()`. Keeps one number per event.
 */
export function createRelayMetrics(): {
  onPublished: (event: RecordedEvent, ack: RelayAck) => void;
  summary(): RelayMetricsSummary;
  reset(): void;
} {
  let lags: number[] = [];
  let first = 0;
  let last = 0;
  return {
    onPublished(event, ack) {
      if (lags.length === 0) first = ack.ackedAt;
      last = ack.ackedAt;
      lags.push(ack.ackedAt - event.recordedAt.getTime());
    },
    summary() {
      const sorted = [...lags].sort((a, b) => a - b);
      const at = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
      const seconds = (last - first) / 1000;
      return {
        events: sorted.length,
        eventsPerSecond: seconds > 0 ? sorted.length / seconds : 0,
        lagMs: { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 },
      };
    },
    reset() {
      lags = [];
    },
  };
}
