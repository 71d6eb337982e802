import { performance } from "node:perf_hooks";
import type { NewEvent } from "@dubstage/event-log";
import { dumbo } from "@event-driven-io/dumbo";
import { type Event, NO_CONCURRENCY_CHECK } from "@event-driven-io/emmett";
import { getPostgreSQLEventStore, readMessagesBatch } from "@event-driven-io/emmett-postgresql";
import pg from "pg";
import type { BenchStore } from "./bench-store.ts";

type EmmettEvent = Event<string, Record<string, unknown>, Record<string, unknown>>;

/** Emmett keeps the event id in metadata.messageId; the rest of our envelope rides beside it. */
function toEmmettEvent(event: NewEvent): EmmettEvent {
  return {
    type: event.type,
    data: event.data as Record<string, unknown>,
    metadata: {
      messageId: event.id,
      correlationId: event.metadata.correlationId,
      causationId: event.metadata.causationId,
      actor: event.metadata.actor,
    },
  };
}

/**
 * Emmett's PostgreSQL event store through its public API, on a pg.Pool of `poolSize` connections that
 * we own (so both stores get the same number). Its schema is migrated before the first measurement.
 */
export async function openEmmettStore(connectionString: string, poolSize: number): Promise<BenchStore> {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  const store = getPostgreSQLEventStore(connectionString, { connectionOptions: { pool } });
  await store.schema.migrate();
  const reader = dumbo({ connectionString, pool });
  return {
    name: "emmett",
    async append(streamId, events) {
      await store.appendToStream(streamId, events.map(toEmmettEvent), { expectedStreamVersion: NO_CONCURRENCY_CHECK });
    },
    async readAllFromStart({ batchSize, deadline, ids }) {
      let after = 0n;
      let read = 0;
      for (;;) {
        const batch = await readMessagesBatch(reader.execute, { after, batchSize });
        read += batch.messages.length;
        if (ids) for (const message of batch.messages) ids.add(message.metadata.messageId);
        if (batch.messages.length === 0) return { read, complete: true };
        if (performance.now() > deadline) return { read, complete: false };
        after = batch.currentGlobalPosition;
      }
    },
    async countEvents() {
      const result = await pool.query<{ count: string }>("SELECT count(*) AS count FROM emt_messages");
      return Number(result.rows[0]?.count ?? 0);
    },
    async close() {
      await store.close();
      await pool.end();
    },
  };
}
