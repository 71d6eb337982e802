import { createInProcessEventBus, type EventBus } from "@dubstage/bus";
import { appendChannel, connectNats, createNatsEventBus, ensureSessionEventStream, listenForAppends } from "@dubstage/bus-nats";
import { redactUrl } from "@dubstage/config";
import { type RelayService, startRelayService } from "@dubstage/relay";
import type { Logger } from "@dubstage/telemetry";
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import type { PlatformDatabase } from "./open-database.ts";

export interface PlatformEventDelivery {
  readonly kind: "in-process" | "jetstream";
  /** The JetStream stream, when `jetstream`. */
  readonly stream: string | undefined;
  readonly bus: EventBus;
  /** The relay (log → JetStream), when `jetstream`; not yet serving gRPC. */
  readonly relay: RelayService | undefined;
  /** The NATS connection, when `jetstream` (closed by `close`). */
  readonly nats: NatsConnection | undefined;
  /** Stops the relay (if its server did not already), the bus, and NATS. */
  close(): Promise<void>;
}

export interface EventDeliveryOptions {
  readonly database: PlatformDatabase;
  /** NATS servers; absent means the in-process bus. */
  readonly natsServers?: readonly string[];
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly relayName: string;
  readonly logger: Logger;
  /** How long to wait for NATS at start. @default 15000 */
  readonly natsConnectTimeoutMs?: number;
}

/**
 * How committed events reach subscribers: the in-process bus following the log (embedded), or the relay
 * copying the log to JetStream and a JetStream bus (NATS configured).
 */
export async function openEventDelivery(options: EventDeliveryOptions): Promise<PlatformEventDelivery> {
  const { database, logger } = options;
  const channel = appendChannel(database.eventLog.schema);
  const appendWakeUps = await wakeOnAppends(database, channel);

  if (!options.natsServers) {
    const bus = createInProcessEventBus({
      eventLog: database.eventLog,
      pollIntervalMs: 1000, // appends in this process wake it at once; the poll only covers a lost wake-up
      onError: (error) => logger.warn({ err: error }, "in-process bus: reading the log failed; retrying"),
    });
    const unsubscribe = appendWakeUps.subscribe(() => bus.notify());
    return {
      kind: "in-process",
      stream: undefined,
      bus,
      relay: undefined,
      nats: undefined,
      async close() {
        unsubscribe();
        await bus.close();
        await appendWakeUps.close();
      },
    };
  }

  const servers = [...options.natsServers];
  const nats = await connectWithin(servers, options.natsConnectTimeoutMs ?? 15_000);
  try {
    const stream = { name: options.stream, subjectPrefix: options.subjectPrefix };
    // Subscribers may attach before the relay becomes leader (it creates the stream then): create it now.
    await ensureSessionEventStream(await jetstreamManager(nats), stream);
    const relay = await startRelayService({
      eventLog: database.eventLog,
      nats,
      ...(database.pool && { pool: database.pool }),
      eventLogSchema: database.eventLog.schema,
      relayName: options.relayName,
      stream,
      ...(!database.pool && { subscribeToAppends: appendWakeUps.subscribe }),
      logger,
    });
    const bus = createNatsEventBus({
      nats,
      stream: options.stream,
      subjectPrefix: options.subjectPrefix,
      onError: (error) => logger.warn({ err: error }, "JetStream bus: a subscription is recovering"),
    });
    return {
      kind: "jetstream",
      stream: options.stream,
      bus,
      relay,
      nats,
      async close() {
        await bus.close();
        await relay.stop();
        await nats.close();
        await appendWakeUps.close();
      },
    };
  } catch (error) {
    await nats.close().catch(() => {});
    await appendWakeUps.close();
    throw error;
  }
}

interface AppendWakeUps {
  subscribe(listener: () => void): () => void;
  close(): Promise<void>;
}

/** Calls listeners after each append commits: PostgreSQL LISTEN, or PGlite's in-process notifications. */
async function wakeOnAppends(database: PlatformDatabase, channel: string): Promise<AppendWakeUps> {
  if (database.pool) return listenForAppends(database.pool, channel);
  const listeners = new Set<() => void>();
  const pglite = database.pglite;
  const unlisten = pglite
    ? await pglite.listen(channel, () => {
        for (const listener of listeners) listener();
      })
    : undefined;
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      if (pglite && !pglite.closed) await unlisten?.();
    },
  };
}

async function connectWithin(servers: string[], timeoutMs: number): Promise<NatsConnection> {
  let timer: NodeJS.Timeout | undefined;
  let timedOut = false;
  const connecting = connectNats(servers, `dubstage-platform-${process.pid}`);
  // connectNats retries forever: close a connection that only comes up after we gave up on it.
  connecting.then(
    (late) => (timedOut ? late.close() : undefined),
    () => {},
  );
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new Error(`NATS at ${servers.map(redactUrl).join(", ")} did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([connecting, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
