import type { Role } from "@dubstage/auth";
import type { EventBus } from "@dubstage/bus";
import { type Env, reflectionMode } from "@dubstage/config";
import type { GrpcServer } from "@dubstage/grpc-kit";
import { createIngestService, type IngestJobMessage } from "@dubstage/ingest";
import type { MediaStore } from "@dubstage/media-store";
import type { RelayService } from "@dubstage/relay";
import { type ChunkJob, createRenderService, type RenderJobMessage } from "@dubstage/render";
import { createSessionService } from "@dubstage/session";
import { createSilentLogger, type Logger } from "@dubstage/telemetry";
import { createJetStreamWorkQueue } from "@dubstage/work-queue";
import { type DataDirLock, lockDataDir } from "./data-dir-lock.ts";
import { migratePlatformAsOwner } from "./migrate-as-owner.ts";
import { openAuth } from "./open-auth.ts";
import { type DatabaseKind, openDatabase, type PlatformDatabase, pgliteDirOf } from "./open-database.ts";
import { openEventDelivery, type PlatformEventDelivery } from "./open-event-delivery.ts";
import { mediaDirOf, openMediaStore, type PlatformMedia } from "./open-media-store.ts";
import { ingestQueueName, loadPlatformConfig, renderQueueNames, resolveDataDir } from "./platform-config.ts";

export interface PlatformOptions {
  /** Where DATABASE_URL, NATS_URL, S3_*, DUBSTAGE_DATA_DIR... are read. @default process.env */
  readonly env?: Env;
  /** Overrides DUBSTAGE_DATA_DIR. */
  readonly dataDir?: string;
  /**
   * Nothing on disk (tests, throw-away demos): PGlite in memory, media in a temporary directory removed at
   * close, keys in memory. Servers configured in `env` are still used.
   */
  readonly inMemory?: boolean;
  /** Interface the services listen on. @default "127.0.0.1" */
  readonly host?: string;
  /** SessionService's port. @default 0 (a free port) */
  readonly port?: number;
  /** @default silent */
  readonly logger?: Logger;
  /** Instructions for people (token location, how to mint others, addresses). @default stderr */
  readonly print?: (line: string) => void;
}

/** Which implementation backs each part. */
export interface PlatformMode {
  readonly database: { readonly kind: DatabaseKind; readonly location: string };
  readonly events: { readonly kind: "in-process" | "jetstream"; readonly stream: string | undefined };
  readonly media: { readonly kind: "filesystem" | "s3"; readonly location: string };
}

export interface RunningService {
  /** host:port of its gRPC server (health on every one). */
  readonly address: string;
  readonly server: GrpcServer;
}

export interface Platform {
  readonly mode: PlatformMode;
  /** The data directory in use, undefined in memory. */
  readonly dataDir: string | undefined;
  readonly services: {
    readonly session: RunningService;
    readonly ingest: RunningService;
    readonly render: RunningService;
    readonly relay: RunningService | undefined;
  };
  /** Shorthand for `services.session.address`. */
  readonly sessionAddress: string;
  /** Shorthand for `services.ingest.address`. */
  readonly ingestAddress: string;
  /** Shorthand for `services.render.address`. */
  readonly renderAddress: string;
  /** A token with role `admin` (send as `authorization: Bearer <token>`). */
  readonly adminToken: string;
  readonly adminTokenFile: string | undefined;
  mintToken(userId: string, role: Role, ttlSeconds?: number): Promise<string>;
  /** Committed session events, in-process or from JetStream. */
  readonly bus: EventBus;
  readonly mediaStore: MediaStore;
  /** The relay, when NATS is configured (e.g. `relay.relay.waitUntilCaughtUp()`). */
  readonly relay: RelayService | undefined;
  /** Stops every service (draining calls, ending watches), then closes the bus, NATS, media and database. Idempotent. */
  close(): Promise<void>;
}

/**
 * Starts every Dubstage service in this process, each on its own loopback gRPC port and reached over
 * gRPC like in a deployment: today the session service, and the relay when NATS_URL is set. See README.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<Platform> {
  const config = loadPlatformConfig(options.env ?? process.env);
  const logger = options.logger ?? createSilentLogger();
  const print = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const host = options.host ?? "127.0.0.1";
  const dataDir = options.inMemory ? undefined : (options.dataDir ?? resolveDataDir(config));

  // Undo in reverse on failure or close.
  const closers: { name: string; close: () => Promise<void> }[] = [];
  const closeAll = async () => {
    for (const { name, close } of closers.reverse()) {
      await close().catch((error: unknown) => logger.error({ err: error, part: name }, "platform: closing failed"));
    }
    closers.length = 0;
  };

  try {
    const usesPgliteOnDisk = dataDir !== undefined && !config.DATABASE_URL;
    let lock: DataDirLock | undefined;
    if (usesPgliteOnDisk) {
      lock = await lockDataDir(dataDir);
      closers.push({ name: "data directory lock", close: () => (lock as DataDirLock).release() });
    }

    if (config.DATABASE_URL && config.DATABASE_MIGRATION_URL) {
      // Migrations as the owner; everything below connects as DATABASE_URL's (runtime) role.
      await migratePlatformAsOwner({
        migrationUrl: config.DATABASE_MIGRATION_URL,
        runtimeUrl: config.DATABASE_URL,
        eventLogSchema: config.EVENT_LOG_SCHEMA,
        readModelSchema: config.SESSION_READ_MODEL_SCHEMA,
        relay: config.NATS_URL !== undefined,
      });
    }
    const database: PlatformDatabase = await openDatabase({
      ...(config.DATABASE_URL && { databaseUrl: config.DATABASE_URL }),
      poolMax: config.DATABASE_POOL_MAX,
      ...(usesPgliteOnDisk && { pgliteDir: pgliteDirOf(dataDir) }),
      eventLogSchema: config.EVENT_LOG_SCHEMA,
    });
    closers.push({ name: "database", close: () => database.close() });

    const media: PlatformMedia = await openMediaStore({
      ...(config.S3_ENDPOINT && {
        s3: {
          endpoint: config.S3_ENDPOINT,
          accessKey: config.S3_ACCESS_KEY as string,
          secretKey: config.S3_SECRET_KEY as string,
          bucket: config.S3_BUCKET,
          region: config.S3_REGION,
        },
      }),
      ...(dataDir && { root: mediaDirOf(dataDir) }),
    });
    closers.push({ name: "media store", close: () => media.close() });

    const auth = await openAuth({ dataDir, print });

    const events: PlatformEventDelivery = await openEventDelivery({
      database,
      ...(config.NATS_URL && { natsServers: config.NATS_URL }),
      stream: config.NATS_STREAM,
      subjectPrefix: config.NATS_SUBJECT_PREFIX,
      relayName: config.RELAY_NAME,
      logger,
    });
    closers.push({ name: "event delivery", close: () => events.close() });

    let relay: RunningService | undefined;
    if (events.relay) {
      const server = await events.relay.serve({ port: 0, host });
      relay = { address: `${host}:${server.port}`, server };
      closers.push({ name: "relay", close: async () => void (await server.shutdown({ deadlineMs: 5000 })) });
    }

    const session = await createSessionService({
      eventLog: database.eventLog,
      auth: auth.verifier,
      bus: events.bus,
      media: media.store,
      readModelSchema: config.SESSION_READ_MODEL_SCHEMA,
      logger,
    });
    closers.push({ name: "session service", close: () => session.stop() });
    const sessionServer = await session.serve({ port: options.port ?? 0, host, reflection: reflectionMode(config) });
    const sessionAddress = `${host}:${sessionServer.port}`;
    closers.push({ name: "session server", close: async () => void (await sessionServer.shutdown({ deadlineMs: 5000 })) });

    // The ingest service reaches the session service over gRPC, as in a deployment.
    const queue = events.nats && (await createJetStreamWorkQueue<IngestJobMessage>({ nats: events.nats, name: ingestQueueName(config) }));
    if (queue) closers.push({ name: "ingest job queue", close: () => queue.close() });
    const ingest = createIngestService({
      media: media.store,
      sessionAddress,
      auth: auth.verifier,
      logger,
      ...(queue && { queue: { queue, durable: true } }),
    });
    closers.push({ name: "ingest service", close: () => ingest.stop() });
    const ingestServer = await ingest.serve({ port: 0, host, reflection: reflectionMode(config) });
    const ingestAddress = `${host}:${ingestServer.port}`;
    closers.push({ name: "ingest server", close: async () => void (await ingestServer.shutdown({ deadlineMs: 5000 })) });

    // The render coordinator and one chunk worker, reaching the session service over gRPC; with NATS their
    // jobs wait in JetStream work queues (more workers: `services/render` processes on the same queues).
    const renderQueues = events.nats && {
      renders: await createJetStreamWorkQueue<RenderJobMessage>({ nats: events.nats, name: renderQueueNames(config).renders }),
      chunks: await createJetStreamWorkQueue<ChunkJob>({ nats: events.nats, name: renderQueueNames(config).chunks }),
    };
    if (renderQueues)
      closers.push({
        name: "render job queues",
        close: async () => void (await Promise.all([renderQueues.renders.close(), renderQueues.chunks.close()])),
      });
    const render = createRenderService({
      media: media.store,
      sessionAddress,
      auth: auth.verifier,
      logger,
      ...(renderQueues && { queues: renderQueues }),
    });
    closers.push({ name: "render service", close: () => render.stop() });
    const renderServer = await render.serve({ port: 0, host, reflection: reflectionMode(config) });
    const renderAddress = `${host}:${renderServer.port}`;
    closers.push({ name: "render server", close: async () => void (await renderServer.shutdown({ deadlineMs: 5000 })) });
    await lock?.update({ sessionAddress, ingestAddress, renderAddress });

    const mode: PlatformMode = {
      database: { kind: database.kind, location: database.location },
      events: { kind: events.kind, stream: events.stream },
      media: { kind: media.kind, location: media.location },
    };
    print(
      `[platform] SessionService on ${sessionAddress}, IngestService on ${ingestAddress}, RenderService on ${renderAddress}${relay ? `, relay health on ${relay.address}` : ""}; ` +
        `database ${mode.database.kind} (${mode.database.location}), events ${mode.events.kind}${mode.events.stream ? ` (${mode.events.stream})` : ""}, ` +
        `media ${mode.media.kind} (${mode.media.location})`,
    );
    logger.info({ mode, session: sessionAddress, ingest: ingestAddress, render: renderAddress, relay: relay?.address }, "platform started");

    let closing: Promise<void> | undefined;
    return {
      mode,
      dataDir,
      services: {
        session: { address: sessionAddress, server: sessionServer },
        ingest: { address: ingestAddress, server: ingestServer },
        render: { address: renderAddress, server: renderServer },
        relay,
      },
      sessionAddress,
      ingestAddress,
      renderAddress,
      adminToken: auth.adminToken,
      adminTokenFile: auth.adminTokenFile,
      mintToken: auth.mintToken,
      bus: events.bus,
      mediaStore: media.store,
      relay: events.relay,
      close() {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
