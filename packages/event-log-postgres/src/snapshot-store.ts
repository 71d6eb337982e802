import {
  DEFAULT_SNAPSHOT_KEEP_EVERY,
  type Snapshot,
  type SnapshotQuery,
  type SnapshotStore,
  validateKeepEvery,
  validateSnapshot,
  validateSnapshotRead,
} from "@dubstage/event-log";
import { CompiledQuery, type Kysely } from "kysely";
import { guarded } from "./pg-errors.ts";
import { sqlFile } from "./sql-files.ts";

interface SnapshotRow {
  version: string | number;
  schema_version: number;
  state: unknown;
}

/** Snapshots per stream and version in `<schema>.snapshots`, with the retention rule of SnapshotStore. */
export function createPostgresSnapshotStore(db: Kysely<unknown>, schema: string, options: { keepEvery?: number } = {}): SnapshotStore {
  const keepEvery = validateKeepEvery(options.keepEvery ?? DEFAULT_SNAPSHOT_KEEP_EVERY);
  const save = sqlFile("queries/snapshot_save.sql", schema);
  const thin = sqlFile("queries/snapshot_thin.sql", schema);
  const loadAtOrBefore = sqlFile("queries/snapshot_load_at_or_before.sql", schema);

  const newest = async <State>(streamId: string, version: number, query: SnapshotQuery = {}) => {
    const { rows } = await guarded("snapshot load", () =>
      db.executeQuery<SnapshotRow>(CompiledQuery.raw(loadAtOrBefore, [streamId, version, query.schemaVersion ?? null])),
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      streamId,
      version: Number(row.version),
      schemaVersion: Number(row.schema_version),
      state: row.state as State,
    } satisfies Snapshot<State>;
  };

  return {
    keepEvery,
    async save(snapshot) {
      validateSnapshot(snapshot);
      const { streamId, version, schemaVersion } = snapshot;
      await guarded("snapshot save", async () => {
        await db.executeQuery(CompiledQuery.raw(save, [streamId, version, schemaVersion, JSON.stringify(snapshot.state)]));
        await db.executeQuery(CompiledQuery.raw(thin, [streamId, version, schemaVersion, keepEvery]));
      });
    },
    async load<State>(streamId: string, query?: SnapshotQuery) {
      validateSnapshotRead(streamId, Number.MAX_SAFE_INTEGER, query);
      return await newest<State>(streamId, Number.MAX_SAFE_INTEGER, query);
    },
    async loadAtOrBefore<State>(streamId: string, version: number, query?: SnapshotQuery) {
      validateSnapshotRead(streamId, version, query);
      return await newest<State>(streamId, version, query);
    },
  };
}
