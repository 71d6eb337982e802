import { randomUUID } from "node:crypto";
import { requireEnv } from "@dubstage/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { afterEach, describe, expect, it } from "vitest";
import { createRelayTestBed, eventually, type RelayTestBed } from "../testing/relay-test-bed.ts";
import type { RelayAck } from "./relay-options.ts";

let bed: RelayTestBed | undefined;
afterEach(async () => {
  await bed?.close();
  bed = undefined;
});

async function newBed(): Promise<RelayTestBed> {
  bed = await createRelayTestBed({ databaseUrl: requireEnv("DATABASE_URL"), natsUrl: requireEnv("NATS_URL") });
  return bed;
}

describe("relay", () => {
  it("publishes every committed session event in global order with its headers, and checkpoints acked positions", async () => {
    const b = await newBed();
    const s1 = randomUUID();
    const s2 = randomUUID();
    await b.append(s1, 5, "TrackAdded");
    await b.eventLog.append(
      "library-files",
      [
        {
          id: randomUUID(),
          type: "FileIndexed",
          data: {},
          metadata: { correlationId: "c", causationId: "c", actor: { userId: "u", role: "system" } },
        },
      ],
      {
        expectedVersion: "any",
      },
    );
    const last = await b.append(s2, 5, "ClipAdded");
    const acks: { position: number; ack: RelayAck }[] = [];
    const relay = b.newRelay({ onPublished: (event, ack) => acks.push({ position: event.globalPosition, ack }) });
    relay.start();
    await relay.waitUntilRelayed(last.lastGlobalPosition);
    await relay.stop();

    const messages = await b.streamMessages();
    expect(messages).toHaveLength(10); // the library stream is not a session: skipped
    const positions = messages.map((m) => m.globalPosition!);
    expect([...positions].sort((x, y) => x - y)).toEqual(positions);
    expect(acks.map((a) => a.position)).toEqual(positions);
    expect(acks.map((a) => a.ack.streamSequence)).toEqual(messages.map((m) => m.seq));
    expect(acks.every((a) => !a.ack.duplicate && a.ack.ackedAt > 0)).toBe(true);
    const all = await b.eventLog.readAll({});
    expect(messages.map((m) => m.msgId)).toEqual(all.filter((e) => e.streamId.startsWith("session-")).map((e) => e.id));
    expect(await b.storedCheckpoint()).toBe(last.lastGlobalPosition);
    expect(relay.stats()).toMatchObject({
      role: "stopped",
      published: 10,
      duplicates: 0,
      ackedPosition: last.lastGlobalPosition,
      checkpointPosition: last.lastGlobalPosition,
    });
  });

  it("wakes on appends and keeps relaying live events", async () => {
    const b = await newBed();
    const relay = b.newRelay({ idlePollMs: 60_000 }); // only notifications can wake it in time
    relay.start();
    await eventually("leadership", () => relay.role === "leader");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await b.append(randomUUID(), 3);
    // Usually milliseconds; other suites' open transactions on the server can delay visibility.
    await relay.waitUntilRelayed(result.lastGlobalPosition, 40_000);
    expect(relay.stats().published).toBe(3);
    expect((await b.streamMessages()).length).toBe(3);
  });

  it("resumes after the stream's last message when it is ahead of the checkpoint", async () => {
    const b = await newBed();
    const first = await b.append(randomUUID(), 20);
    // A relay that never writes its checkpoint: the stream tail is the only record of its progress.
    const forgetful = b.newRelay({ checkpoints: { load: async () => undefined, save: async () => {} } });
    forgetful.start();
    await forgetful.waitUntilRelayed(first.lastGlobalPosition);
    await forgetful.stop();
    expect(await b.storedCheckpoint()).toBeUndefined();

    const second = await b.append(randomUUID(), 10);
    const relay = b.newRelay();
    relay.start();
    await relay.waitUntilRelayed(second.lastGlobalPosition);
    await relay.stop();
    const messages = await b.streamMessages();
    expect(messages).toHaveLength(30);
    expect(new Set(messages.map((m) => m.msgId)).size).toBe(30);
    expect(relay.stats().duplicates).toBe(0);
    expect(relay.stats().published).toBe(10);
  });

  it("in atomic batches: every event once, in order, with its own sequence, across non-session events and a restart", async () => {
    const b = await newBed();
    const other = async () =>
      await b.eventLog.append(
        "library-files",
        [
          {
            id: randomUUID(),
            type: "FileIndexed",
            data: {},
            metadata: { correlationId: "c", causationId: "c", actor: { userId: "u", role: "system" } },
          },
        ],
        { expectedVersion: "any" },
      );
    const sessions = Array.from({ length: 4 }, () => randomUUID());
    for (let i = 0; i < 12; i++) {
      await b.append(sessions[i % 4]!, 50);
      if (i % 5 === 0) await other(); // breaks a run of session events: the batch ends before it
    }
    const acks: RelayAck[] = [];
    const first = b.newRelay({ atomicBatchSize: 64, maxInFlight: 200, onPublished: (_e, ack) => acks.push(ack) });
    first.start();
    await eventually("600 events relayed", () => first.stats().published === 600);
    await first.stop();
    for (let i = 0; i < 4; i++) await b.append(sessions[i]!, 25);
    const second = b.newRelay({ atomicBatchSize: 64, onPublished: (_e, ack) => acks.push(ack) });
    second.start();
    await eventually("100 more relayed", () => second.stats().published === 100);
    await second.waitUntilCaughtUp();
    await second.stop();

    const messages = await b.streamMessages();
    const all = (await b.eventLog.readAll({ maxCount: 10_000 })).filter((e) => e.streamId.startsWith("session-"));
    expect(messages.map((m) => m.msgId)).toEqual(all.map((e) => e.id));
    expect(acks.map((a) => a.streamSequence)).toEqual(messages.map((m) => m.seq));
    expect(acks.map((a) => a.streamSequence)).toEqual(Array.from({ length: 700 }, (_, i) => i + 1));
    expect((await (await jetstreamManager(b.nats)).streams.info(b.stream.name)).config.allow_atomic).toBe(true);
  });

  it("in atomic batches, republished events inside the duplicate window are dropped and the relay moves on", async () => {
    const b = await newBed();
    const first = await b.append(randomUUID(), 300);
    // A relay whose checkpoint stays at 0 and a stream purged after it published: the tail is unreadable,
    // so the next relay starts over from the checkpoint and republishes 300 events JetStream still knows.
    const noCheckpoint = { load: async () => undefined, save: async () => {} };
    const firstRelay = b.newRelay({ atomicBatchSize: 100, checkpoints: noCheckpoint });
    firstRelay.start();
    await firstRelay.waitUntilRelayed(first.lastGlobalPosition);
    await firstRelay.stop();
    await (await jetstreamManager(b.nats)).streams.purge(b.stream.name);

    const errors: unknown[] = [];
    const relay = b.newRelay({ atomicBatchSize: 100, checkpoints: noCheckpoint, onError: (e) => errors.push(e) });
    relay.start();
    await relay.waitUntilRelayed(first.lastGlobalPosition, 20_000);
    const second = await b.append(randomUUID(), 10);
    await relay.waitUntilRelayed(second.lastGlobalPosition, 20_000);
    await relay.stop();
    const messages = await b.streamMessages();
    expect(messages.map((m) => m.globalPosition)).toEqual(
      (await b.eventLog.readAll({ after: first.lastGlobalPosition })).map((e) => e.globalPosition),
    );
    expect(relay.stats().duplicates).toBe(300);
    expect(String(errors[0])).toContain("duplicate message id"); // the first batch was rejected whole
    expect(relay.stats().recoveries).toBeLessThanOrEqual(2);
  });
});
