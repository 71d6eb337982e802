import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireEnv, runNodeProcess } from "@dubstage/testing";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";

// The run command's second half, `dubstage demo --json`, as a child process: once on the integration tier's
// real PostgreSQL, NATS JetStream and MinIO, once embedded (no server in the environment) in a temp data dir.
const CLI = fileURLToPath(new URL("../../services/cli/src/main.ts", import.meta.url));

/** The parts of the documented DemoResult these tests read. */
interface DemoResult {
  platform: {
    database: { kind: string };
    events: { kind: string; stream: string | null };
    media: { kind: string };
    relayAddress: string | null;
  };
  media: { key: string; samples: number }[];
  batches: { commands: number; version: number }[];
  session: {
    sessionId: string;
    name: string;
    version: number;
    trackCount: number;
    clipCount: number;
    crossfades: unknown[];
    markers: unknown[];
  };
  events: { version: number; type: string; actor: { userId: string } | null; recordedAt: string | null }[];
  bus: { kind: string; delivered: number; types: string[] };
  ingest: {
    source: string;
    state: string;
    summary: { clips: number; mediaEmbedded: number; mediaMissing: number } | null;
    mediaKeys: string[];
    session: { version: number; clipCount: number } | null;
  } | null;
  ingestSkipped: string | null;
}

const EXPECTED_TYPES = [
  "SessionCreated",
  "TrackAdded",
  ...Array<string>(5).fill("ClipPlaced"),
  "ClipTrimmed",
  "FadeSet",
  "CrossfadeSet",
  "FadeSet",
  "FadeSet",
  ...Array<string>(3).fill("ClipGainSet"),
  "MarkerAdded",
];

const dubstage = (args: string[], env: Record<string, string>) => runNodeProcess(CLI, args, env);

function expectTheDemoTracklay(result: DemoResult): void {
  expect(result.session.name).toMatch(/^Demo reel \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  expect(result.session.trackCount).toBe(30); // the film template's 29 and the added "DX Alts"
  expect(result.session.clipCount).toBe(5);
  expect(result.session.crossfades).toHaveLength(1);
  expect(result.session.markers).toHaveLength(1);
  expect(result.batches.map((b) => [b.commands, b.version])).toEqual([
    [6, 7],
    [9, 16],
  ]);
  expect(result.session.version).toBe(16);
  expect(result.events.map((e) => e.type)).toEqual(EXPECTED_TYPES);
  expect(result.events.map((e) => e.version)).toEqual(EXPECTED_TYPES.map((_, i) => i + 1));
  expect(result.events.every((e) => e.actor?.userId === "local-admin" && e.recordedAt !== null)).toBe(true);
  expect(result.bus).toMatchObject({ delivered: 16, types: EXPECTED_TYPES });
  expect(result.media.map((m) => m.key)).toEqual(result.media.map(() => expect.stringMatching(/^media\/sha256\//)));
  expectTheDemoIngest(result);
}

/** The demo's ingest of a real AAF with embedded audio (corpus file or pyaaf2's), or the reason it could not run. */
function expectTheDemoIngest(result: DemoResult): void {
  if (result.ingest === null) {
    expect(result.ingestSkipped).toMatch(/no corpus file .* and no pyaaf2/);
    console.warn(`[demo e2e] the demo skipped its ingest: ${result.ingestSkipped}`);
    return;
  }
  expect(result.ingest.state).toBe("completed");
  expect(result.ingest.summary).toMatchObject({ mediaEmbedded: 1, mediaMissing: 0 });
  expect(result.ingest.summary?.clips).toBeGreaterThan(0);
  expect(result.ingest.session?.clipCount).toBe(result.ingest.summary?.clips);
  expect(result.ingest.mediaKeys).toEqual([expect.stringMatching(/^media\/sha256\//)]);
}

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "dubstage-e2e-"));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe("dubstage demo", () => {
  it("runs embedded from nothing (PGlite in a fresh data dir), and the session is there for the next command", async () => {
    const env = { DUBSTAGE_DATA_DIR: await tempDir() };
    const run = await dubstage(["demo", "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as DemoResult;
    expect(result.platform).toMatchObject({
      database: { kind: "pglite" },
      events: { kind: "in-process", stream: null },
      media: { kind: "filesystem" },
      relayAddress: null,
    });
    expectTheDemoTracklay(result);
    expect(run.stderr).toContain("mint a token for another person");

    const shown = await dubstage(["session", "show", result.session.sessionId, "--json"], env);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ sessionId: result.session.sessionId, version: 16, clipCount: 5 });
  }, 180_000);

  describe("on real servers", () => {
    const suffix = randomBytes(4).toString("hex");
    const env = {
      DATABASE_URL: requireEnv("DATABASE_URL"),
      NATS_URL: requireEnv("NATS_URL"),
      S3_ENDPOINT: requireEnv("S3_ENDPOINT"),
      S3_ACCESS_KEY: requireEnv("S3_ACCESS_KEY"),
      S3_SECRET_KEY: requireEnv("S3_SECRET_KEY"),
      S3_REGION: requireEnv("S3_REGION"),
      // Isolated from other suites sharing these servers.
      S3_BUCKET: `e2e-demo-${suffix}`,
      EVENT_LOG_SCHEMA: `e2e_demo_log_${suffix}`,
      SESSION_READ_MODEL_SCHEMA: `e2e_demo_rm_${suffix}`,
      RELAY_NAME: `e2e-demo-${suffix}`,
      NATS_STREAM: `E2E_DEMO_${suffix.toUpperCase()}`,
      NATS_SUBJECT_PREFIX: `e2e${suffix}.session`,
    };

    afterAll(async () => {
      const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
      for (const schema of [env.EVENT_LOG_SCHEMA, env.SESSION_READ_MODEL_SCHEMA])
        await pool.query(`drop schema if exists ${schema} cascade`);
      await pool.query("delete from dubstage_relay.checkpoints where relay_name = $1", [env.RELAY_NAME]).catch(() => {});
      await pool.end();
      const nats = await connect({ servers: env.NATS_URL.split(",") });
      await (await jetstreamManager(nats)).streams.delete(env.NATS_STREAM).catch(() => {});
      await nats.close();
    });

    it("uses PostgreSQL, the JetStream relay and S3 when DATABASE_URL, NATS_URL and S3_* are set", async () => {
      const run = await dubstage(["demo", "--json"], { ...env, DUBSTAGE_DATA_DIR: await tempDir() });
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as DemoResult;
      expect(result.platform).toMatchObject({
        database: { kind: "postgres" },
        events: { kind: "jetstream", stream: env.NATS_STREAM },
        media: { kind: "s3" },
        relayAddress: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      });
      expectTheDemoTracklay(result);

      // The events really are in PostgreSQL and JetStream, not only in the process that printed them.
      const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
      const { rows } = await pool.query<{ type: string }>(
        `select type from ${env.EVENT_LOG_SCHEMA}.events where stream_id = $1 order by stream_version`,
        [`session-${result.session.sessionId}`],
      );
      await pool.end();
      expect(rows.map((r) => r.type)).toEqual(EXPECTED_TYPES);
      const nats = await connect({ servers: env.NATS_URL.split(",") });
      const info = await (await jetstreamManager(nats)).streams.info(env.NATS_STREAM);
      await nats.close();
      // The demo session's 16 events, and those of the session its ingest created.
      expect(info.state.messages).toBe(16 + (result.ingest?.session?.version ?? 0));
    }, 180_000);
  });
});
