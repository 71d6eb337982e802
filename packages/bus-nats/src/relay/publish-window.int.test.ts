import { randomBytes } from "node:crypto";
import { requireEnv } from "@dubstage/testing";
import { JetStreamApiError, jetstreamManager } from "@nats-io/jetstream";
import { headers, type NatsConnection } from "@nats-io/transport-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNats } from "../connect.ts";
import { ensureSessionEventStream } from "../stream-config.ts";
import { PublishWindow, type WindowSlot } from "./publish-window.ts";

let nats: NatsConnection;
const created: string[] = [];
beforeAll(async () => {
  nats = await connectNats(requireEnv("NATS_URL"), "publish-window-test");
});
afterAll(async () => {
  const jsm = await jetstreamManager(nats);
  for (const name of created) await jsm.streams.delete(name).catch(() => {});
  await nats.close();
});

async function newStream() {
  const suffix = randomBytes(4).toString("hex");
  const stream = { name: `DUBSTAGE_WIN_${suffix.toUpperCase()}`, subjectPrefix: `win${suffix}.session` };
  created.push(stream.name);
  await ensureSessionEventStream(await jetstreamManager(nats), stream);
  return stream;
}

function expecting(stream: string, lastSequence: number, msgId: string) {
  const h = headers();
  h.append("Nats-Msg-Id", msgId);
  h.append("Nats-Expected-Stream", stream);
  h.append("Nats-Expected-Last-Sequence", String(lastSequence));
  return h;
}

async function takeAll<T>(window: PublishWindow<T>): Promise<WindowSlot<T>[]> {
  const slots: WindowSlot<T>[] = [];
  while (window.size > 0) {
    await window.waitForHead();
    for (let slot = window.take(); slot; slot = window.take()) slots.push(slot);
  }
  return slots;
}

describe("PublishWindow", () => {
  it("returns every ack in publish order, passed-over slots in their place, duplicates flagged", async () => {
    const { name, subjectPrefix } = await newStream();
    const window = new PublishWindow<string>(nats, { stream: name, timeoutMs: 5000 });
    const body = new TextEncoder().encode("{}");
    for (let i = 0; i < 2000; i++) {
      if (i === 10) window.passOver("skipped");
      window.publish(`m${i}`, `${subjectPrefix}.s.T`, body, expecting(name, i, `id-${i}`));
    }
    const slots = await takeAll(window);
    expect(slots.map((s) => s.item)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `m${i}`),
      "skipped",
      ...Array.from({ length: 1990 }, (_, i) => `m${i + 10}`),
    ]);
    const acks = slots.filter((s) => s.item !== "skipped").map((s) => s.outcome);
    expect(acks.map((o) => (o?.ok ? o.seq : -1))).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    expect(slots[10]?.outcome).toMatchObject({ ok: true, seq: 0 });

    // Same id again, expecting the current tail: JetStream answers with the original sequence, as a duplicate.
    window.publish("again", `${subjectPrefix}.s.T`, body, expecting(name, 2000, "id-1999"));
    const [again] = await takeAll(window);
    expect(again?.outcome).toMatchObject({ ok: true, seq: 2000, duplicate: true });
    window.close();
  });

  it("reports a wrong expected sequence as JetStream's error, and a missing stream as no responders", async () => {
    const { name, subjectPrefix } = await newStream();
    const window = new PublishWindow<number>(nats, { stream: name, timeoutMs: 5000 });
    const body = new TextEncoder().encode("{}");
    window.publish(1, `${subjectPrefix}.s.T`, body, expecting(name, 0, "a"));
    window.publish(2, `${subjectPrefix}.s.T`, body, expecting(name, 5, "b")); // the stream is at 1
    const [first, second] = await takeAll(window);
    expect(first?.outcome).toMatchObject({ ok: true, seq: 1 });
    const failed = second?.outcome;
    expect(failed?.ok).toBe(false);
    if (failed?.ok === false) {
      expect(failed.error).toBeInstanceOf(JetStreamApiError);
      expect(failed.error.message).toMatch(/wrong last sequence/);
    }

    window.publish(3, `nostream${randomBytes(4).toString("hex")}.x`, body, expecting(name, 1, "c"));
    const [orphan] = await takeAll(window);
    expect(orphan?.outcome?.ok === false && orphan.outcome.error.message).toMatch(/no responders/);
    window.close();
  });

  it("times a publish out at its deadline when no ack comes", async () => {
    const { name } = await newStream();
    const window = new PublishWindow<number>(nats, { stream: name, timeoutMs: 300 });
    // A plain subscriber that never answers stands in for a JetStream that does not acknowledge.
    const silent = nats.subscribe(`silent${randomBytes(4).toString("hex")}.>`);
    const subject = `${silent.getSubject().slice(0, -2)}.x`;
    await nats.flush();
    const started = Date.now();
    window.publish(1, subject, new Uint8Array(), expecting(name, 0, "t"));
    const [slot] = await takeAll(window);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(slot?.outcome?.ok === false && slot.outcome.error.message).toMatch(/did not acknowledge .* within 300 ms/);
    silent.unsubscribe();
    window.close();
  });
});
