// Benchmark: a feature reel's turnover through the ingest service into a session on a real PostgreSQL,
// as deployed: the session service is its own process (`services/session/src/main.ts`), the ingest service
// runs in this one, and they talk gRPC. See bench/README.md, "ingest". Measured from StartIngest to the job
// completed and to the session read model caught up: wall seconds, CPU seconds and peak RSS of each
// process (this one: ingest service and reader worker; getrusage / the child's /proc VmHWM).
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createTokenVerifier, exportKeyPairPem, generateKeyPair, mintToken } from "@dubstage/auth";
import { createIngestService } from "@dubstage/ingest";
import type { InspectDocument } from "@dubstage/interchange";
import { FsMediaStore } from "@dubstage/media-store";
import { connectIngestClient, connectSessionClient } from "@dubstage/platform";
import { common, ingestService, sessionService, sessionTimeline } from "@dubstage/proto";
import { freePort, startPostgres, waitFor } from "@dubstage/testing";
import pg from "pg";

const usage = "Usage: node bench/ingest/src/main.ts [--tracks 250] [--clips-per-track 200] [--peer]";
const { values } = parseArgs({
  options: {
    tracks: { type: "string", default: "250" },
    "clips-per-track": { type: "string", default: "200" },
    peer: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  process.stdout.write(`${usage}\n  --peer  also time pyaaf2 walking the same file and following every chain (minutes)\n`);
  process.exit(0);
}
const log = (line: string) => process.stderr.write(`[bench ingest] ${line}\n`);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..");
const SCRIPTS = join(root, "bench", "aaf", "scripts");
const python = process.env.DUBSTAGE_PYTHON;
if (!python || !existsSync(python))
  throw new Error("$DUBSTAGE_PYTHON is not set or missing (source scripts/lib.sh): pyaaf2 writes the reel");

// The reel bench/aaf uses: 250 mono tracks of 200 one-second clips from 5,000 masters, linked media.
const cacheDir = join(root, ".cache", "bench-aaf");
mkdirSync(cacheDir, { recursive: true });
const reel = join(cacheDir, `reel-${values.tracks}x${values["clips-per-track"]}.aaf`);
if (!existsSync(reel)) {
  log(`writing ${reel} with pyaaf2 (once)`);
  const made = spawnSync(
    python,
    [join(SCRIPTS, "make_aaf.py"), "reel", reel, "--tracks", values.tracks, "--clips-per-track", values["clips-per-track"]],
    {
      stdio: "inherit",
    },
  );
  if (made.status !== 0) throw new Error("make_aaf.py reel failed");
}

// Not timed: what the reel's essences are, so the session can hold their (linked) media beforehand, as a
// studio's session holds the production audio when the cut arrives.
// In a child process (`dubstage aaf inspect --json`), so its memory is not counted as the ingest's.
const inspected = spawnSync(process.execPath, [join(root, "services", "cli", "src", "main.ts"), "aaf", "inspect", reel, "--json"], {
  maxBuffer: 1 << 30,
  encoding: "utf8",
});
if (inspected.status !== 0) throw new Error(`aaf inspect failed: ${inspected.stderr}`);
const document = JSON.parse(inspected.stdout) as InspectDocument;
const clips = document.tracks.reduce((n, t) => n + t.items.filter((i) => i.type === "clip").length, 0);
log(`${reel}: ${document.tracks.length} tracks, ${clips} clips, ${document.essences.length} essences`);

const postgres = await startPostgres();
const pool = new pg.Pool({ connectionString: postgres.url, max: 2 });
const schema = `bench_ingest_${Date.now().toString(36)}`;
const mediaDir = await mkdtemp(join(tmpdir(), "dubstage-bench-ingest-"));
const media = new FsMediaStore({ root: mediaDir });
const keys = await generateKeyPair();
const { publicKeyPem } = await exportKeyPairPem(keys);
const auth = createTokenVerifier({ key: keys.verificationKey, issuer: "bench", audience: "bench" });
const token = await mintToken(keys.signingKey, { userId: "bench", role: "supervising_sound_editor", issuer: "bench", audience: "bench" });
const sessionPort = await freePort();
const sessionAddress = `127.0.0.1:${sessionPort}`;
// No S3 for the session process: it checks media keys for their form only (the media live in this
// process's filesystem store); everything else is the container's configuration.
const child = spawn(process.execPath, [join(root, "services", "session", "src", "main.ts")], {
  env: {
    PATH: process.env.PATH ?? "",
    DATABASE_URL: postgres.url,
    EVENT_LOG_SCHEMA: schema,
    SESSION_READ_MODEL_SCHEMA: `${schema}_read`,
    GRPC_HOST: "127.0.0.1",
    GRPC_PORT: String(sessionPort),
    DUBSTAGE_AUTH_PUBLIC_KEY: publicKeyPem,
    DUBSTAGE_AUTH_ISSUER: "bench",
    DUBSTAGE_AUTH_AUDIENCE: "bench",
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "ignore", "inherit"],
});
const sessionProcess = { cpuUsage: () => procStat(child.pid as number), peakRssMb: () => procPeakRssMb(child.pid as number) };
const ingest = createIngestService({ media, sessionAddress, auth });
const ingestServer = await ingest.serve({ port: 0, host: "127.0.0.1" });
const sessions = connectSessionClient(sessionAddress, { token });
const ingestClient = connectIngestClient(`127.0.0.1:${ingestServer.port}`, { token });
await waitFor(
  "session process serving",
  async () => {
    if (child.exitCode !== null) throw new Error(`the session process exited ${child.exitCode}`);
    return sessions.listSessions({ pageSize: 1 }).then(
      () => true,
      () => false,
    );
  },
  60_000,
);

/** The read model's version of the session (ListSessions reads the read model). */
async function readModelVersion(sessionId: string): Promise<number> {
  for (let token = ""; ; ) {
    const page = await sessions.listSessions({ pageSize: 500, pageToken: token });
    const found = page.sessions.find((x) => x.sessionId === sessionId);
    if (found) return Number(found.version);
    if (!page.nextPageToken) return 0;
    token = page.nextPageToken;
  }
}

try {
  log("creating the session and registering the reel's media (not timed)");
  const created = await sessions.createSession({
    name: "Bench reel",
    template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
    frameRate: common.FrameRate.FRAME_RATE_24,
    sampleRate: 48_000,
    startTimecode: "00:00:00:00",
  });
  const sessionId = created.session?.sessionId as string;
  const register: sessionService.Command[] = [];
  for (const essence of document.essences) {
    const stored = await media.put(createHash("sha256").update(essence.name).digest(), { scheme: { kind: "content-addressed" } });
    register.push(
      sessionService.Command.fromPartial({
        registerMedia: {
          media: {
            mediaKey: stored.key,
            // The name the file has on disk: what the AAF's locator points at (relinked by file name).
            fileName: essence.uri ? decodeURIComponent(essence.uri.split("/").at(-1) as string) : essence.name,
            channels: essence.channels,
            sampleRate: essence.sampleRate,
            bitDepth: essence.bitDepth,
            lengthSamples: essence.length,
            origin: sessionTimeline.MediaOrigin.MEDIA_ORIGIN_LINKED,
          },
        },
      }),
    );
  }
  const registered = await sessions.executeCommands(
    sessionService.ExecuteCommandsRequest.fromPartial({ sessionId, commands: register, idempotencyKey: "bench-media" }),
  );
  const before = Number(registered.version);
  const upload = await media.put(await readFile(reel), { scheme: { kind: "id", prefix: "uploads" } });
  await waitFor("read model has the media", async () => (await readModelVersion(sessionId)) >= before, 60_000);

  log("ingesting (timed)");
  const childCpu0 = sessionProcess.cpuUsage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const started = await ingestClient.startIngest({ sourceKey: upload.key, fileName: "reel.aaf", sessionId });
  let job: ingestService.IngestJob | undefined;
  const phaseAt = new Map<string, number>();
  for await (const update of ingestClient.watchIngest(started.jobId)) {
    job = update;
    if (!phaseAt.has(update.phase)) phaseAt.set(update.phase, performance.now() - t0);
  }
  const tJob = performance.now() - t0;
  const target = Number(job?.sessionVersion);
  await waitFor("read model caught up", async () => (await readModelVersion(sessionId)) >= target, 600_000);
  const tCaughtUp = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const rssMb = process.resourceUsage().maxRSS / 1024;
  const childCpuS = sessionProcess.cpuUsage() - childCpu0;
  const childRssMb = sessionProcess.peakRssMb();
  if (job?.state !== ingestService.IngestState.INGEST_STATE_COMPLETED) throw new Error(`the ingest failed: ${job?.error}`);
  if (job.summary?.clips !== clips)
    throw new Error(
      `benchmark step did not do what it claims: ${job.summary?.clips} of ${clips} clips placed; ${JSON.stringify(job.relink.slice(0, 2))} ${JSON.stringify(job.warnings.slice(0, 3))}`,
    );
  const events = Number(job.sessionVersion) - before;

  let peer: { seconds: number } | undefined;
  if (values.peer) {
    log("pyaaf2 walking the same file and following every chain (peer)");
    const p0 = performance.now();
    const walked = spawnSync(python, [join(SCRIPTS, "walk_pyaaf2.py"), "--chains", reel], { stdio: ["ignore", "ignore", "inherit"] });
    if (walked.status !== 0) throw new Error("walk_pyaaf2.py failed");
    peer = { seconds: (performance.now() - p0) / 1000 };
  }

  const s = (ms: number) => (ms / 1000).toFixed(2);
  const phases = [...phaseAt].map(([phase, at]) => `${phase} @${s(at)} s`).join(", ");
  process.stdout.write(
    [
      `## ingest: ${document.tracks.length} tracks, ${clips} clips (${(upload.size / 2 ** 20).toFixed(0)} MiB AAF) into a session on PostgreSQL`,
      "",
      "| step | figure |",
      "| --- | --- |",
      `| StartIngest → job completed (copy, parse+resolve in the worker, relink ${document.essences.length} essences, plan, ${events} events, the result in one batch) | ${s(tJob)} s |`,
      `| … → session read model caught up | ${s(tCaughtUp)} s |`,
      `| ingest process (service + reader worker): CPU | ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s |`,
      `| ingest process: peak RSS | ${rssMb.toFixed(0)} MB |`,
      `| session process (decide, append, read-model projection): CPU | ${childCpuS.toFixed(2)} s |`,
      `| session process: peak RSS | ${childRssMb.toFixed(0)} MB |`,
      `| first seen phases | ${phases} |`,
      ...(peer
        ? [
            `| pyaaf2 walking the same file, every chain followed (peer, parse only) | ${peer.seconds.toFixed(2)} s (${(peer.seconds / (tCaughtUp / 1000)).toFixed(1)}x our whole ingest) |`,
          ]
        : []),
      "",
      "Targets (issue 8): under 10 s, peak RSS under 500 MB.",
      "",
    ].join("\n"),
  );
} finally {
  sessions.close();
  ingestClient.close();
  await ingestServer.shutdown({ deadlineMs: 5000 });
  child.kill("SIGTERM");
  await new Promise((resolve) => child.once("exit", resolve));
  await pool.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_read cascade`).catch(() => {});
  await pool.end();
  await postgres.stop();
  await rm(mediaDir, { recursive: true, force: true });
}

/** user+system CPU seconds of a live process, from /proc/<pid>/stat (clock ticks of 100 Hz). */
function procStat(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Peak resident set of a live process (VmHWM), MB. */
function procPeakRssMb(pid: number): number {
  const line =
    readFileSync(`/proc/${pid}/status`, "utf8")
      .split("\n")
      .find((l) => l.startsWith("VmHWM:")) ?? "VmHWM: 0 kB";
  return Number(line.split(/\s+/)[1]) / 1024;
}
