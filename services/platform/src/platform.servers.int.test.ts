import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BusDelivery } from "@dubstage/bus";
import { connectNats } from "@dubstage/bus-nats";
import { makeEmbeddedAaf, pythonUnavailableReason } from "@dubstage/ingest/fixtures";
import { ingestService, sessionService, sessionTimeline } from "@dubstage/proto";
import { requireEnv, waitFor } from "@dubstage/testing";
import { jetStreamWorkQueueNames } from "@dubstage/work-queue";
import { jetstreamManager } from "@nats-io/jetstream";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectIngestClient } from "./ingest-client.ts";
import { ingestQueueName, loadPlatformConfig } from "./platform-config.ts";
import { connectSessionClient } from "./session-client.ts";
import { type Platform, startPlatform } from "./start-platform.ts";

// The platform on the integration tier's real PostgreSQL, NATS JetStream and MinIO. Schemas, stream,
// subjects and relay name are unique to this run so other suites sharing the servers are not disturbed.
const suffix = randomBytes(4).toString("hex");
const env = {
  DATABASE_URL: requireEnv("DATABASE_URL"),
  NATS_URL: requireEnv("NATS_URL"),
  S3_ENDPOINT: requireEnv("S3_ENDPOINT"),
  S3_ACCESS_KEY: requireEnv("S3_ACCESS_KEY"),
  S3_SECRET_KEY: requireEnv("S3_SECRET_KEY"),
  S3_REGION: requireEnv("S3_REGION"),
  S3_BUCKET: `platform-${suffix}`,
  EVENT_LOG_SCHEMA: `platform_log_${suffix}`,
  SESSION_READ_MODEL_SCHEMA: `platform_rm_${suffix}`,
  RELAY_NAME: `platform-${suffix}`,
  NATS_STREAM: `PLATFORM_${suffix.toUpperCase()}`,
  NATS_SUBJECT_PREFIX: `p${suffix}.session`,
};
let dataDir: string;
let platform: Platform;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "dubstage-platform-servers-"));
  platform = await startPlatform({ env, dataDir, print: () => {} });
});
afterAll(async () => {
  await platform?.close();
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
  for (const schema of [env.EVENT_LOG_SCHEMA, env.SESSION_READ_MODEL_SCHEMA]) await pool.query(`drop schema if exists ${schema} cascade`);
  await pool.query("delete from dubstage_relay.checkpoints where relay_name = $1", [env.RELAY_NAME]).catch(() => {});
  await pool.end();
  const nats = await connectNats(env.NATS_URL, "platform-test-cleanup");
  const jsm = await jetstreamManager(nats);
  const queue = jetStreamWorkQueueNames(ingestQueueName(loadPlatformConfig(env)));
  for (const stream of [env.NATS_STREAM, queue.stream, `KV_${queue.bucket}`]) await jsm.streams.delete(stream).catch(() => {});
  await nats.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe("platform on real servers", () => {
  it("uses PostgreSQL, the JetStream relay and S3", () => {
    expect(platform.mode.database.kind).toBe("postgres");
    expect(platform.mode.database.location).not.toContain(env.DATABASE_URL.match(/:([^:@/]+)@/)?.[1] ?? "\u0000");
    expect(platform.mode.events).toEqual({ kind: "jetstream", stream: env.NATS_STREAM });
    expect(platform.mode.media.kind).toBe("s3");
    expect(platform.services.relay?.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(platform.services.relay?.server.health.getStatus("")).toBe("SERVING");
  });

  it("relays committed session events to JetStream, where the bus delivers them in order", async () => {
    const deliveries: BusDelivery[] = [];
    const subscription = await platform.bus.subscribe({ deliverFrom: { from: "beginning" } }, async (delivery) => {
      deliveries.push(delivery);
    });
    const client = connectSessionClient(platform.sessionAddress, { token: platform.adminToken });
    try {
      const created = await client.createSession({
        name: "Reel 2",
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
        frameRate: 3, // FRAME_RATE_25
        sampleRate: 48000,
        startTimecode: "02:00:00:00",
      });
      const sessionId = created.session?.sessionId as string;
      const command = sessionService.Command.fromPartial({
        addTrack: {
          name: "DX 1",
          trackType: sessionTimeline.TrackType.TRACK_TYPE_DX,
          channelFormat: sessionTimeline.ChannelFormat.CHANNEL_FORMAT_MONO,
        },
      });
      const batch = await client.executeCommands({ sessionId, commands: [command], idempotencyKey: "", returnEvents: false });
      expect(batch.version).toBe(2);
      await waitFor("2 deliveries from JetStream", async () => deliveries.length >= 2, 20_000);
      expect(deliveries.map((d) => [d.sessionId, d.event.type, d.event.streamVersion])).toEqual([
        [sessionId, "SessionCreated", 1],
        [sessionId, "TrackAdded", 2],
      ]);
      // The relay counts a publish when it takes the ack back in order, which can come after JetStream has
      // already delivered the message to the bus subscriber.
      await waitFor("the relay to count both publishes", async () => (platform.relay?.relay.stats().published ?? 0) >= 2, 10_000);
    } finally {
      await subscription.stop();
      client.close();
    }
  });

  it("runs ingest jobs from its own JetStream work queue", async (context) => {
    const reason = pythonUnavailableReason();
    if (reason) {
      console.warn(`[platform.servers] ingest over the JetStream queue skipped: ${reason}`);
      context.skip();
    }
    const path = join(dataDir, "tone.aaf");
    await makeEmbeddedAaf(path, { seconds: 1 });
    const ingest = connectIngestClient(platform.ingestAddress, { token: platform.adminToken });
    try {
      const { key } = await platform.mediaStore.put(await readFile(path), { scheme: { kind: "id", prefix: "uploads" } });
      const started = await ingest.startIngest({
        sourceKey: key,
        fileName: "tone.aaf",
        newSession: ingestService.NewSessionTarget.fromPartial({ name: "Queued on JetStream" }),
      });
      let last: ingestService.IngestJob | undefined;
      for await (const job of ingest.watchIngest(started.jobId)) last = job;
      expect(last?.error).toBe("");
      expect(last?.state).toBe(ingestService.IngestState.INGEST_STATE_COMPLETED);
      // The job went through the platform's queue on NATS, not through memory.
      const nats = await connectNats(env.NATS_URL, "platform-queue-check");
      try {
        const queue = jetStreamWorkQueueNames(ingestQueueName(loadPlatformConfig(env)));
        const jsm = await jetstreamManager(nats);
        expect((await jsm.streams.info(queue.stream)).state.last_seq).toBeGreaterThanOrEqual(1);
        // Acked (and so removed) once the job's outcome is recorded.
        await waitFor("the job's message acked", async () => (await jsm.streams.info(queue.stream)).state.messages === 0, 10_000);
      } finally {
        await nats.close();
      }
    } finally {
      ingest.close();
    }
  });

  it("stores media in the S3 bucket", async () => {
    const bytes = Buffer.from("RIFF....WAVE (not really)");
    const put = await platform.mediaStore.put(bytes, { scheme: { kind: "content-addressed" }, contentType: "audio/wav" });
    expect(put.key).toMatch(/^media\/sha256\//);
    const head = await platform.mediaStore.head(put.key);
    expect(head.size).toBe(bytes.length);
    const chunks: Buffer[] = [];
    for await (const chunk of await platform.mediaStore.get(put.key)) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks)).toEqual(bytes);
  });

  it("mixes: PGlite in memory with the JetStream relay (always leader, checkpoint in memory)", async () => {
    const stream = `PLATFORM_MIX_${suffix.toUpperCase()}`;
    const mixed = await startPlatform({
      env: { NATS_URL: env.NATS_URL, NATS_STREAM: stream, NATS_SUBJECT_PREFIX: `m${suffix}.session`, RELAY_NAME: `mix-${suffix}` },
      inMemory: true,
      print: () => {},
    });
    const deliveries: BusDelivery[] = [];
    try {
      expect(mixed.mode.database.kind).toBe("pglite-memory");
      expect(mixed.mode.events).toEqual({ kind: "jetstream", stream });
      const subscription = await mixed.bus.subscribe({ deliverFrom: { from: "beginning" } }, async (delivery) => {
        deliveries.push(delivery);
      });
      const client = connectSessionClient(mixed.sessionAddress, { token: mixed.adminToken });
      const created = await client.createSession({
        name: "Reel 3",
        template: sessionTimeline.SessionTemplate.SESSION_TEMPLATE_EMPTY,
        frameRate: 3,
        sampleRate: 48000,
        startTimecode: "03:00:00:00",
      });
      await waitFor("the JetStream delivery", async () => deliveries.length === 1, 20_000);
      expect(deliveries[0]?.sessionId).toBe(created.session?.sessionId);
      expect(mixed.relay?.relay.role).toBe("leader");
      await subscription.stop();
      client.close();
    } finally {
      await mixed.close();
      const nats = await connectNats(env.NATS_URL, "platform-test-cleanup");
      await (await jetstreamManager(nats)).streams.delete(stream).catch(() => {});
      await nats.close();
    }
  });
});
