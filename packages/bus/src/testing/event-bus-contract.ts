import { randomUUID } from "node:crypto";
import type { NewEvent, RecordedEvent } from "@dubstage/event-log";
import { isErrorKind } from "@dubstage/event-log";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BusDelivery, BusHandler, BusSubscribeOptions, BusSubscription, EventBus } from "../types.ts";

/** What a bus implementation hands the contract suite. */
export interface EventBusContractSubject {
  readonly bus: EventBus;
  /**
   * Appends to the stream `session-<sessionId>` and resolves, with the recorded events, once the bus
   * can deliver them (for JetStream: once the relay's publishes were acknowledged).
   */
  append(sessionId: string, events: readonly NewEvent[]): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export interface EventBusContractOptions {
  /** How long to wait for expected deliveries. @default 10000 */
  readonly waitMs?: number;
}

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

function event(type: string, n: number, overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { n, label: `event ${n}` },
    metadata: { correlationId: `corr-${n}`, causationId: `cause-${n}`, actor: { userId: "contract-user", role: "dialogue_editor" } },
    ...overrides,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A subscription that records what it received; `handle` may throw to refuse a delivery. */
interface Recorder {
  readonly deliveries: BusDelivery[];
  readonly acked: BusDelivery[];
  readonly subscription: BusSubscription;
  waitForAcked(count: number): Promise<void>;
}

/**
 * The behaviour every EventBus must have. Each test uses fresh session ids and event type names, so a
 * subject may share its storage (log, stream) between tests and with other suites.
 */
export function eventBusContract(
  name: string,
  factory: () => Promise<EventBusContractSubject>,
  options: EventBusContractOptions = {},
): void {
  const waitMs = options.waitMs ?? 10_000;

  describe(`EventBus contract: ${name}`, () => {
    let subject: EventBusContractSubject;
    beforeAll(async () => {
      subject = await factory();
    });
    afterAll(async () => {
      await subject?.close();
    });

    async function record(subscribeOptions: BusSubscribeOptions, refuse: (d: BusDelivery) => boolean = () => false): Promise<Recorder> {
      const deliveries: BusDelivery[] = [];
      const acked: BusDelivery[] = [];
      const handler: BusHandler = async (d) => {
        deliveries.push(d);
        if (refuse(d)) throw new Error(`refused ${d.event.id} (delivery ${d.deliveryCount})`);
        acked.push(d);
      };
      const subscription = await subject.bus.subscribe(subscribeOptions, handler);
      return {
        deliveries,
        acked,
        subscription,
        async waitForAcked(count) {
          const deadline = Date.now() + waitMs;
          while (acked.length < count) {
            if (Date.now() > deadline)
              throw new Error(`expected ${count} acknowledged deliveries within ${waitMs} ms, got ${acked.length}`);
            await sleep(10);
          }
        },
      };
    }

    /** Waits a little to show that nothing more arrives. */
    async function settle(): Promise<void> {
      await sleep(300);
    }

    it("delivers a session's committed events in order with their envelope and trace context", async () => {
      const session = randomUUID();
      const other = randomUUID();
      const traced = event("TrackAdded", 1, {
        metadata: {
          correlationId: "corr-t",
          causationId: "cause-t",
          actor: { userId: "u-7", role: "sound_effects_editor" },
          trace: { traceparent: TRACEPARENT, tracestate: "dubstage=1" },
        },
      });
      const recorded = await subject.append(session, [traced, event("ClipAdded", 2), event("ClipMoved", 3)]);
      await subject.append(other, [event("TrackAdded", 1)]);
      const r = await record({ sessionIds: [session] });
      await r.waitForAcked(3);
      await settle();
      await r.subscription.stop();

      expect(r.acked.map((d) => d.event.id)).toEqual(recorded.map((e) => e.id));
      expect(r.acked.map((d) => d.event.streamVersion)).toEqual([1, 2, 3]);
      expect(r.acked.every((d) => d.sessionId === session && d.deliveryCount === 1)).toBe(true);
      const sequences = r.acked.map((d) => d.sequence);
      expect([...sequences].sort((a, b) => a - b)).toEqual(sequences);
      expect(new Set(sequences).size).toBe(3);

      const first = r.acked[0]!;
      const original = recorded[0]!;
      expect(first.event).toMatchObject({
        id: original.id,
        type: "TrackAdded",
        schemaVersion: original.schemaVersion,
        streamId: `session-${session}`,
        streamVersion: 1,
        globalPosition: original.globalPosition,
        correlationId: "corr-t",
        causationId: "cause-t",
        actor: { userId: "u-7", role: "sound_effects_editor" },
        data: { n: 1, label: "event 1" },
      });
      expect(first.event.recordedAt.getTime()).toBe(original.recordedAt.getTime());
      expect(first.trace).toEqual({ traceparent: TRACEPARENT, tracestate: "dubstage=1" });
      expect(first.event.trace).toEqual({ traceparent: TRACEPARENT, tracestate: "dubstage=1" });
      expect(r.acked[1]!.trace).toBeUndefined();
    });

    it("filters by event type, alone and together with sessions", async () => {
      const a = randomUUID();
      const b = randomUUID();
      const probe = `ContractProbe${randomUUID().replaceAll("-", "")}`;
      await subject.append(a, [event(probe, 1), event("ClipAdded", 2), event(probe, 3)]);
      await subject.append(b, [event(probe, 4), event("ClipAdded", 5)]);

      const byType = await record({ eventTypes: [probe] });
      const byBoth = await record({ sessionIds: [a], eventTypes: [probe, "ClipAdded"] });
      await byType.waitForAcked(3);
      await byBoth.waitForAcked(3);
      await settle();
      await Promise.all([byType.subscription.stop(), byBoth.subscription.stop()]);

      expect(byType.acked.map((d) => (d.event.data as { n: number }).n)).toEqual([1, 3, 4]);
      expect(byType.acked.every((d) => d.event.type === probe)).toBe(true);
      expect(byBoth.acked.map((d) => (d.event.data as { n: number }).n)).toEqual([1, 2, 3]);
    });

    it("starts from new events only, from a sequence, or from a time", async () => {
      const session = randomUUID();
      await subject.append(session, [event("ClipAdded", 1), event("ClipAdded", 2), event("ClipAdded", 3)]);

      const all = await record({ sessionIds: [session] });
      await all.waitForAcked(3);
      await all.subscription.stop();
      const third = all.acked[2]!;

      const fromNew = await record({ sessionIds: [session], deliverFrom: { from: "new" } });
      const fromSequence = await record({ sessionIds: [session], deliverFrom: { from: "sequence", sequence: third.sequence } });
      await sleep(150);
      const boundary = new Date();
      await sleep(150);
      await subject.append(session, [event("ClipAdded", 4), event("ClipAdded", 5)]);
      const fromTime = await record({ sessionIds: [session], deliverFrom: { from: "time", time: boundary } });

      await Promise.all([fromNew.waitForAcked(2), fromSequence.waitForAcked(3), fromTime.waitForAcked(2)]);
      await settle();
      await Promise.all([fromNew.subscription.stop(), fromSequence.subscription.stop(), fromTime.subscription.stop()]);
      const ns = (r: Recorder) => r.acked.map((d) => (d.event.data as { n: number }).n);
      expect(ns(fromNew)).toEqual([4, 5]);
      expect(ns(fromSequence)).toEqual([3, 4, 5]);
      expect(ns(fromTime)).toEqual([4, 5]);
    });

    it("resumes a durable after its last acknowledged event, and restarts it after deleteDurable", async () => {
      const session = randomUUID();
      const durableName = `contract-${randomUUID().slice(0, 8)}`;
      await subject.append(session, [event("ClipAdded", 1), event("ClipAdded", 2), event("ClipAdded", 3)]);
      const first = await record({ durableName, sessionIds: [session] });
      await first.waitForAcked(3);
      await first.subscription.stop();
      expect(first.subscription.durableName).toBe(durableName);

      await subject.append(session, [event("ClipAdded", 4), event("ClipAdded", 5)]);
      // deliverFrom is ignored for a durable that exists: it resumes where it left off.
      const second = await record({ durableName, sessionIds: [session], deliverFrom: { from: "beginning" } });
      await second.waitForAcked(2);
      await settle();
      await second.subscription.stop();
      expect(second.acked.map((d) => (d.event.data as { n: number }).n)).toEqual([4, 5]);

      await subject.bus.deleteDurable(durableName);
      const third = await record({ durableName, sessionIds: [session] });
      await third.waitForAcked(5);
      await third.subscription.stop();
      expect(third.acked.map((d) => (d.event.data as { n: number }).n)).toEqual([1, 2, 3, 4, 5]);
      await subject.bus.deleteDurable(durableName);
    });

    it("redelivers an event whose handler threw, then dead-letters it after maxDeliver", async () => {
      const session = randomUUID();
      const recorded = await subject.append(session, [event("ClipAdded", 1), event("ClipAdded", 2), event("ClipAdded", 3)]);
      const flaky = recorded[1]!.id;
      const poison = recorded[2]!.id;
      const deadLetters: BusDelivery[] = [];
      const durableName = `contract-${randomUUID().slice(0, 8)}`;
      const r = await record(
        { durableName, sessionIds: [session], maxDeliver: 3, retryDelayMs: 20, onDeadLetter: (d) => deadLetters.push(d) },
        (d) => (d.event.id === flaky && d.deliveryCount === 1) || d.event.id === poison,
      );
      await r.waitForAcked(2);
      const deadline = Date.now() + waitMs;
      while (deadLetters.length === 0 && Date.now() < deadline) await sleep(10);
      await settle();
      await r.subscription.stop();

      expect(r.acked.map((d) => d.event.id).sort()).toEqual([recorded[0]!.id, flaky].sort());
      expect(r.acked.find((d) => d.event.id === flaky)?.deliveryCount).toBe(2);
      expect(r.deliveries.filter((d) => d.event.id === poison).map((d) => d.deliveryCount)).toEqual([1, 2, 3]);
      expect(deadLetters.map((d) => [d.event.id, d.deliveryCount])).toEqual([[poison, 3]]);

      // Neither acknowledged nor dead-lettered events come back to the durable.
      const again = await record({ durableName, sessionIds: [session] });
      await settle();
      await again.subscription.stop();
      expect(again.deliveries).toEqual([]);
      await subject.bus.deleteDurable(durableName);
    });

    it("delivers nothing after stop() resolves", async () => {
      const session = randomUUID();
      await subject.append(session, [event("ClipAdded", 1)]);
      const r = await record({ sessionIds: [session] });
      await r.waitForAcked(1);
      await r.subscription.stop();
      await r.subscription.closed;
      await subject.append(session, [event("ClipAdded", 2)]);
      await settle();
      expect(r.deliveries.length).toBe(1);
    });

    it("rejects malformed options with a validation error naming the option", async () => {
      const cases: [BusSubscribeOptions, string][] = [
        [{ durableName: "has space" }, "durableName"],
        [{ durableName: "x".repeat(65) }, "durableName"],
        [{ sessionIds: [] }, "sessionIds"],
        [{ sessionIds: [""] }, "sessionIds[0]"],
        [{ eventTypes: ["not a type"] }, "eventTypes[0]"],
        [{ deliverFrom: { from: "sequence", sequence: 0 } }, "deliverFrom.sequence"],
        [{ deliverFrom: { from: "time", time: new Date(Number.NaN) } }, "deliverFrom.time"],
        [{ deliverFrom: { from: "later" } as never }, "deliverFrom.from"],
        [{ maxDeliver: 0 }, "maxDeliver"],
      ];
      for (const [bad, field] of cases) {
        const error = await subject.bus
          .subscribe(bad, async () => {})
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(isErrorKind(error, "validation"), `options ${JSON.stringify(bad)} should be rejected`).toBe(true);
        expect((error as { field?: string }).field).toBe(field);
      }
      await expect(subject.bus.deleteDurable("no/slashes")).rejects.toMatchObject({ kind: "validation", field: "durableName" });
    });
  });
}
