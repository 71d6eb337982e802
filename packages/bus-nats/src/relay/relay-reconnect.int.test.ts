import { randomUUID } from "node:crypto";
import { requireEnv, startDedicatedNats } from "@dubstage/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterEach, describe, expect, it } from "vitest";
import { createRelayTestBed, eventually, type RelayTestBed } from "../testing/relay-test-bed.ts";

// Drill: nats-server restarts under a busy relay that runs with its default publish timeout (5 s). The
// client reconnects within a fraction of a second; the relay must publish again right after, not once
// the acknowledgements it lost in the restart time out, and lose or repeat no event.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
});

async function readEverything(bed: RelayTestBed) {
  const out = [];
  let after: number | undefined;
  for (;;) {
    const batch = await bed.eventLog.readAll({ after, maxCount: 1000 });
    if (batch.length === 0) return out;
    out.push(...batch);
    after = batch.at(-1)!.globalPosition;
  }
}

describe("relay drill: nats-server restart", () => {
  it("publishes again within 1 s of the reconnection, every event once and in order", async () => {
    const nats = await startDedicatedNats();
    cleanups.push(() => nats.stop());
    const bed = await createRelayTestBed({ databaseUrl: requireEnv("DATABASE_URL"), natsUrl: nats.url });
    cleanups.push(() => bed.close());
    const ackTimes: number[] = [];
    const relay = bed.newRelay({ onPublished: (_event, ack) => ackTimes.push(ack.ackedAt) });
    relay.start();
    await bed.append(randomUUID(), 100);
    await eventually("the first 100 events in the stream", () => relay.stats().published >= 100);

    // Keep appending, so that publishes are in flight when the server goes away.
    let appending = true;
    const sessions = Array.from({ length: 8 }, () => randomUUID());
    const writers = Array.from({ length: 4 }, async (_, w) => {
      for (let i = 0; appending; i++) await bed.append(sessions[(w + i) % sessions.length]!, 20);
    });
    await eventually("live events to be relayed", () => relay.stats().published >= 1000, 30_000);

    const reconnected = new Promise<number>((resolve) => {
      void (async () => {
        for await (const status of bed.nats.status()) if (status.type === "reconnect") return resolve(Date.now());
      })();
    });
    await nats.halt();
    await nats.start();
    const reconnectedAt = await reconnected;
    await eventually("a publish acknowledged after the reconnection", () => (ackTimes.at(-1) ?? 0) >= reconnectedAt, 15_000);
    const firstAckAfter = ackTimes.find((at) => at >= reconnectedAt)!;
    const gapMs = firstAckAfter - reconnectedAt;
    console.log(`relay drill: first acknowledged publish ${gapMs} ms after the reconnection`);

    await new Promise((resolve) => setTimeout(resolve, 300));
    appending = false;
    await Promise.all(writers);
    const committed = await readEverything(bed);
    await eventually(
      `all ${committed.length} events in the stream`,
      async () => (await (await jetstreamManager(bed.nats)).streams.info(bed.stream.name)).state.messages >= committed.length,
      60_000,
    );
    await relay.waitUntilCaughtUp();
    await relay.stop();

    expect(gapMs).toBeLessThan(1000);
    expect(relay.stats().recoveries).toBeGreaterThan(0);
    const messages = await bed.streamMessages();
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(committed.length);
    expect(messages.map((m) => m.msgId)).toEqual(committed.map((e) => e.id));
  }, 120_000);
});
