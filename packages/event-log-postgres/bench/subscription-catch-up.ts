// Catch-up of a subscription into a trivial read model (one upsert per event), three fresh consumers.
// Run: node bench/subscription-catch-up.ts (DATABASE_URL, else a local server is started);
// OPTS='{"maxBatchSize":1}' passes subscribe options (maxBatchSize 1 = one transaction per event).
import { randomBytes } from "node:crypto";
import { newTestEvents, testStreamId } from "@dubstage/event-log/testing";
import { startPostgres } from "@dubstage/testing";
import { sql } from "kysely";
import pg from "pg";
import { createPostgresEventLog } from "../src/index.ts";

const total = 5000;
const server = await startPostgres();
const pool = new pg.Pool({ connectionString: server.url, max: 6 });
const schema = `bench_${randomBytes(4).toString("hex")}`;
const log = await createPostgresEventLog({ pool, schema });
const options = process.env.OPTS ? JSON.parse(process.env.OPTS) : {};
try {
  await pool.query(`create table ${schema}.rm (id uuid primary key, n int)`);
  for (let i = 0; i < total / 500; i++) await log.append(testStreamId(), newTestEvents(500), { expectedVersion: "no-stream" });
  for (const round of [1, 2, 3]) {
    const started = performance.now();
    const sub = log.subscribe(
      `c${round}`,
      async (event, { transaction }) => {
        await sql`insert into ${sql.table(`${schema}.rm`)} (id, n) values (${event.id}::uuid, 1)
          on conflict (id) do update set n = rm.n + 1`.execute(transaction);
      },
      options,
    );
    await sub.caughtUp();
    const ms = performance.now() - started;
    await sub.stop();
    console.log(`round ${round}: ${total} events in ${ms.toFixed(0)} ms (${((ms * 1000) / total).toFixed(0)} us/event)`);
  }
} finally {
  await log.close();
  await pool.query(`drop schema ${schema} cascade`);
  await pool.end();
  await server.stop();
}
