import type { EventLog, RecordedEvent, Snapshot, SnapshotStore } from "@dubstage/event-log";
import { isSessionEventType, replay, type SessionEvent, SessionEventApplyError, type SessionState } from "../domain/index.ts";
import { SESSION_SNAPSHOT_READABLE_VERSIONS, type SessionSnapshotState, sessionFromSnapshot } from "./session-snapshot-codec.ts";
import { sessionStreamId } from "./session-stream.ts";

export interface LoadedSession {
  readonly state: SessionState;
  /** The stream version the state reflects; 0 when the session does not exist. */
  readonly version: number;
  /** The snapshot version the fold started from, if one was used. */
  readonly snapshotVersion?: number;
}

/** A recorded event as the domain's { type, data }; a type the domain does not know means a corrupt stream. */
export function toSessionEvent(event: RecordedEvent): SessionEvent {
  if (!isSessionEventType(event.type)) throw new SessionEventApplyError(event.type, `not a session event (stream ${event.streamId})`);
  return { type: event.type, data: event.data } as SessionEvent;
}

const PAGE_SIZE = 1000;

/**
 * The latest folded state of recently used sessions, so that a read or a batch folds only the events
 * recorded since (usually none) instead of loading a snapshot. States are immutable, so sharing is safe.
 * Least recently used sessions are dropped beyond `maxSessions` (a 50,000-clip state is tens of MiB).
 */
export class SessionStateCache {
  readonly #entries = new Map<string, { state: SessionState; version: number }>();
  readonly maxSessions: number;

  constructor(maxSessions = 16) {
    this.maxSessions = maxSessions;
  }

  get(sessionId: string): { state: SessionState; version: number } | undefined {
    const entry = this.#entries.get(sessionId);
    if (entry !== undefined) {
      this.#entries.delete(sessionId);
      this.#entries.set(sessionId, entry);
    }
    return entry;
  }

  /** Keeps the state if it is newer than the one cached. */
  set(sessionId: string, state: SessionState, version: number): void {
    if (state === undefined || this.maxSessions === 0) return;
    const current = this.#entries.get(sessionId);
    if (current !== undefined && current.version >= version) return;
    this.#entries.delete(sessionId);
    this.#entries.set(sessionId, { state, version });
    while (this.#entries.size > this.maxSessions) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Folds a session from its stream, starting from the nearest known state at or below the wanted version:
 * the cached latest state, or the newest snapshot at or below it (snapshots are kept every N versions, so
 * a read at an old version folds fewer than N events: O(tail)), then the events after it, up to
 * `atVersion` or the end of the stream. (The snapshot holds JSON, so @dubstage/event-log's `loadState`,
 * which uses the stored state as is, does not fit the Map-based domain state.)
 */
export async function loadSession(
  log: Pick<EventLog, "readStream">,
  snapshots: SnapshotStore,
  sessionId: string,
  options: { atVersion?: number; signal?: AbortSignal; cache?: SessionStateCache } = {},
): Promise<LoadedSession> {
  const streamId = sessionStreamId(sessionId);
  const target = options.atVersion ?? Number.POSITIVE_INFINITY;
  const cached = options.cache?.get(sessionId);
  let state: SessionState;
  let version = 0;
  let snapshotVersion: number | undefined;
  if (cached !== undefined && cached.version <= target) {
    state = cached.state;
    version = cached.version;
  } else {
    // Saving a snapshot drops the stream's older-shape ones, so the first shape found is the newest there is.
    let snapshot: Snapshot<SessionSnapshotState> | undefined;
    for (const schemaVersion of SESSION_SNAPSHOT_READABLE_VERSIONS) {
      const query = { schemaVersion };
      snapshot = Number.isFinite(target)
        ? await snapshots.loadAtOrBefore<SessionSnapshotState>(streamId, target, query)
        : await snapshots.load<SessionSnapshotState>(streamId, query);
      if (snapshot !== undefined) break;
    }
    if (snapshot !== undefined) {
      state = sessionFromSnapshot(snapshot.state);
      version = snapshot.version;
      snapshotVersion = snapshot.version;
    }
  }
  while (version < target) {
    options.signal?.throwIfAborted();
    const page = await log.readStream(streamId, { fromVersion: version + 1, maxCount: Math.min(PAGE_SIZE, target - version) });
    // One draft per page (replay) rather than evolve per event: evolve copies the state each time.
    if (page.length > 0) state = replay(page.map(toSessionEvent), state);
    const last = page.at(-1);
    if (last !== undefined) version = last.streamVersion;
    if (page.length < PAGE_SIZE) break;
  }
  // Only a read to the end of the stream is the latest state.
  if (options.atVersion === undefined) options.cache?.set(sessionId, state, version);
  return snapshotVersion === undefined ? { state, version } : { state, version, snapshotVersion };
}
