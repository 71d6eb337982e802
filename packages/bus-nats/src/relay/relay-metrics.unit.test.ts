import type { RecordedEvent } from "@dubstage/event-log";
import { describe, expect, it } from "vitest";
import { createRelayMetrics } from "./relay-metrics.ts";

const at = (ms: number) => ({ recordedAt: new Date(ms) }) as RecordedEvent;

describe("relay metrics", () => {
  it("computes throughput over the acknowledgement span and lag percentiles", () => {
    const m = createRelayMetrics();
    expect(m.summary()).toEqual({ events: 0, eventsPerSecond: 0, lagMs: { p50: 0, p99: 0, max: 0 } });
    // 100 events acked over 1 s, lag 1..100 ms.
    for (let i = 1; i <= 100; i++)
      m.onPublished(at(10_000 + i * 10 - i), { streamSequence: i, ackedAt: 10_000 + i * 10, duplicate: false });
    const s = m.summary();
    expect(s.events).toBe(100);
    expect(s.eventsPerSecond).toBeCloseTo(100 / 0.99, 5);
    expect(s.lagMs).toEqual({ p50: 50, p99: 99, max: 100 });
    m.reset();
    expect(m.summary().events).toBe(0);
  });
});
