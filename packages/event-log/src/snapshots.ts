import { InvalidEventError, InvalidReadOptionError } from "./errors.ts";
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

/**
 * Snapshots of a stream at several versions, so that a read at an old version folds only a short tail.
 *
 * Retention, per stream and state schema version: the latest snapshot, plus the OLDEST snapshot saved in
 * each span of `keepEvery` versions ([0, N), [N, 2N), ...); a save removes the others below it, and every
 * snapshot of an older state schema version. Saving at each multiple of `keepEvery` (and whenever
 * convenient in between) therefore keeps one snapshot per multiple, and the nearest snapshot at or below
 * any version is fewer than `keepEvery` versions away (fewer than 2 x `keepEvery` if saves skip
 * multiples). Storage grows by one state per `keepEvery` versions.
 */
export interface SnapshotStore {
  /** The span of versions of which one snapshot is kept (see the retention rule above). */
  readonly keepEvery: number;
  /**
   * Stores the snapshot at its version (replacing one saved at the same version), then applies the
   * retention rule. Saving an older snapshot never hides a newer one: loads pick the highest version.
   */
  save(snapshot: Snapshot): Promise<void>;
  /** The stream's newest snapshot (of `schemaVersion`, when given), or undefined. */
  load<State = unknown>(streamId: string, options?: SnapshotQuery): Promise<Snapshot<State> | undefined>;
  /**
   * The newest snapshot whose version is at or below `version` (of `schemaVersion`, when given), or
   * undefined: the starting point to fold the stream as of exactly `version`.
   */
  loadAtOrBefore<State = unknown>(streamId: string, version: number, options?: SnapshotQuery): Promise<Snapshot<State> | undefined>;
}

export interface SnapshotQuery {
  /** Only snapshots of this state schema version. */
  readonly schemaVersion?: number;
}

/** The default of `keepEvery`: one snapshot kept per 100 versions. */
export const DEFAULT_SNAPSHOT_KEEP_EVERY = 100;

export function validateKeepEvery(keepEvery: number): number {
  if (!(Number.isSafeInteger(keepEvery) && keepEvery >= 1)) throw new Error(`snapshot keepEvery must be an integer >= 1, got ${keepEvery}`);
  return keepEvery;
}

/** Checks the arguments of `loadAtOrBefore`. */
export function validateSnapshotRead(streamId: string, version: number, options: SnapshotQuery = {}): void {
  validateStreamId(streamId);
  if (!(Number.isSafeInteger(version) && version >= 0)) {
    throw new InvalidReadOptionError(`version must be an integer >= 0, got ${JSON.stringify(version)}`, "version");
  }
  const schemaVersion = options.schemaVersion;
  if (schemaVersion !== undefined && !(Number.isSafeInteger(schemaVersion) && schemaVersion >= 1)) {
    throw new InvalidReadOptionError(`schemaVersion must be an integer >= 1, got ${JSON.stringify(schemaVersion)}`, "schemaVersion");
  }
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
  /** Fold the stream as of exactly this version (from the nearest snapshot at or below it); latest when omitted. */
  readonly atVersion?: number;
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
  const at = options.atVersion;
  const snapshot =
    at === undefined
      ? await snapshots.load<State>(streamId, { schemaVersion })
      : await snapshots.loadAtOrBefore<State>(streamId, at, { schemaVersion });
  const usable = snapshot?.schemaVersion === schemaVersion ? snapshot : undefined;
  let state = usable ? usable.state : options.initial();
  let version = usable ? usable.version : 0;
  let eventsApplied = 0;
  for (;;) {
    const maxCount = at === undefined ? pageSize : Math.min(pageSize, at - version);
    if (maxCount <= 0) break;
    const page = await log.readStream(streamId, { fromVersion: version + 1, maxCount });
    for (const event of page) {
      state = options.evolve(state, event);
      version = event.streamVersion;
    }
    eventsApplied += page.length;
    if (page.length < maxCount) break;
  }
  return usable ? { state, version, snapshotVersion: usable.version, eventsApplied } : { state, version, eventsApplied };
}
