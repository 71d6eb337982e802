import type { EventLog, RecordedEvent, SnapshotStore } from "@dubstage/event-log";
import { isSessionEventType, replay, type SessionEvent, SessionEventApplyError, type SessionState } from "../domain/index.ts";
import { SESSION_SNAPSHOT_SCHEMA_VERSION, type SessionSnapshotState, sessionFromSnapshot } from "./session-snapshot-codec.ts";
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
 * Folds a session from its stream: the latest snapshot no newer than the wanted version (the snapshot
 * holds JSON, so @dubstage/event-log's `loadState`, which uses the stored state as is, does not fit the
 * Map-based domain state), then the events after it, up to `atVersion` or the end of the stream.
 */
export async function loadSession(
  log: Pick<EventLog, "readStream">,
  snapshots: SnapshotStore,
  sessionId: string,
  options: { atVersion?: number; signal?: AbortSignal } = {},
): Promise<LoadedSession> {
  const streamId = sessionStreamId(sessionId);
  const target = options.atVersion ?? Number.POSITIVE_INFINITY;
  const snapshot = await snapshots.load<SessionSnapshotState>(streamId);
  const usable = snapshot?.schemaVersion === SESSION_SNAPSHOT_SCHEMA_VERSION && snapshot.version <= target ? snapshot : undefined;
  let state: SessionState = usable ? sessionFromSnapshot(usable.state) : undefined;
  let version = usable ? usable.version : 0;
  while (version < target) {
    options.signal?.throwIfAborted();
    const page = await log.readStream(streamId, { fromVersion: version + 1, maxCount: Math.min(PAGE_SIZE, target - version) });
    // One draft per page (replay) rather than evolve per event: evolve copies the state each time.
    state = replay(page.map(toSessionEvent), state);
    const last = page.at(-1);
    if (last !== undefined) version = last.streamVersion;
    if (page.length < PAGE_SIZE) break;
  }
  return usable ? { state, version, snapshotVersion: usable.version } : { state, version };
}
