import { randomUUID } from "node:crypto";
import { requireEnv } from "@dubstage/testing";
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
});
