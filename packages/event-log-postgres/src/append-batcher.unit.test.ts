import type { AppendResult } from "@dubstage/event-log";
import { newTestEvents } from "@dubstage/event-log/testing";
import { describe, expect, it } from "vitest";
import { AppendBatcher, type WriteCombiningOptions } from "./append-batcher.ts";
import type { AppendOutcome, AppendRequest } from "./queries/append-batch.ts";

interface Call {
  readonly streams: string[];
  readonly checkIds: boolean;
  finish(outcomes?: AppendOutcome[]): void;
  fail(error: unknown): void;
}

/** A batcher over a fake writer whose calls the test completes by hand. */
function harness(options: WriteCombiningOptions = {}) {
  const calls: Call[] = [];
  let written = 0;
  const batcher = new AppendBatcher(
    (appends, checkIds) =>
      new Promise<AppendOutcome[]>((resolve, reject) => {
        const ok = (a: AppendRequest, i: number): AppendOutcome => ({
          ok: true,
          result: { streamId: a.streamId, streamVersion: a.events.length, lastGlobalPosition: i + 1, duplicate: false },
        });
        calls.push({
          streams: appends.map((a) => a.streamId),
          checkIds,
          finish: (outcomes) => resolve(outcomes ?? appends.map(ok)),
          fail: reject,
        });
      }),
    () => written++,
    options,
  );
  const append = (streamId: string, count = 1, signal?: AbortSignal) =>
    batcher.append({ streamId, events: newTestEvents(count), payloads: [], expected: "any" }, signal);
  return { batcher, calls, append, written: () => written };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("AppendBatcher", () => {
  it("sends a lone append at once and batches the appends that arrive while the slots are busy", async () => {
    const h = harness({ maxInFlight: 1 });
    const first = h.append("s1");
    await tick();
    expect(h.calls.map((c) => c.streams)).toEqual([["s1"]]);
    const later = [h.append("s2"), h.append("s3"), h.append("s2")];
    await tick();
    expect(h.calls).toHaveLength(1); // the slot is busy: they wait together
    h.calls[0]?.finish();
    expect(await first).toMatchObject({ streamId: "s1", duplicate: false });
    await tick();
    expect(h.calls.map((c) => c.streams)).toEqual([["s1"], ["s2", "s3", "s2"]]);
    h.calls[1]?.finish();
    expect((await Promise.all(later)).map((r: AppendResult) => r.streamId)).toEqual(["s2", "s3", "s2"]);
    expect(h.written()).toBe(2);
    await h.batcher.idle();
  });

  it("spreads what is queued over the free slots, so the calls run in parallel", async () => {
    const h = harness({ maxInFlight: 2 });
    const all = [h.append("a"), h.append("b"), h.append("c"), h.append("d"), h.append("e")];
    await tick();
    expect(h.calls.map((c) => c.streams)).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
    for (const call of h.calls) call.finish();
    expect(await Promise.all(all)).toHaveLength(5);
  });

  it("uses up to maxInFlight slots and bounds batches by appends and events", async () => {
    const h = harness({ maxInFlight: 2, maxAppends: 3, maxEvents: 10 });
    const all = [h.append("a"), h.append("b"), h.append("c"), h.append("d"), h.append("e", 8), h.append("f", 4)];
    await tick();
    // a, b, c fill one batch (maxAppends); d + e = 9 events; f would make 13 > maxEvents.
    expect(h.calls.map((c) => c.streams)).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
    h.calls[0]?.finish();
    await tick();
    expect(h.calls[2]?.streams).toEqual(["f"]);
    h.calls[1]?.finish();
    h.calls[2]?.finish();
    expect(await Promise.all(all)).toHaveLength(6);
  });

  it("never puts the same event id twice in one batch", async () => {
    const h = harness({ maxInFlight: 1 });
    const events = newTestEvents(2);
    const once = h.batcher.append({ streamId: "s", events, payloads: [], expected: "any" });
    const again = h.batcher.append({ streamId: "s", events, payloads: [], expected: "any" });
    await tick();
    expect(h.calls.map((c) => c.streams)).toEqual([["s"]]);
    h.calls[0]?.finish();
    await once;
    await tick();
    expect(h.calls.map((c) => c.streams)).toEqual([["s"], ["s"]]);
    h.calls[1]?.finish();
    await again;
  });

  it("drops an append whose signal fires while it is queued, and never sends it", async () => {
    const h = harness({ maxInFlight: 1 });
    const first = h.append("s1");
    await tick();
    const controller = new AbortController();
    const cancelled = h.append("s2", 1, controller.signal);
    const kept = h.append("s3");
    controller.abort(new Error("caller gave up"));
    await expect(cancelled).rejects.toMatchObject({ name: "EventLogCancelledError", kind: "cancelled" });
    h.calls[0]?.finish();
    await first;
    await tick();
    expect(h.calls.map((c) => c.streams)).toEqual([["s1"], ["s3"]]);
    h.calls[1]?.finish();
    await kept;

    // Dropping the only queued append leaves the batcher idle.
    const lone = new AbortController();
    const dropped = h.append("s4", 1, lone.signal).catch((e: unknown) => e);
    const idle = h.batcher.idle();
    lone.abort();
    expect(await dropped).toMatchObject({ name: "EventLogCancelledError" });
    await idle;
    expect(h.calls).toHaveLength(2);
  });

  it("gives every append of a batch EventLogUnavailableError when the connection fails", async () => {
    const h = harness({ maxInFlight: 1 });
    const all = [h.append("a"), h.append("b")].map((p) => p.catch((e: unknown) => e));
    await tick();
    h.calls[0]?.fail(Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    for (const error of await Promise.all(all)) expect(error).toMatchObject({ name: "EventLogUnavailableError" });
    expect(h.calls).toHaveLength(1);
  });

  it("repeats a batch that hit an id violation with checkIds, and runs each append alone after other failures", async () => {
    const h = harness({ maxInFlight: 1 });
    const pair = [h.append("a"), h.append("b")];
    await tick();
    h.calls[0]?.fail(Object.assign(new Error("duplicate key"), { code: "23505", constraint: "events_id_unique" }));
    await tick();
    expect(h.calls[1]).toMatchObject({ streams: ["a", "b"], checkIds: true });
    h.calls[1]?.finish();
    await Promise.all(pair);

    const trio = [h.append("c"), h.append("d"), h.append("e")].map((p) => p.catch((e: unknown) => e));
    await tick();
    h.calls[2]?.fail(Object.assign(new Error("deadlock detected"), { code: "40P01" }));
    await tick();
    expect(h.calls[3]).toMatchObject({ streams: ["c"], checkIds: true });
    h.calls[3]?.finish();
    await tick();
    expect(h.calls[4]).toMatchObject({ streams: ["d"], checkIds: true });
    h.calls[4]?.fail(Object.assign(new Error("deadlock detected"), { code: "40P01" }));
    await tick();
    h.calls[5]?.finish();
    const [c, d, e] = await Promise.all(trio);
    expect(c).toMatchObject({ streamId: "c" });
    expect(d).toMatchObject({ message: "deadlock detected" }); // alone, its own error
    expect(e).toMatchObject({ streamId: "e" });
  });

  it("rejects nonsensical limits", () => {
    expect(() => harness({ maxInFlight: 0 })).toThrow(/maxInFlight must be an integer >= 1/);
    expect(() => harness({ maxAppends: 1.5 })).toThrow(/maxAppends/);
  });
});
