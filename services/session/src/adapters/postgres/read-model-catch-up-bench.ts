// Benchmark: how long the read model takes to catch up on one reel-sized atomic batch (250 AddTrack + N
// PlaceClip in one ExecuteCommands). See bench/README.md, "session-scale", "Read model catch-up".
// node services/session/src/adapters/postgres/read-model-catch-up-bench.ts [--clips 50000] [--runs 3]
import { parseArgs } from "node:util";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import { startPostgres } from "@dubstage/testing";
import type { Kysely } from "kysely";
import pg from "pg";
import { createSessionChangeFeed } from "../../app/session-change-feed.ts";
import { createSessionUseCases } from "../../app/session-use-cases.ts";
import type { EditCommand } from "../../domain/index.ts";
import { mediaKeyFor } from "../../domain/test-fixtures.ts";
import { migrateReadModel } from "./read-model-migrations.ts";
import { startReadModelProjection } from "./read-model-projection.ts";
import type { ReadModelDatabase } from "./read-model-schema.ts";
import { createPostgresSessionReadModel } from "./session-read-model.ts";

const { values: args } = parseArgs({ options: { clips: { type: "string", default: "50000" }, runs: { type: "string", default: "3" } } });
const clips = Number(args.clips);
const tracks = 250;
const S = 48_000;
const admin = { actor: { userId: "bench", role: "admin" as const }, correlationId: "bench", causationId: "bench" };

const postgres = await startPostgres();
const pool = new pg.Pool({ connectionString: postgres.url, max: 10 });
const schema = `bench_rm_${Date.now().toString(36)}`;
const log = await createPostgresEventLog({ pool, schema });
const readDb = (log.db as Kysely<ReadModelDatabase>).withSchema(`${schema}_r0`);
await migrateReadModel(log.db, { schema: `${schema}_r0` });
const useCases = createSessionUseCases({
  log,
  snapshots: log.snapshots,
  readModel: createPostgresSessionReadModel(readDb),
  changes: createSessionChangeFeed(),
});
await useCases.createSession(
  { sessionId: "reel", name: "Reel", template: "EMPTY", frameRate: "24", sampleRate: S, startTimecode: "01:00:00:00" },
  admin,
);
const commands: EditCommand[] = [];
for (let t = 0; t < tracks; t++)
  commands.push({ type: "AddTrack", trackId: `t${t}`, name: `T${t}`, trackType: "DX", channelFormat: "MONO" });
for (let c = 0; c < clips; c++) {
  const clipId = `c${c}`;
  const position = 3600 * S + Math.floor(c / tracks) * 6 * S;
  commands.push({
    type: "PlaceClip",
    clip: {
      clipId,
      trackId: `t${c % tracks}`,
      name: clipId,
      position,
      length: 5 * S,
      source: { mediaKey: mediaKeyFor(clipId), sourceOffset: 0, sourceLength: 10 * S, channel: 1 },
    },
  });
}
const appendStarted = performance.now();
await useCases.executeCommands({ sessionId: "reel", commands }, admin);
process.stderr.write(`appended ${commands.length} commands in ${((performance.now() - appendStarted) / 1000).toFixed(2)} s\n`);

for (let run = 1; run <= Number(args.runs); run++) {
  const readSchema = `${schema}_r${run}`;
  await migrateReadModel(log.db, { schema: readSchema });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const projection = startReadModelProjection(log, { schema: readSchema, pollIntervalMs: 50 });
  await projection.caughtUp();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  await projection.stop();
  const db = (log.db as Kysely<ReadModelDatabase>).withSchema(readSchema);
  const row = await db
    .selectFrom("clips")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .executeTakeFirstOrThrow();
  if (Number(row.n) !== clips) throw new Error(`run ${run}: ${row.n} clips in the read model, expected ${clips}`);
  process.stdout.write(
    `run ${run}: caught up on ${commands.length + 1} events in ${seconds.toFixed(2)} s (Node CPU ${((used.user + used.system) / 1e6).toFixed(2)} s)\n`,
  );
}
await log.close();
for (let run = 0; run <= Number(args.runs); run++) await pool.query(`drop schema if exists ${schema}_r${run} cascade`);
await pool.query(`drop schema if exists ${schema} cascade`);
await pool.end();
await postgres.stop();
