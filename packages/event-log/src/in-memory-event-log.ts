import { EventIdConflictError, EventLogCancelledError, StreamVersionConflictError } from "./errors.ts";
import type { EventLog } from "./event-log.ts";
import type { Snapshot, SnapshotQuery, SnapshotStore } from "./snapshots.ts";
import { DEFAULT_SNAPSHOT_KEEP_EVERY, validateKeepEvery, validateSnapshot, validateSnapshotRead } from "./snapshots.ts";
import type { AppendResult, ExpectedVersion, NewEvent, ReadAllOptions, ReadStreamOptions, RecordedEvent } from "./types.ts";
import { type UpcasterRegistry, upcastWith } from "./upcasting.ts";
import { describeExpected, unknownCursor, validateAppend, validateReadAll, validateReadStream } from "./validation.ts";

/**
 * An in-process EventLog for unit tests of use cases. Same validation and semantics as the PostgreSQL
 * backend (it passes the same contract suite); commits are instantaneous, so `$all` is simply global order.
 */
export function createInMemoryEventLog(options: { upcasters?: UpcasterRegistry } = {}): EventLog {
  const all: RecordedEvent[] = [];
  const streams = new Map<string, RecordedEvent[]>();
  const byId = new Map<string, RecordedEvent>();
  const upcast = upcastWith(options.upcasters);
  const copy = (event: RecordedEvent): RecordedEvent => upcast(structuredClone(event));

  return {
    async append(
      streamId: string,
      events: readonly NewEvent[],
      { expectedVersion, signal }: { expectedVersion: ExpectedVersion; signal?: AbortSignal },
    ) {
      if (signal?.aborted) throw new EventLogCancelledError({ cause: signal.reason });
      validateAppend(streamId, events, expectedVersion);
      const stream = streams.get(streamId) ?? [];
      const existing = events.map((e) => byId.get(e.id.toLowerCase())).filter((e) => e !== undefined);
      if (existing.length > 0) {
        const ids = existing.map((e) => e.id);
        if (existing.length < events.length)
          throw new EventIdConflictError(streamId, ids, `but ${events.length - existing.length} of the batch are not`);
        const elsewhere = existing.find((e) => e.streamId !== streamId);
        if (elsewhere) throw new EventIdConflictError(streamId, ids, `in stream ${elsewhere.streamId}`);
        const last = existing.reduce((a, b) => (a.streamVersion > b.streamVersion ? a : b));
        return {
          streamId,
          streamVersion: last.streamVersion,
          lastGlobalPosition: Math.max(...existing.map((e) => e.globalPosition)),
          duplicate: true,
        };
      }
      const actual = stream.length;
      const ok = expectedVersion === "any" || (expectedVersion === "no-stream" ? actual === 0 : expectedVersion.exact === actual);
      if (!ok) throw new StreamVersionConflictError(streamId, describeExpected(expectedVersion), actual === 0 ? "no-stream" : actual);
      const recordedAt = new Date();
      for (const event of events) {
        const recorded: RecordedEvent = structuredClone({
          id: event.id.toLowerCase(),
          type: event.type,
          schemaVersion: event.schemaVersion ?? 1,
          streamId,
          streamVersion: stream.length + 1,
          globalPosition: all.length + 1,
          recordedAt,
          data: event.data,
          correlationId: event.metadata.correlationId,
          causationId: event.metadata.causationId,
          actor: { userId: event.metadata.actor.userId, role: event.metadata.actor.role },
          ...(event.metadata.trace ? { trace: { ...event.metadata.trace } } : {}),
        });
        stream.push(recorded);
        all.push(recorded);
        byId.set(recorded.id, recorded);
      }
      streams.set(streamId, stream);
      return { streamId, streamVersion: stream.length, lastGlobalPosition: all.length, duplicate: false } satisfies AppendResult;
    },

    async readStream(streamId: string, options: ReadStreamOptions = {}) {
      validateReadStream(streamId, options);
      const stream = streams.get(streamId) ?? [];
      const backwards = options.direction === "backwards";
      const from = options.fromVersion ?? (backwards ? stream.length : 1);
      const inRange = backwards ? stream.filter((e) => e.streamVersion <= from).reverse() : stream.filter((e) => e.streamVersion >= from);
      const typed = options.types ? inRange.filter((e) => options.types?.includes(e.type)) : inRange;
      return typed.slice(0, options.maxCount ?? typed.length).map(copy);
    },

    async readEvent(eventId: string) {
      const event = byId.get(String(eventId).toLowerCase());
      return event && copy(event);
    },

    async streamVersion(streamId: string) {
      const length = streams.get(streamId)?.length ?? 0;
      return length === 0 ? undefined : length;
    },

    async readAll(options: ReadAllOptions = {}) {
      validateReadAll(options);
      const after = options.after ?? 0;
      if (after > all.length) throw unknownCursor(after);
      const rest = all.slice(after);
      const typed = options.types ? rest.filter((e) => options.types?.includes(e.type)) : rest;
      return typed.slice(0, options.maxCount ?? typed.length).map(copy);
    },

    async close() {},
  };
}

/** SnapshotStore in memory, with the retention rule of SnapshotStore (the same as the PostgreSQL store). */
export function createInMemorySnapshotStore(options: { keepEvery?: number } = {}): SnapshotStore {
  const keepEvery = validateKeepEvery(options.keepEvery ?? DEFAULT_SNAPSHOT_KEEP_EVERY);
  // Per stream, by version.
  const streams = new Map<string, Map<number, Snapshot>>();
  const newest = (streamId: string, version: number, query: SnapshotQuery = {}): Snapshot | undefined => {
    let best: Snapshot | undefined;
    for (const s of streams.get(streamId)?.values() ?? []) {
      if (s.version > version || (query.schemaVersion !== undefined && s.schemaVersion !== query.schemaVersion)) continue;
      if (!best || s.version > best.version) best = s;
    }
    return best && structuredClone(best);
  };
  return {
    keepEvery,
    async save(snapshot) {
      validateSnapshot(snapshot);
      const stored = streams.get(snapshot.streamId) ?? new Map<number, Snapshot>();
      streams.set(snapshot.streamId, stored);
      stored.set(snapshot.version, structuredClone(snapshot));
      const oldestPerSpan = new Map<number, number>();
      for (const s of stored.values()) {
        if (s.schemaVersion !== snapshot.schemaVersion) continue;
        const span = Math.floor(s.version / keepEvery);
        oldestPerSpan.set(span, Math.min(oldestPerSpan.get(span) ?? s.version, s.version));
      }
      for (const s of [...stored.values()]) {
        if (s.schemaVersion < snapshot.schemaVersion) stored.delete(s.version);
        else if (
          s.schemaVersion === snapshot.schemaVersion &&
          s.version < snapshot.version &&
          oldestPerSpan.get(Math.floor(s.version / keepEvery)) !== s.version
        )
          stored.delete(s.version);
      }
    },
    async load<State>(streamId: string, query?: SnapshotQuery) {
      validateSnapshotRead(streamId, Number.MAX_SAFE_INTEGER, query);
      return newest(streamId, Number.MAX_SAFE_INTEGER, query) as Snapshot<State> | undefined;
    },
    async loadAtOrBefore<State>(streamId: string, version: number, query?: SnapshotQuery) {
      validateSnapshotRead(streamId, version, query);
      return newest(streamId, version, query) as Snapshot<State> | undefined;
    },
  };
}
