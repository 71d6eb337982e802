import { InvalidEventError } from "./errors.ts";
import type { EventLog } from "./event-log.ts";
import type { RecordedEvent } from "./types.ts";
import { validateJson, validateStreamId } from "./validation.ts";

/**
 * A stream's folded state as of `version`. `schemaVersion` is the version of the STATE's shape (not of
 * any event's): bump it when `evolve` or the state type changes, and older snapshots are ignored.
 */
export interface Snapshot<State = unknown> {
  readonly streamId: string;
  readonly version: number;
  readonly state: State;
  readonly schemaVersion: number;
}

export interface SnapshotStore {
  /**
   * Stores the snapshot as the stream's latest. A snapshot of the same schema version but older than the
   * stored one is ignored, so racing writers never move a snapshot backwards.
   */
  save(snapshot: Snapshot): Promise<void>;
  /** The stream's latest snapshot, or undefined. */
  load<State = unknown>(streamId: string): Promise<Snapshot<State> | undefined>;
}

export function validateSnapshot(snapshot: Snapshot): void {
  validateStreamId(snapshot.streamId, "snapshot.streamId");
  if (!(Number.isSafeInteger(snapshot.version) && snapshot.version >= 1)) {
    throw new InvalidEventError(`snapshot.version must be an integer >= 1, got ${JSON.stringify(snapshot.version)}`, "snapshot.version");
  }
  if (!(Number.isSafeInteger(snapshot.schemaVersion) && snapshot.schemaVersion >= 1)) {
    throw new InvalidEventError(
      `snapshot.schemaVersion must be an integer >= 1, got ${JSON.stringify(snapshot.schemaVersion)}`,
      "snapshot.schemaVersion",
    );
  }
  validateJson(snapshot.state, "snapshot.state");
}

export interface LoadStateOptions<State> {
  readonly initial: () => State;
  readonly evolve: (state: State, event: RecordedEvent) => State;
  /** Schema version of the state shape; snapshots with another version are ignored. @default 1 */
  readonly schemaVersion?: number;
  /** Events read per page while replaying the tail. @default 1000 */
  readonly pageSize?: number;
}

export interface LoadedState<State> {
  readonly state: State;
  /** The stream version the state reflects; 0 for a stream without events. */
  readonly version: number;
  /** The snapshot version the fold started from, when a usable snapshot was found. */
  readonly snapshotVersion?: number;
  readonly eventsApplied: number;
}

/** Folds a stream's state from its latest usable snapshot plus the events after it (the tail). */
export async function loadState<State>(
  log: EventLog,
  snapshots: SnapshotStore,
  streamId: string,
  options: LoadStateOptions<State>,
): Promise<LoadedState<State>> {
  const schemaVersion = options.schemaVersion ?? 1;
  const pageSize = options.pageSize ?? 1000;
  const snapshot = await snapshots.load<State>(streamId);
  const usable = snapshot?.schemaVersion === schemaVersion ? snapshot : undefined;
  let state = usable ? usable.state : options.initial();
  let version = usable ? usable.version : 0;
  let eventsApplied = 0;
  for (;;) {
    const page = await log.readStream(streamId, { fromVersion: version + 1, maxCount: pageSize });
    for (const event of page) {
      state = options.evolve(state, event);
      version = event.streamVersion;
    }
    eventsApplied += page.length;
    if (page.length < pageSize) break;
  }
  return usable ? { state, version, snapshotVersion: usable.version, eventsApplied } : { state, version, eventsApplied };
}
