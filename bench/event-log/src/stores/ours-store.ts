import { performance } from "node:perf_hooks";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import pg from "pg";
import type { BenchStore } from "./bench-store.ts";

/**
 * Our PostgreSQL event log as production opens it (default schema, append notifications on), on a pg.Pool
 * of `poolSize` connections.
 */
export async function openOurStore(connectionString: string, poolSize: number): Promise<BenchStore> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  const log = await createPostgresEventLog({ pool });
  return {
    name: "ours",
    async append(streamId, events) {
      await log.append(streamId, events, { expectedVersion: "any" });
    },
    async readAllFromStart({ batchSize, deadline, ids }) {
      // readAllBatches: the catch-up read, which reads the next batch while this one is handled.
      let read = 0;
      for await (const batch of log.readAllBatches({ maxCount: batchSize })) {
        read += batch.length;
        if (ids) for (const event of batch) ids.add(event.id);
        if (performance.now() > deadline) return { read, complete: false };
      }
      return { read, complete: true };
    },
    async countEvents() {
      const result = await pool.query<{ count: string }>(`SELECT count(*) AS count FROM ${log.schema}.events`);
      return Number(result.rows[0]?.count ?? 0);
    },
    async close() {
      await log.close();
      await pool.end();
    },
  };
}
