import { randomBytes } from "node:crypto";
import type { NewEvent } from "@dubstage/event-log";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import { requireEnv } from "@dubstage/testing";
import pg from "pg";
import { createInProcessEventBus } from "./in-process-event-bus.ts";
import { sessionStreamId } from "./session-streams.ts";
import { eventBusContract } from "./testing/event-bus-contract.ts";

// The same contract over the PostgreSQL log, whose `$all` order is commit order rather than numeric
// global-position order (the embedded mode runs the same code on PGlite).
eventBusContract("in-process over the PostgreSQL event log", async () => {
  const pool = new pg.Pool({ connectionString: requireEnv("DATABASE_URL"), max: 6 });
  const schema = `bus_${randomBytes(5).toString("hex")}`;
  const log = await createPostgresEventLog({ pool, schema });
  const bus = createInProcessEventBus({ eventLog: log, pollIntervalMs: 20 });
  return {
    bus,
    async append(sessionId: string, events: readonly NewEvent[]) {
      const streamId = sessionStreamId(sessionId);
      const result = await log.append(streamId, events, { expectedVersion: "any" });
      bus.notify();
      return await log.readStream(streamId, { fromVersion: result.streamVersion - events.length + 1, maxCount: events.length });
    },
    async close() {
      await bus.close();
      await log.close();
      await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.end();
    },
  };
});
