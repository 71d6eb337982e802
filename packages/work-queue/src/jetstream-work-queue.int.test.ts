import { requireEnv } from "@dubstage/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createJetStreamWorkQueue, jetStreamWorkQueueNames } from "./jetstream-work-queue.ts";
import { eventually, workQueueContract } from "./testing/work-queue-contract.ts";

let nats: NatsConnection;
beforeAll(async () => {
  nats = await connect({ servers: requireEnv("NATS_URL") });
});
afterAll(async () => {
  await nats?.close();
});

const suffix = `${process.pid}-${Date.now().toString(36)}`;
let n = 0;

async function removeQueue(name: string): Promise<void> {
  const jsm = await jetstreamManager(nats);
  const names = jetStreamWorkQueueNames(name);
  for (const stream of [names.stream, `KV_${names.bucket}`]) await jsm.streams.delete(stream).catch(() => {});
}

workQueueContract("NATS JetStream", () => ({
  newQueue: async () => createJetStreamWorkQueue<{ n: number }>({ nats, name: `t${++n}-${suffix}`, pollIntervalMs: 50 }),
  dispose: async (queue) => removeQueue(queue.name),
}));

describe("JetStream work queue specifics", () => {
  it("keeps jobs across queue handles: a job enqueued through one handle runs in a consumer of another", async () => {
    const name = `shared-${suffix}`;
    const producer = await createJetStreamWorkQueue<{ n: number }>({ nats, name });
    const worker = await createJetStreamWorkQueue<{ n: number }>({ nats, name, pollIntervalMs: 50 });
    try {
      await producer.enqueue({ id: "across", payload: { n: 42 } });
      expect(await worker.enqueue({ id: "across", payload: { n: 43 } })).toEqual({ enqueued: false, state: "pending" });
      const seen: number[] = [];
      await worker.consume(async (d) => {
        seen.push(d.payload.n);
      });
      await eventually("completed", async () => (await producer.job("across"))?.state === "completed");
      expect(seen).toEqual([42]);
    } finally {
      await producer.close();
      await worker.close();
      await removeQueue(name);
    }
  });

  it("acks a message that is not a job and keeps delivering", async () => {
    const name = `foreign-${suffix}`;
    const queue = await createJetStreamWorkQueue<{ n: number }>({ nats, name, pollIntervalMs: 50 });
    const errors: string[] = [];
    try {
      const { jetstream } = await import("@nats-io/jetstream");
      await jetstream(nats).publish(jetStreamWorkQueueNames(name).subject("normal"), "not json");
      await queue.enqueue({ id: "after", payload: { n: 1 } });
      await queue.consume(async () => {}, { onError: (e) => errors.push(String(e)) });
      await eventually("the job after it completes", async () => (await queue.job("after"))?.state === "completed");
      expect(errors.some((e) => e.includes("not a job"))).toBe(true);
      const info = await (await jetstreamManager(nats)).streams.info(jetStreamWorkQueueNames(name).stream);
      expect(info.state.messages).toBe(0);
    } finally {
      await queue.close();
      await removeQueue(name);
    }
  });
});
