// Benchmark: a feature reel through the session service, over real gRPC on a real PostgreSQL. See
// bench/README.md, "session-scale". Prints a markdown report (or --json); asserts only that each step
// did what it claims (versions, counts), since figures of a step that silently did less would be false.
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import { createTokenVerifier, generateKeyPair, mintToken } from "@dubstage/auth";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import { createClient, MESSAGE_LIMITS, serverStreamCall, unaryCall } from "@dubstage/grpc-kit";
import { sessionService, sessionTimeline } from "@dubstage/proto";
import { createSessionService } from "@dubstage/session";
import { startPostgres } from "@dubstage/testing";
import pg from "pg";
import { measure, percentile, type StepFigures } from "./measure.ts";
import { measureOneTrack, type OneTrackRow } from "./one-track.ts";
import { clipId, clipPosition, gainEdit, ingestCommands, type ReelShape, rippleCommands, SAMPLE_RATE } from "./reel.ts";

const usage = `Usage: node bench/session-scale/src/main.ts [--tracks 250] [--clips-per-track 200] [--edits 20000] [--edit-batch 10] [--json]`;
const { values: args } = parseArgs({
  options: {
    tracks: { type: "string", default: "250" },
    "clips-per-track": { type: "string", default: "200" },
    edits: { type: "string", default: "20000" },
    "edit-batch": { type: "string", default: "10" },
    json: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (args.help) {
  process.stdout.write(`${usage}\n`);
  process.exit(0);
}
const shape: ReelShape = { tracks: Number(args.tracks), clipsPerTrack: Number(args["clips-per-track"]) };
const edits = Number(args.edits);
const editBatch = Number(args["edit-batch"]);
const clips = shape.tracks * shape.clipsPerTrack;
const log = (line: string) => process.stderr.write(`[session-scale] ${line}\n`);
function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(`benchmark step did not do what it claims: ${what}`);
}

const ISSUER = "bench";
const AUDIENCE = "bench";
const SNAPSHOT_EVERY = 500;

log("domain: N clips on one track");
const oneTrack: OneTrackRow[] = measureOneTrack([1_000, 10_000, 50_000]);

log(process.env.DATABASE_URL ? "using DATABASE_URL" : "starting a local PostgreSQL");
const postgres = await startPostgres();
const pool = new pg.Pool({ connectionString: postgres.url, max: 10 });
const schema = `bench_reel_${Date.now().toString(36)}`;
const eventLog = await createPostgresEventLog({ pool, schema });
const keys = await generateKeyPair();
const service = await createSessionService({
  eventLog,
  auth: createTokenVerifier({ key: keys.verificationKey, issuer: ISSUER, audience: AUDIENCE }),
  readModelSchema: `${schema}_read`,
  snapshotEvery: SNAPSHOT_EVERY,
});
const server = await service.serve({ port: 0, host: "127.0.0.1" });
const token = await mintToken(keys.signingKey, { userId: "bench", role: "admin", issuer: ISSUER, audience: AUDIENCE });
const client = createClient(sessionService.SessionServiceClient, `127.0.0.1:${server.port}`, { token, defaultDeadlineMs: 900_000 });
const sessionId = `reel-${Date.now().toString(36)}`;
const steps: StepFigures[] = [];
const extra: Record<string, number> = {};

const execute = (request: Partial<sessionService.ExecuteCommandsRequest>) =>
  unaryCall(client.executeCommands.bind(client), sessionService.ExecuteCommandsRequest.fromPartial({ sessionId, ...request }));

/** Reads the whole session through StreamSession: parts, bytes, clips, and the first clip of the first track. */
async function streamWhole(version?: number) {
  let parts = 0;
  let bytes = 0;
  let clipCount = 0;
  let largest = 0;
  let readVersion = 0;
  let firstPosition: number | undefined;
  const request = sessionService.StreamSessionRequest.fromPartial({ sessionId, ...(version !== undefined && { version }) });
  for await (const part of serverStreamCall(client.streamSession.bind(client), request, { deadline: Date.now() + 900_000 })) {
    const size = sessionService.StreamSessionResponse.encode(part).finish().length;
    parts++;
    bytes += size;
    largest = Math.max(largest, size);
    if (part.header) readVersion = part.header.version;
    if (part.clips) {
      clipCount += part.clips.clips.length;
      if (firstPosition === undefined && part.clips.trackId === "trk-000") firstPosition = part.clips.clips[0]?.position;
    }
  }
  return { parts, bytes, clipCount, largest, version: readVersion, firstPosition };
}

try {
  await unaryCall(
    client.createSession.bind(client),
    sessionService.CreateSessionRequest.fromPartial({
      sessionId,
      name: "Feature reel 1",
      template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
      frameRate: 1, // 23.976
      sampleRate: SAMPLE_RATE,
      startTimecode: "01:00:00:00",
    }),
  );

  const ingest = ingestCommands(shape);
  extra.ingestRequestBytes = sessionService.ExecuteCommandsRequest.encode(
    sessionService.ExecuteCommandsRequest.fromPartial({ sessionId, commands: ingest }),
  ).finish().length;
  log(`ingest: ${ingest.length} commands in one ExecuteCommands (${(extra.ingestRequestBytes / 2 ** 20).toFixed(1)} MiB)`);
  const created = await measure(
    `create: ${shape.tracks} tracks + ${clips} clips, one atomic ExecuteCommands`,
    () => execute({ commands: ingest, idempotencyKey: `${sessionId}/ingest` }),
    (r) =>
      `${r.eventCount} events, versions ${r.firstVersion}-${r.version}; request ${((extra.ingestRequestBytes as number) / 2 ** 20).toFixed(1)} MiB`,
  );
  check(
    created.result.eventCount === shape.tracks + clips && created.result.version === 1 + shape.tracks + clips,
    "ingest recorded every command",
  );
  steps.push(created.figures);
  const afterIngest = created.result.version;

  const full = await measure(
    "read in full: StreamSession (latest, cached state)",
    () => streamWhole(),
    (r) => `${r.parts} messages, ${(r.bytes / 2 ** 20).toFixed(1)} MiB, largest ${(r.largest / 1024).toFixed(0)} KiB, ${r.clipCount} clips`,
  );
  check(full.result.clipCount === clips && full.result.version === afterIngest, "the stream returned every clip at the ingest version");
  steps.push(full.figures);

  const getSession = await measure(
    "GetSession of the whole reel (refused: too large for one message)",
    () =>
      unaryCall(client.getSession.bind(client), { sessionId }).then(
        () => "answered",
        (e: Error) => e.message,
      ),
    (r) => r.slice(0, 110),
  );
  steps.push(getSession.figures);

  log(`edits: ${edits} versions in batches of ${editBatch} gain changes`);
  const batchSeconds: number[] = [];
  let n = 0;
  const edited = await measure(
    `${edits} more versions: ${edits / editBatch} batches of ${editBatch} SetClipGain`,
    async () => {
      let version = afterIngest;
      while (n < edits) {
        const commands = Array.from({ length: editBatch }, () => gainEdit(shape, n++));
        const started = performance.now();
        version = (await execute({ commands })).version;
        batchSeconds.push((performance.now() - started) / 1000);
        if (n % 5000 === 0) log(`  ${n} edits`);
      }
      return version;
    },
    (v) =>
      `now at version ${v}; per batch p50 ${(percentile(batchSeconds, 50) * 1000).toFixed(1)} ms, p99 ${(percentile(batchSeconds, 99) * 1000).toFixed(1)} ms (snapshot saves every ${SNAPSHOT_EVERY} versions included)`,
  );
  check(edited.result === afterIngest + edits, "every edit recorded one version");
  steps.push(edited.figures);

  // An old version: a quarter into the edits, just below a multiple of the snapshot interval (about the
  // longest tail: the snapshot below it was saved by the batch that crossed the previous multiple).
  const belowMultiple = Math.floor((afterIngest + edits / 4) / SNAPSHOT_EVERY) * SNAPSHOT_EVERY + SNAPSHOT_EVERY - 1;
  const oldVersion = belowMultiple < edited.result ? belowMultiple : afterIngest + Math.floor(edits / 4); // short runs
  const nearest = await eventLog.snapshots.loadAtOrBefore(`session-${sessionId}`, oldVersion);
  const startedFrom = nearest?.version ?? 0;
  const old = await measure(
    `read at old version ${oldVersion} (${edited.result - oldVersion} versions back, not cached)`,
    () => streamWhole(oldVersion),
    (r) => `${r.clipCount} clips at version ${r.version}: snapshot at ${startedFrom} + ${oldVersion - startedFrom} events folded`,
  );
  check(old.result.version === oldVersion && old.result.clipCount === clips, "the old version was read whole");
  steps.push(old.figures);

  const latest = await measure(
    "read in full again at the latest version (cached)",
    () => streamWhole(),
    (r) => `${r.clipCount} clips at version ${r.version}`,
  );
  steps.push(latest.figures);

  const ripple = rippleCommands(shape);
  const moved = await measure(
    `move: ${ripple.length} MoveClip in one atomic ExecuteCommands (a ripple on every track)`,
    () => execute({ commands: ripple, idempotencyKey: `${sessionId}/ripple` }),
    (r) => `${r.eventCount} events, versions ${r.firstVersion}-${r.version}`,
  );
  check(moved.result.eventCount === clips, "every clip moved");
  steps.push(moved.figures);

  const afterMove = await streamWhole();
  check(afterMove.firstPosition === clipPosition(0) + SAMPLE_RATE, `${clipId(0, 0)} moved by 1 s`);
} finally {
  client.close();
  await server.shutdown({ deadlineMs: 10_000 });
  await eventLog.close();
  await pool.query(`drop schema if exists ${schema} cascade`).catch(() => {});
  await pool.query(`drop schema if exists ${schema}_read cascade`).catch(() => {});
  await pool.end();
  await postgres.stop();
}

const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim() ?? "unknown"}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB; load ${loadavg()[0]?.toFixed(2)} at end; Node ${process.version}`;
if (args.json) {
  process.stdout.write(
    `${JSON.stringify({ machine, shape, edits, editBatch, messageLimits: MESSAGE_LIMITS, oneTrack, steps, extra }, null, 2)}\n`,
  );
} else {
  const rows = steps.map(
    (s) =>
      `| ${s.step} | ${s.seconds.toFixed(2)} | ${s.cpuSeconds.toFixed(2)} | ${s.peakRssMiB.toFixed(0)} | ${s.heapUsedMiB.toFixed(0)} | ${s.detail} |`,
  );
  process.stdout.write(
    [
      `#### Session at reel scale, ${new Date().toISOString()}`,
      "",
      `- Machine: ${machine}`,
      `- Reel: ${shape.tracks} tracks x ${shape.clipsPerTrack} clips = ${clips} clips; snapshots every ${SNAPSHOT_EVERY} versions; service and client in one process, PostgreSQL in its own`,
      "",
      "| Step | Seconds | Process CPU s | Peak RSS MiB | Heap after MiB | Detail |",
      "| --- | --- | --- | --- | --- | --- |",
      ...rows,
      "",
      "Deciding N PlaceClip on one track (domain only), beside a scan of the track per clip (the check before the index, as a bare loop):",
      "",
      "| Clips on the track | Indexed ms | us per clip | Scan ms | us per clip |",
      "| --- | --- | --- | --- | --- |",
      ...oneTrack.map(
        (r) =>
          `| ${r.clips} | ${r.indexedMs.toFixed(0)} | ${r.indexedUsPerClip.toFixed(1)} | ${r.scanMs.toFixed(0)} | ${r.scanUsPerClip.toFixed(1)} |`,
      ),
      "",
    ].join("\n"),
  );
}
