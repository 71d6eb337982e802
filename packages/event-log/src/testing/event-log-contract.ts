import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ErrorKind, isErrorKind } from "../errors.ts";
import type { EventLog } from "../event-log.ts";
import { loadState, type SnapshotStore } from "../snapshots.ts";
import type { NewEvent, RecordedEvent } from "../types.ts";
import { UpcasterRegistry } from "../upcasting.ts";
import { EVENT_LOG_LIMITS, serializePayloads } from "../validation.ts";
import { newTestEvent, newTestEvents, testMetadata, testStreamId } from "./event-fixtures.ts";

/** One backend under test: an EMPTY log (and snapshot store) per call. */
export interface ContractSubject {
  readonly log: EventLog;
  readonly snapshots: SnapshotStore;
  close?(): Promise<void>;
}

export type ContractFactory = (options: { upcasters?: UpcasterRegistry }) => Promise<ContractSubject>;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the operation to fail, but it succeeded");
}

async function expectKind(promise: Promise<unknown>, kind: ErrorKind, name: string): Promise<Record<string, unknown>> {
  const error = await rejection(promise);
  expect(isErrorKind(error, kind), `expected a ${kind} error, got ${String(error)}`).toBe(true);
  expect((error as Error).name).toBe(name);
  return error as unknown as Record<string, unknown>;
}

const ids = (events: readonly RecordedEvent[]) => events.map((e) => e.id);

/**
 * `$all` only shows events below the oldest transaction still running anywhere in the database, so a
 * backend shared with other work may show a just-committed event a moment later. Waits (up to 10 s)
 * until `count` events are visible, then returns what readAll returns.
 */
async function settledAll(log: EventLog, count: number): Promise<RecordedEvent[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const all = await log.readAll();
    if (all.length >= count || Date.now() > deadline) return all;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const lower = (events: readonly NewEvent[]) => events.map((e) => e.id.toLowerCase());

// A clip's gain, at three schema versions: v1 {gain: "x dB"} -> v2 {gainDb: number} -> v3 {gain: {db, linear}}.
function clipUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry()
    .register("ClipGainChanged", 1, (data) => ({ gainDb: Number.parseFloat((data as { gain: string }).gain) }))
    .register("ClipGainChanged", 2, (data) => {
      const db = (data as { gainDb: number }).gainDb;
      return { gain: { db, linear: Math.round(10 ** (db / 20) * 1000) / 1000 } };
    });
}

/**
 * The behaviour every EventLog backend must have. Call inside a test file; `factory` must return an
 * empty log on each call (each test starts from nothing).
 */
export function eventLogContract(name: string, factory: ContractFactory): void {
  describe(`EventLog contract: ${name}`, () => {
    let subject: ContractSubject;
    let log: EventLog;
    const opened: ContractSubject[] = [];
    const open = async (options: { upcasters?: UpcasterRegistry } = {}) => {
      const s = await factory(options);
      opened.push(s);
      return s;
    };

    beforeEach(async () => {
      subject = await open();
      log = subject.log;
    });

    afterEach(async () => {
      for (const s of opened.splice(0)) {
        await s.log.close();
        await s.close?.();
      }
    });

    describe("append and expected versions", () => {
      it("appends a batch to a new stream with no-stream and numbers it from 1", async () => {
        const stream = testStreamId();
        const events = newTestEvents(3);
        const result = await log.append(stream, events, { expectedVersion: "no-stream" });
        expect(result).toMatchObject({ streamId: stream, streamVersion: 3, duplicate: false });
        const read = await log.readStream(stream);
        expect(ids(read)).toEqual(lower(events));
        expect(read.map((e) => e.streamVersion)).toEqual([1, 2, 3]);
        expect(read.at(-1)?.globalPosition).toBe(result.lastGlobalPosition);
        expect(read[1]!.globalPosition).toBeGreaterThan(read[0]!.globalPosition);
        expect(await log.streamVersion(stream)).toBe(3);
      });

      it("rejects no-stream on an existing stream and writes nothing", async () => {
        const stream = testStreamId();
        await log.append(stream, newTestEvents(2), { expectedVersion: "no-stream" });
        const error = await expectKind(
          log.append(stream, newTestEvents(1), { expectedVersion: "no-stream" }),
          "concurrency",
          "StreamVersionConflictError",
        );
        expect(error).toMatchObject({ streamId: stream, expected: "no-stream", actual: 2 });
        expect(await log.readStream(stream)).toHaveLength(2);
        expect(await settledAll(log, 2)).toHaveLength(2);
      });

      it("appends with the exact current version and rejects a stale one, writing nothing", async () => {
        const stream = testStreamId();
        await log.append(stream, newTestEvents(2), { expectedVersion: "no-stream" });
        const ok = await log.append(stream, newTestEvents(2, "ClipMoved"), { expectedVersion: { exact: 2 } });
        expect(ok.streamVersion).toBe(4);
        const error = await expectKind(
          log.append(stream, newTestEvents(3), { expectedVersion: { exact: 2 } }),
          "concurrency",
          "StreamVersionConflictError",
        );
        expect(error).toMatchObject({ streamId: stream, expected: "2", actual: 4 });
        expect(await log.readStream(stream)).toHaveLength(4);
        expect(await settledAll(log, 4)).toHaveLength(4);
      });

      it("rejects an exact version on an absent stream, reporting it as absent, and creates nothing", async () => {
        const stream = testStreamId();
        const error = await expectKind(
          log.append(stream, newTestEvents(1), { expectedVersion: { exact: 3 } }),
          "concurrency",
          "StreamVersionConflictError",
        );
        expect(error).toMatchObject({ actual: "no-stream" });
        expect(await log.streamVersion(stream)).toBeUndefined();
        // The failed append must not have created the stream: no-stream still succeeds.
        await log.append(stream, newTestEvents(1), { expectedVersion: "no-stream" });
      });

      it("appends with any to absent and existing streams", async () => {
        const stream = testStreamId();
        expect((await log.append(stream, newTestEvents(1), { expectedVersion: "any" })).streamVersion).toBe(1);
        expect((await log.append(stream, newTestEvents(2), { expectedVersion: "any" })).streamVersion).toBe(3);
      });

      it("lets exactly one of several concurrent appends at the same expected version win", async () => {
        const stream = testStreamId();
        await log.append(stream, newTestEvents(1), { expectedVersion: "no-stream" });
        const attempts = await Promise.allSettled(
          Array.from({ length: 5 }, () => log.append(stream, newTestEvents(2), { expectedVersion: { exact: 1 } })),
        );
        const won = attempts.filter((a) => a.status === "fulfilled");
        const lost = attempts.filter((a) => a.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost.every((a) => isErrorKind(a.reason, "concurrency"))).toBe(true);
        expect(await log.readStream(stream)).toHaveLength(3);
      });

      it("does nothing when the abort signal has already fired", async () => {
        const stream = testStreamId();
        const controller = new AbortController();
        controller.abort();
        await expectKind(
          log.append(stream, newTestEvents(1), { expectedVersion: "any", signal: controller.signal }),
          "cancelled",
          "EventLogCancelledError",
        );
        expect(await log.readStream(stream)).toEqual([]);
        expect(await log.streamVersion(stream)).toBeUndefined();
      });
    });

    describe("idempotency by event id", () => {
      it("returns the original result for a resend, writes nothing, even after the stream moved on", async () => {
        const stream = testStreamId();
        const first = newTestEvents(3);
        const original = await log.append(stream, first, { expectedVersion: "no-stream" });
        await log.append(stream, newTestEvents(2), { expectedVersion: { exact: 3 } });
        const resend = await log.append(stream, first, { expectedVersion: "no-stream" });
        expect(resend).toEqual({ ...original, duplicate: true });
        expect(await log.readStream(stream)).toHaveLength(5);
        expect(await settledAll(log, 5)).toHaveLength(5);
      });

      it("rejects a batch of which only some ids are already in the log, writing nothing", async () => {
        const stream = testStreamId();
        const first = newTestEvents(2);
        await log.append(stream, first, { expectedVersion: "no-stream" });
        const mixed = [first[1]!, ...newTestEvents(2)];
        const error = await expectKind(log.append(stream, mixed, { expectedVersion: "any" }), "already-exists", "EventIdConflictError");
        expect(error.existingIds).toEqual([first[1]!.id.toLowerCase()]);
        expect(String(error.message)).toContain(first[1]!.id.toLowerCase());
        expect(await log.readStream(stream)).toHaveLength(2);
        expect(await settledAll(log, 2)).toHaveLength(2);
      });

      it("reads one event by its id, in any case, and nothing for an unknown or malformed id", async () => {
        const stream = testStreamId();
        const events = newTestEvents(3);
        await log.append(stream, events, { expectedVersion: "no-stream" });
        const found = await log.readEvent(events[1]!.id.toUpperCase());
        expect(found).toMatchObject({ id: events[1]!.id.toLowerCase(), streamId: stream, streamVersion: 2, type: events[1]!.type });
        expect(found?.data).toEqual(events[1]!.data);
        expect(await log.readEvent(newTestEvents(1)[0]!.id)).toBeUndefined();
        expect(await log.readEvent("not-a-uuid")).toBeUndefined();
      });

      it("rejects reusing ids of one stream in another stream", async () => {
        const events = newTestEvents(1);
        await log.append(testStreamId(), events, { expectedVersion: "no-stream" });
        const other = testStreamId();
        await expectKind(log.append(other, events, { expectedVersion: "any" }), "already-exists", "EventIdConflictError");
        expect(await log.readStream(other)).toEqual([]);
      });
    });

    describe("large appends", () => {
      const LARGE = 60_000;

      it(`appends ${LARGE} events as one atomic change: a concurrent $all reader sees none or all of them`, async () => {
        const stream = testStreamId("reel");
        const events = newTestEvents(LARGE, "ClipAdded");
        const seen: number[] = [];
        let appended = false;
        const reader = (async () => {
          for (;;) {
            const done = appended;
            const count = (await log.readAll()).length;
            seen.push(count);
            if (count > 0 || done) return;
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        })();
        const result = await log.append(stream, events, { expectedVersion: "no-stream" });
        appended = true;
        await reader;
        expect(result).toMatchObject({ streamId: stream, streamVersion: LARGE, duplicate: false });
        expect(
          seen.every((count) => count === 0 || count === LARGE),
          `partial views: ${seen.filter((c) => c > 0 && c < LARGE)}`,
        ).toBe(true);
        const all = await settledAll(log, LARGE);
        expect(all).toHaveLength(LARGE);
        expect(all.at(-1)?.globalPosition).toBe(result.lastGlobalPosition);
        const stored = await log.readStream(stream);
        expect(stored.map((e) => e.streamVersion)).toEqual(Array.from({ length: LARGE }, (_, i) => i + 1));
        expect(ids(stored)).toEqual(lower(events));

        const resend = await log.append(stream, events, { expectedVersion: "no-stream" });
        expect(resend).toEqual({ ...result, duplicate: true });
        expect(await log.streamVersion(stream)).toBe(LARGE);
      }, 120_000);

      it(`writes nothing of a ${LARGE}-event append whose LAST event fails`, async () => {
        const taken = newTestEvents(1);
        await log.append(testStreamId(), taken, { expectedVersion: "no-stream" });
        const stream = testStreamId("reel");
        const events = [...newTestEvents(LARGE - 1), taken[0]!];
        await expectKind(log.append(stream, events, { expectedVersion: "no-stream" }), "already-exists", "EventIdConflictError");
        expect(await log.streamVersion(stream)).toBeUndefined();
        expect(await log.readStream(stream, { maxCount: 1 })).toEqual([]);
        expect(await settledAll(log, 1)).toHaveLength(1);
      }, 120_000);

      it("rejects more than maxEventsPerAppend events, naming the limit, writing nothing", async () => {
        const stream = testStreamId();
        const one = newTestEvent("ClipAdded", {});
        const error = await expectKind(
          log.append(stream, new Array(EVENT_LOG_LIMITS.maxEventsPerAppend + 1).fill(one), { expectedVersion: "any" }),
          "validation",
          "InvalidEventError",
        );
        expect(error.field).toBe("events");
        expect(String(error.message)).toContain(String(EVENT_LOG_LIMITS.maxEventsPerAppend));
        expect(await log.streamVersion(stream)).toBeUndefined();
      });

      it("rejects payloads over maxPayloadBytesPerAppend (UTF-8), naming the limit, writing nothing", async () => {
        const stream = testStreamId();
        // 2-byte characters: the limit counts UTF-8 bytes, not characters.
        const blob = "é".repeat(4 * 1024 * 1024);
        const count = Math.floor(EVENT_LOG_LIMITS.maxPayloadBytesPerAppend / (2 * blob.length)) + 1;
        const events = Array.from({ length: count }, () => newTestEvent("ClipAdded", { blob }));
        const error = await expectKind(log.append(stream, events, { expectedVersion: "any" }), "validation", "InvalidEventError");
        expect(error.field).toBe("events");
        expect(String(error.message)).toContain(`${EVENT_LOG_LIMITS.maxPayloadBytesPerAppend} bytes`);
        // Counted as characters, the same payloads would be half the limit.
        expect(serializePayloads(events.slice(0, 1)).chars * count).toBeLessThan(EVENT_LOG_LIMITS.maxPayloadBytesPerAppend);
        expect(await log.streamVersion(stream)).toBeUndefined();
      }, 60_000);
    });

    describe("validation", () => {
      const good = () => newTestEvent("ClipAdded", { clip: "a" });
      const cases: [string, () => unknown[], string][] = [
        ["an id that is not a UUID", () => [good(), { ...good(), id: "not-a-uuid" }], "events[1].id"],
        ["the same id twice in one batch", () => [good(), good()].map((e, _, all) => ({ ...e, id: all[0]!.id })), "events[1].id"],
        ["a type with spaces", () => [{ ...good(), type: "clip added" }], "events[0].type"],
        ["a non-integer schema version", () => [{ ...good(), schemaVersion: 1.5 }], "events[0].schemaVersion"],
        ["data that is not an object", () => [{ ...good(), data: [1, 2] }], "events[0].data"],
        ["a NaN inside data", () => [{ ...good(), data: { gain: { db: Number.NaN } } }], "events[0].data.gain.db"],
        ["a NUL character inside data", () => [{ ...good(), data: { name: "a\u0000b" } }], "events[0].data.name"],
        [
          "a lone surrogate deep in an array",
          () => [{ ...good(), data: { takes: [{ note: "ok" }, { note: "\ud800" }] } }],
          "events[0].data.takes[1].note",
        ],
        ["an Infinity in an array", () => [{ ...good(), data: { gains: [0, Number.POSITIVE_INFINITY] } }], "events[0].data.gains[1]"],
        ["a Date instance", () => [{ ...good(), data: { at: new Date(0) } }], "events[0].data.at"],
        ["a key with a NUL character", () => [{ ...good(), data: { nested: { "a\u0000": 1 } } }], "events[0].data.nested"],
        ["a function value", () => [{ ...good(), data: { f: () => 1 } }], "events[0].data.f"],
        [
          "an unknown actor role",
          () => [{ ...good(), metadata: { ...testMetadata, actor: { userId: "u", role: "producer" } } }],
          "events[0].metadata.actor.role",
        ],
        [
          "an empty correlation id",
          () => [{ ...good(), metadata: { ...testMetadata, correlationId: "" } }],
          "events[0].metadata.correlationId",
        ],
        [
          "a malformed traceparent",
          () => [{ ...good(), metadata: { ...testMetadata, trace: { traceparent: "abc" } } }],
          "events[0].metadata.trace.traceparent",
        ],
        ["an empty batch", () => [], "events"],
      ];
      for (const [what, events, field] of cases) {
        it(`rejects ${what} naming ${field}, writing nothing`, async () => {
          const stream = testStreamId();
          const error = await expectKind(
            log.append(stream, events() as NewEvent[], { expectedVersion: "any" }),
            "validation",
            "InvalidEventError",
          );
          expect(error.field).toBe(field);
          expect(await log.readStream(stream)).toEqual([]);
          expect(await log.streamVersion(stream)).toBeUndefined();
        });
      }

      it("rejects a bad stream id and a bad expected version", async () => {
        const events = newTestEvents(1);
        expect((await expectKind(log.append("", events, { expectedVersion: "any" }), "validation", "InvalidEventError")).field).toBe(
          "streamId",
        );
        expect((await expectKind(log.append("$all", events, { expectedVersion: "any" }), "validation", "InvalidEventError")).field).toBe(
          "streamId",
        );
        const badExpected = { expectedVersion: { exact: -1 } };
        const stream = testStreamId();
        expect((await expectKind(log.append(stream, events, badExpected), "validation", "InvalidEventError")).field).toBe(
          "expectedVersion",
        );
        expect(await log.readStream(stream)).toEqual([]);
      });

      it("rejects malformed read options naming the option", async () => {
        expect((await expectKind(log.readStream(testStreamId(), { maxCount: 0 }), "validation", "InvalidReadOptionError")).field).toBe(
          "maxCount",
        );
        expect((await expectKind(log.readAll({ after: -1 }), "validation", "InvalidReadOptionError")).field).toBe("after");
      });
    });

    describe("reads", () => {
      it("reads a stream forwards and backwards from a version with maxCount", async () => {
        const stream = testStreamId();
        await log.append(stream, newTestEvents(10), { expectedVersion: "no-stream" });
        const versions = (events: RecordedEvent[]) => events.map((e) => e.streamVersion);
        expect(versions(await log.readStream(stream, { fromVersion: 4, maxCount: 3 }))).toEqual([4, 5, 6]);
        expect(versions(await log.readStream(stream, { fromVersion: 9 }))).toEqual([9, 10]);
        expect(versions(await log.readStream(stream, { direction: "backwards", maxCount: 3 }))).toEqual([10, 9, 8]);
        expect(versions(await log.readStream(stream, { direction: "backwards", fromVersion: 2 }))).toEqual([2, 1]);
        expect(await log.readStream(stream, { fromVersion: 11 })).toEqual([]);
        expect(await log.readStream(testStreamId())).toEqual([]);
        expect(await log.streamVersion(testStreamId())).toBeUndefined();
      });

      it("filters a stream by event type", async () => {
        const stream = testStreamId();
        await log.append(stream, [...newTestEvents(2, "ClipAdded"), ...newTestEvents(2, "ClipMoved"), ...newTestEvents(1, "ClipAdded")], {
          expectedVersion: "any",
        });
        const added = await log.readStream(stream, { types: ["ClipAdded"] });
        expect(added.map((e) => e.streamVersion)).toEqual([1, 2, 5]);
        const lastMoved = await log.readStream(stream, { types: ["ClipMoved"], direction: "backwards", maxCount: 1 });
        expect(lastMoved.map((e) => e.streamVersion)).toEqual([4]);
      });

      it("reads $all in global order across streams, from a position, with maxCount and type filters", async () => {
        const a = testStreamId("a");
        const b = testStreamId("b");
        await log.append(a, newTestEvents(2, "ClipAdded"), { expectedVersion: "no-stream" });
        await log.append(b, newTestEvents(2, "TrackAdded"), { expectedVersion: "no-stream" });
        await log.append(a, newTestEvents(1, "ClipMoved"), { expectedVersion: { exact: 2 } });
        const all = await settledAll(log, 5);
        expect(all.map((e) => [e.streamId, e.streamVersion])).toEqual([
          [a, 1],
          [a, 2],
          [b, 1],
          [b, 2],
          [a, 3],
        ]);
        const positions = all.map((e) => e.globalPosition);
        expect([...positions].sort((x, y) => x - y)).toEqual(positions);
        expect(ids(await log.readAll({ after: positions[1]! }))).toEqual(ids(all.slice(2)));
        expect(ids(await log.readAll({ after: positions[0]!, maxCount: 2 }))).toEqual(ids(all.slice(1, 3)));
        expect(ids(await log.readAll({ after: 0, types: ["TrackAdded", "ClipMoved"] }))).toEqual(ids(all.slice(2)));
        expect(await log.readAll({ after: positions[4]! })).toEqual([]);
        const error = await expectKind(log.readAll({ after: positions[4]! + 1000 }), "validation", "InvalidReadOptionError");
        expect(error.field).toBe("after");
      });
    });

    describe("metadata and data", () => {
      it("round-trips every metadata field", async () => {
        const stream = testStreamId();
        const traced = newTestEvent(
          "DialogueLineRecorded",
          { line: 7 },
          {
            schemaVersion: 2,
            metadata: {
              correlationId: "corr-42",
              causationId: "cmd-7",
              actor: { userId: "mixer-9", role: "re_recording_mixer" },
              trace: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", tracestate: "vendor=abc" },
            },
          },
        );
        const plain = newTestEvent("ClipAdded", { clip: "b" });
        const before = Date.now();
        const result = await log.append(stream, [traced, plain], { expectedVersion: "no-stream" });
        const [first, second] = await log.readStream(stream);
        expect(first).toEqual({
          id: traced.id.toLowerCase(),
          type: "DialogueLineRecorded",
          schemaVersion: 2,
          streamId: stream,
          streamVersion: 1,
          globalPosition: result.lastGlobalPosition - 1,
          recordedAt: expect.any(Date),
          data: { line: 7 },
          correlationId: "corr-42",
          causationId: "cmd-7",
          actor: { userId: "mixer-9", role: "re_recording_mixer" },
          trace: { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", tracestate: "vendor=abc" },
        });
        expect(Math.abs(first!.recordedAt.getTime() - before)).toBeLessThan(60_000);
        expect(second!.schemaVersion).toBe(1);
        expect(second!.trace).toBeUndefined();
        expect((await settledAll(log, 2))[0]).toEqual(first);
      });

      it("round-trips nested JSON payloads exactly", async () => {
        const stream = testStreamId();
        const data = {
          name: "Szene 12 — Tür «knarrt» 🎬",
          sampleOffset: 2 ** 40 + 3,
          gain: -3.25,
          fades: [{ in: 480, shape: "equal-power" }, null],
          flags: { muted: false, solo: true },
          empty: {},
        };
        await log.append(stream, [newTestEvent("ClipAdded", data)], { expectedVersion: "no-stream" });
        expect((await log.readStream(stream))[0]!.data).toEqual(data);
      });
    });

    describe("upcasting", () => {
      it("reads old schema versions in the current shape in readStream and readAll", async () => {
        const upcasting = (await open({ upcasters: clipUpcasters() })).log;
        const stream = testStreamId();
        await upcasting.append(
          stream,
          [
            newTestEvent("ClipGainChanged", { gain: "-6 dB" }, { schemaVersion: 1 }),
            newTestEvent("ClipGainChanged", { gainDb: 0 }, { schemaVersion: 2 }),
            newTestEvent("ClipGainChanged", { gain: { db: 6, linear: 1.995 } }, { schemaVersion: 3 }),
            newTestEvent("ClipAdded", { clip: "c" }),
          ],
          { expectedVersion: "no-stream" },
        );
        const expected = [
          { schemaVersion: 3, data: { gain: { db: -6, linear: 0.501 } } },
          { schemaVersion: 3, data: { gain: { db: 0, linear: 1 } } },
          { schemaVersion: 3, data: { gain: { db: 6, linear: 1.995 } } },
          { schemaVersion: 1, data: { clip: "c" } },
        ];
        const shape = (events: RecordedEvent[]) => events.map((e) => ({ schemaVersion: e.schemaVersion, data: e.data }));
        expect(shape(await upcasting.readStream(stream))).toEqual(expected);
        expect(shape(await settledAll(upcasting, 4))).toEqual(expected);
        expect(shape(await upcasting.readStream(stream, { direction: "backwards" }))).toEqual([...expected].reverse());
        // Stored as written: a second read upcasts again from the original payloads.
        expect(shape(await upcasting.readStream(stream))).toEqual(expected);
      });

      it("folds to the same state from upcast history as from history written in the current shape", async () => {
        const upcasting = (await open({ upcasters: clipUpcasters() })).log;
        const old = testStreamId("old");
        const current = testStreamId("current");
        const gains = [-12, 3, 0, -1.5];
        await upcasting.append(
          old,
          gains.map((db) => newTestEvent("ClipGainChanged", { gain: `${db} dB` }, { schemaVersion: 1 })),
          { expectedVersion: "no-stream" },
        );
        await upcasting.append(
          current,
          gains.map((db) =>
            newTestEvent("ClipGainChanged", { gain: { db, linear: Math.round(10 ** (db / 20) * 1000) / 1000 } }, { schemaVersion: 3 }),
          ),
          { expectedVersion: "no-stream" },
        );
        const fold = (events: RecordedEvent[]) => events.reduce((sum, e) => sum + (e.data as { gain: { db: number } }).gain.db, 0);
        expect(fold(await upcasting.readStream(old))).toBe(fold(await upcasting.readStream(current)));
        expect(fold(await upcasting.readStream(old))).toBe(-10.5);
      });
    });

    describe("snapshots", () => {
      type Tally = { clips: number; sum: number };
      const initial = (): Tally => ({ clips: 0, sum: 0 });
      const evolve = (state: Tally, event: RecordedEvent): Tally => ({
        clips: state.clips + 1,
        sum: state.sum + (event.data as { n: number }).n,
      });

      it("loads snapshot plus tail equal to a full replay", async () => {
        const stream = testStreamId();
        await log.append(stream, newTestEvents(6), { expectedVersion: "no-stream" });
        const atSix = await loadState(log, subject.snapshots, stream, { initial, evolve });
        expect(atSix).toEqual({ state: { clips: 6, sum: 21 }, version: 6, eventsApplied: 6 });
        await subject.snapshots.save({ streamId: stream, version: atSix.version, state: atSix.state, schemaVersion: 1 });
        await log.append(stream, newTestEvents(4, "ClipAdded", 7), { expectedVersion: { exact: 6 } });

        const fromSnapshot = await loadState(log, subject.snapshots, stream, { initial, evolve, pageSize: 3 });
        const full = (await log.readStream(stream)).reduce(evolve, initial());
        expect(fromSnapshot).toEqual({ state: full, version: 10, snapshotVersion: 6, eventsApplied: 4 });
        expect(full).toEqual({ clips: 10, sum: 55 });
      });

      it("ignores a snapshot of another state schema version and never moves a snapshot backwards", async () => {
        const stream = testStreamId();
        await log.append(stream, newTestEvents(3), { expectedVersion: "no-stream" });
        await subject.snapshots.save({ streamId: stream, version: 3, state: { clips: 99, sum: 99 }, schemaVersion: 1 });
        const v2 = await loadState(log, subject.snapshots, stream, { initial, evolve, schemaVersion: 2 });
        expect(v2).toEqual({ state: { clips: 3, sum: 6 }, version: 3, eventsApplied: 3 });

        await subject.snapshots.save({ streamId: stream, version: 2, state: { clips: 2, sum: 3 }, schemaVersion: 1 });
        expect(await subject.snapshots.load(stream)).toEqual({
          streamId: stream,
          version: 3,
          state: { clips: 99, sum: 99 },
          schemaVersion: 1,
        });
        expect(await subject.snapshots.load(testStreamId())).toBeUndefined();
      });

      it("keeps a snapshot per keepEvery versions: loadAtOrBefore finds the nearest at or below a version", async () => {
        const n = subject.snapshots.keepEvery;
        const last = 2 * n + 5;
        const stream = testStreamId();
        await log.append(stream, newTestEvents(last), { expectedVersion: "no-stream" });
        const events = await log.readStream(stream);
        const stateAt = (v: number) => events.slice(0, v).reduce(evolve, initial());
        // Saved at every version, as a writer saving after each change would.
        for (let v = 1; v <= last; v++) await subject.snapshots.save({ streamId: stream, version: v, state: stateAt(v), schemaVersion: 1 });

        const versionAt = async (v: number) => (await subject.snapshots.loadAtOrBefore(stream, v))?.version;
        // Kept: the oldest of each span [0, n), [n, 2n), [2n, 3n), and the latest.
        expect(await versionAt(0)).toBeUndefined();
        expect(await versionAt(1)).toBe(1);
        expect(await versionAt(n - 1)).toBe(1);
        expect(await versionAt(n)).toBe(n);
        expect(await versionAt(2 * n - 1)).toBe(n);
        expect(await versionAt(2 * n + 4)).toBe(2 * n);
        expect(await versionAt(last)).toBe(last);
        expect(await versionAt(Number.MAX_SAFE_INTEGER)).toBe(last);
        expect((await subject.snapshots.loadAtOrBefore(stream, n + 3))?.state).toEqual(stateAt(n));
        expect(await subject.snapshots.load(stream)).toEqual({ streamId: stream, version: last, state: stateAt(last), schemaVersion: 1 });

        // A read at an exact old version folds from the nearest snapshot plus a tail shorter than keepEvery.
        const at = await loadState(log, subject.snapshots, stream, { initial, evolve, atVersion: 2 * n - 1, pageSize: 7 });
        expect(at).toEqual({ state: stateAt(2 * n - 1), version: 2 * n - 1, snapshotVersion: n, eventsApplied: n - 1 });
        const atEnd = await loadState(log, subject.snapshots, stream, { initial, evolve, atVersion: last });
        expect(atEnd).toEqual({ state: stateAt(last), version: last, snapshotVersion: last, eventsApplied: 0 });
      }, 60_000);

      it("filters loadAtOrBefore by state schema version; a newer state schema removes the older ones", async () => {
        const stream = testStreamId();
        await subject.snapshots.save({ streamId: stream, version: 4, state: { v: 1 }, schemaVersion: 1 });
        await subject.snapshots.save({ streamId: stream, version: 2, state: { v: 2 }, schemaVersion: 2 });
        expect((await subject.snapshots.loadAtOrBefore(stream, 10, { schemaVersion: 1 }))?.state).toBeUndefined();
        expect(await subject.snapshots.loadAtOrBefore(stream, 10)).toEqual({
          streamId: stream,
          version: 2,
          state: { v: 2 },
          schemaVersion: 2,
        });
        expect(await subject.snapshots.loadAtOrBefore(stream, 1, { schemaVersion: 2 })).toBeUndefined();
        const error = await expectKind(subject.snapshots.loadAtOrBefore(stream, -1), "validation", "InvalidReadOptionError");
        expect(error.field).toBe("version");
      });

      it("rejects a snapshot whose state is not JSON", async () => {
        const error = await expectKind(
          subject.snapshots.save({ streamId: testStreamId(), version: 1, state: { when: new Date() }, schemaVersion: 1 }),
          "validation",
          "InvalidEventError",
        );
        expect(error.field).toBe("snapshot.state.when");
      });
    });
  });
}
