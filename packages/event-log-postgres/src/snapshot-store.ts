import { type Snapshot, type SnapshotStore, validateSnapshot } from "@dubstage/event-log";
import { type Kysely, sql } from "kysely";
import { guarded } from "./pg-errors.ts";

/** Latest snapshot per stream in `<schema>.snapshots`; an older snapshot of the same state schema never replaces a newer one. */
export function createPostgresSnapshotStore(db: Kysely<unknown>, schema: string): SnapshotStore {
  const table = sql.table(`${schema}.snapshots`);
  return {
    async save(snapshot) {
      validateSnapshot(snapshot);
      await guarded("snapshot save", () =>
        sql`
          insert into ${table} as s (stream_id, version, schema_version, state)
          values (${snapshot.streamId}, ${snapshot.version}::bigint, ${snapshot.schemaVersion}, ${JSON.stringify(snapshot.state)}::jsonb)
          on conflict (stream_id) do update
            set version = excluded.version, schema_version = excluded.schema_version, state = excluded.state, saved_at = now()
            where s.schema_version <> excluded.schema_version or s.version <= excluded.version`.execute(db),
      );
    },
    async load<State>(streamId: string) {
      const { rows } = await guarded("snapshot load", () =>
        sql<{ version: string | number; schema_version: number; state: State }>`
          select version, schema_version, state from ${table} where stream_id = ${streamId}`.execute(db),
      );
      const row = rows[0];
      return row
        ? ({
            streamId,
            version: Number(row.version),
            schemaVersion: Number(row.schema_version),
            state: row.state,
          } satisfies Snapshot<State>)
        : undefined;
    },
  };
}
