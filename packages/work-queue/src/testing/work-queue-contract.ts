import { afterEach, describe, expect, it } from "vitest";
import { InvalidWorkQueueRequestError, TerminalJobError } from "../errors.ts";
import type { ConsumeOptions, JobConsumer, JobDelivery, WorkQueue } from "../types.ts";

export interface WorkQueueContractSubject {
  /** A fresh, empty queue (a new name each call). */
  newQueue(): Promise<WorkQueue<{ n: number }>>;
  /** Frees what `newQueue` made (streams, buckets). */
  dispose(queue: WorkQueue<{ n: number }>): Promise<void>;
}

/** Waits until `check` passes, polling; fails with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Short timings so the suite is quick; the lease must still exceed the heartbeat comfortably.
const FAST: ConsumeOptions = { ackWaitMs: 1500, backoffMs: [50], maxAttempts: 3 };

/** The behaviour every WorkQueue must have; run against each implementation. */
export function workQueueContract(name: string, subject: () => WorkQueueContractSubject): void {
  describe(`WorkQueue contract: ${name}`, () => {
    const open: { queue: WorkQueue<{ n: number }>; consumers: JobConsumer[] }[] = [];
    const s = subject();
    async function newQueue() {
      const entry = { queue: await s.newQueue(), consumers: [] as JobConsumer[] };
      open.push(entry);
      const consume = async (handler: (d: JobDelivery<{ n: number }>) => Promise<void>, options: ConsumeOptions = {}) => {
        const consumer = await entry.queue.consume(handler, { ...FAST, ...options });
        entry.consumers.push(consumer);
        return consumer;
      };
      return { queue: entry.queue, consume };
    }
    afterEach(async () => {
      for (const entry of open.splice(0)) {
        for (const c of entry.consumers) c.kill();
        await entry.queue.close();
        await s.dispose(entry.queue);
      }
    });

    it("delivers a job once, with its payload; enqueue is idempotent by id; rerun runs an ended job again", async () => {
      const { queue, consume } = await newQueue();
      expect(await queue.enqueue({ id: "a.1", payload: { n: 7 }, group: "g" })).toEqual({ enqueued: true, state: "pending" });
      expect(await queue.enqueue({ id: "a.1", payload: { n: 8 } })).toEqual({ enqueued: false, state: "pending" });
      const seen: { n: number; attempt: number; group: string | undefined }[] = [];
      await consume(async (d) => {
        seen.push({ n: d.payload.n, attempt: d.attempt, group: d.group });
      });
      await eventually("completion", async () => (await queue.job("a.1"))?.state === "completed");
      expect(seen).toEqual([{ n: 7, attempt: 1, group: "g" }]);
      expect(await queue.enqueue({ id: "a.1", payload: { n: 9 } })).toEqual({ enqueued: false, state: "completed" });
      await sleep(200);
      expect(seen).toHaveLength(1);
      expect(await queue.enqueue({ id: "a.1", payload: { n: 10 }, rerun: true })).toEqual({ enqueued: true, state: "pending" });
      await eventually("the rerun", () => seen.length === 2);
      expect(seen[1]).toMatchObject({ n: 10, attempt: 1 });
    });

    it("retries a failing job with backoff and counts attempts; a job failing every time is dead-lettered and can be requeued", async () => {
      const { queue, consume } = await newQueue();
      let failUntil = 2;
      const attempts: number[] = [];
      await consume(async (d) => {
        attempts.push(d.attempt);
        if (d.attempt <= failUntil) throw new Error(`boom ${d.attempt}`);
      });
      await queue.enqueue({ id: "flaky", payload: { n: 1 } });
      await eventually("flaky completes", async () => (await queue.job("flaky"))?.state === "completed");
      expect(attempts).toEqual([1, 2, 3]);
      expect((await queue.job("flaky"))?.attempts).toBe(3);

      failUntil = 99;
      attempts.length = 0;
      await queue.enqueue({ id: "doomed", payload: { n: 2 }, group: "render-1" });
      await eventually("doomed is dead", async () => (await queue.job("doomed"))?.state === "dead");
      expect(attempts).toEqual([1, 2, 3]);
      const dead = await queue.deadLetters({ group: "render-1" });
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ id: "doomed", group: "render-1", attempts: 3, error: "boom 3" });
      expect(await queue.deadLetters({ group: "other" })).toEqual([]);
      expect((await queue.stats()).dead).toBe(1);

      failUntil = 0;
      expect(await queue.requeueDeadLetters({ group: "render-1" })).toBe(1);
      await eventually("requeued completes", async () => (await queue.job("doomed"))?.state === "completed");
      expect(attempts.at(-1)).toBe(1);
      expect(await queue.deadLetters()).toEqual([]);
    });

    it("dead-letters a TerminalJobError at once", async () => {
      const { queue, consume } = await newQueue();
      let calls = 0;
      await consume(async () => {
        calls++;
        throw new TerminalJobError("not an AAF file");
      });
      await queue.enqueue({ id: "bad", payload: { n: 0 } });
      await eventually("bad is dead", async () => (await queue.job("bad"))?.state === "dead");
      expect(calls).toBe(1);
      expect((await queue.job("bad"))?.error).toBe("not an AAF file");
    });

    it("redelivers a killed worker's job to another consumer after the lease, as the next attempt", async () => {
      const { queue, consume } = await newQueue();
      const first = await consume(async (d) => {
        await new Promise((_, reject) => d.signal.addEventListener("abort", () => reject(new Error("aborted"))));
      });
      await queue.enqueue({ id: "crash", payload: { n: 3 } });
      await eventually("the first worker holds the job", () => first.running === 1);
      expect((await queue.job("crash"))?.state).toBe("running");
      first.kill();
      const attempts: number[] = [];
      await consume(async (d) => {
        attempts.push(d.attempt);
      });
      await eventually("taken over", async () => (await queue.job("crash"))?.state === "completed", 15_000);
      expect(attempts).toEqual([2]);
    });

    it("keeps a job that outlasts the lease with the worker that is still working on it", async () => {
      const { queue, consume } = await newQueue();
      let deliveries = 0;
      await consume(
        async () => {
          deliveries++;
          await sleep(2500);
        },
        { concurrency: 2 },
      );
      await queue.enqueue({ id: "long", payload: { n: 4 } });
      await eventually("long completes", async () => (await queue.job("long"))?.state === "completed", 15_000);
      expect(deliveries).toBe(1);
    });

    it("on a graceful stop hands an aborted job back for the next consumer, without counting the attempt", async () => {
      const { queue, consume } = await newQueue();
      const reasons: unknown[] = [];
      const first = await consume(async (d) => {
        await new Promise((_, reject) =>
          d.signal.addEventListener("abort", () => {
            reasons.push(d.signal.reason);
            reject(new Error("stopping"));
          }),
        );
      });
      await queue.enqueue({ id: "handoff", payload: { n: 5 } });
      await eventually("held", () => first.running === 1);
      await first.stop();
      expect(reasons).toEqual(["consumer-stopped"]);
      expect((await queue.job("handoff"))?.state).toBe("pending");
      const attempts: number[] = [];
      await consume(async (d) => {
        attempts.push(d.attempt);
      });
      await eventually("handed over", async () => (await queue.job("handoff"))?.state === "completed");
      expect(attempts).toEqual([1]);
    });

    it("cancels a pending job (never delivered) and a running one (its signal says cancelled; not retried)", async () => {
      const { queue, consume } = await newQueue();
      await queue.enqueue({ id: "never", payload: { n: 6 } });
      expect(await queue.cancel("never", "picture changed")).toBe(true);
      expect(await queue.job("never")).toMatchObject({ state: "cancelled", error: "picture changed" });
      const seen: string[] = [];
      const reasons: unknown[] = [];
      await consume(async (d) => {
        seen.push(d.id);
        await new Promise((_, reject) =>
          d.signal.addEventListener("abort", () => {
            reasons.push(d.signal.reason);
            reject(new Error("aborted"));
          }),
        );
      });
      await queue.enqueue({ id: "running", payload: { n: 7 } });
      await eventually("running is held", async () => (await queue.job("running"))?.state === "running");
      expect(await queue.cancel("running")).toBe(true);
      await eventually("the handler is aborted", () => reasons.length === 1);
      expect(reasons).toEqual(["cancelled"]);
      await sleep(300);
      expect(seen).toEqual(["running"]);
      expect((await queue.job("running"))?.state).toBe("cancelled");
      expect(await queue.cancel("running")).toBe(false);
      expect(await queue.cancel("unknown")).toBe(false);
    });

    it("hands out pending jobs highest priority first, and follows a change of priority", async () => {
      const { queue, consume } = await newQueue();
      await queue.enqueue({ id: "low", payload: { n: 1 }, priority: "low" });
      await queue.enqueue({ id: "normal", payload: { n: 2 } });
      await queue.enqueue({ id: "high", payload: { n: 3 }, priority: "high" });
      await queue.enqueue({ id: "promoted", payload: { n: 4 }, priority: "low" });
      expect(await queue.setPriority("promoted", "high")).toBe(true);
      expect((await queue.job("promoted"))?.priority).toBe("high");
      expect(await queue.stats()).toEqual({ pending: { high: 2, normal: 1, low: 1 }, running: 0, dead: 0 });
      const order: string[] = [];
      await consume(async (d) => {
        order.push(d.id);
      });
      await eventually("all four", () => order.length === 4);
      expect(order).toEqual(["high", "promoted", "normal", "low"]);
      expect(await queue.setPriority("low", "high")).toBe(false);
    });

    it("runs up to `concurrency` jobs at once in one consumer", async () => {
      const { queue, consume } = await newQueue();
      let running = 0;
      let peak = 0;
      await consume(
        async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(300);
          running--;
        },
        { concurrency: 2 },
      );
      for (let i = 0; i < 4; i++) await queue.enqueue({ id: `c${i}`, payload: { n: i } });
      await eventually("all done", async () => {
        for (let i = 0; i < 4; i++) if ((await queue.job(`c${i}`))?.state !== "completed") return false;
        return true;
      });
      expect(peak).toBe(2);
    });

    it("refuses malformed ids, priorities and options with the field named", async () => {
      const { queue } = await newQueue();
      await expect(queue.enqueue({ id: "has space", payload: { n: 0 } })).rejects.toThrow(InvalidWorkQueueRequestError);
      await expect(queue.enqueue({ id: "a..b", payload: { n: 0 } })).rejects.toThrow(/id must be/);
      await expect(queue.enqueue({ id: "x", payload: { n: 0 }, priority: "urgent" as never })).rejects.toThrow(/priority must be one of/);
      await expect(queue.consume(async () => {}, { concurrency: 0 })).rejects.toThrow(/concurrency must be a positive integer/);
      await expect(queue.consume(async () => {}, { ackWaitMs: 100, heartbeatMs: 200 })).rejects.toThrow(/heartbeatMs must be shorter/);
    });
  });
}
