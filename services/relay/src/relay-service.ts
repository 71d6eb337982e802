import { UnauthenticatedError } from "@dubstage/auth";
import {
  appendChannel,
  createMemoryRelayCheckpointStore,
  createPostgresRelayCheckpointStore,
  createRelay,
  listenForAppends,
  migrateRelaySchema,
  postgresRelayLeadership,
  type Relay,
  type RelayLeadership,
  type SessionEventStreamOptions,
} from "@dubstage/bus-nats";
import type { EventLog } from "@dubstage/event-log";
import { createGrpcServer, type GrpcServer, OVERALL } from "@dubstage/grpc-kit";
import { createSilentLogger, type Logger } from "@dubstage/telemetry";
import type { NatsConnection } from "@nats-io/transport-node";
import type pg from "pg";
import { notReadyReason, type RelayReadiness, servingStatusOf } from "./relay-readiness.ts";

/** The name the relay's readiness is published under in grpc.health.v1, besides the overall "". */
export const RELAY_HEALTH_SERVICE = "dubstage.relay";

export interface RelayServiceDependencies {
  /** The log to relay; only `readAll` is used. */
  readonly eventLog: Pick<EventLog, "readAll">;
  /** Connected with `connectNats` (reconnects forever); the caller closes it after `stop()`. */
  readonly nats: NatsConnection;
  /**
   * PostgreSQL: leadership by advisory lock (standby until it holds it), checkpoints in `dubstage_relay`,
   * LISTEN for append wake-ups, readiness pings. Absent (embedded PGlite, one process owns the database):
   * this relay is always the leader and keeps its checkpoint in memory (it re-syncs from the stream's
   * last message on start anyway).
   */
  readonly pool?: pg.Pool;
  /** @default "dubstage_eventlog" */
  readonly eventLogSchema?: string;
  /** @default "session-events" */
  readonly relayName?: string;
  readonly stream?: SessionEventStreamOptions;
  /** Events per atomic batch publish (NATS 2.12+); 1 publishes each on its own. @default 1 */
  readonly atomicBatchSize?: number;
  /** @default 1000 */
  readonly standbyPollMs?: number;
  /** How often readiness pings PostgreSQL. @default 5000 */
  readonly healthCheckIntervalMs?: number;
  /** Wakes the relay after an append in this process (embedded mode). */
  readonly subscribeToAppends?: (listener: () => void) => () => void;
  /** @default a silent logger */
  readonly logger?: Logger;
}

export interface RelayService {
  readonly relay: Relay;
  readiness(): RelayReadiness;
  /** Calls `listener` whenever readiness changes; returns the unsubscribe. */
  onReadinessChange(listener: (readiness: RelayReadiness) => void): () => void;
  /**
   * A gRPC server with grpc.health.v1 only (the relay has no API): SERVING while ready. Its shutdown
   * runs `stop()` and then `onClosed`.
   */
  serve(options: { port: number; host?: string; onClosed?: () => Promise<void> | void }): Promise<GrpcServer>;
  /** Stops gracefully: in-flight publishes acknowledged, checkpoint stored, leadership released. Idempotent. */
  stop(): Promise<void>;
}

/** Starts relaying at once (as standby until it holds the leadership); see README. */
export async function startRelayService(deps: RelayServiceDependencies): Promise<RelayService> {
  const logger = deps.logger ?? createSilentLogger();
  const relayName = deps.relayName ?? "session-events";
  const { pool } = deps;
  if (pool) await migrateRelaySchema(pool);
  const notifications = pool ? listenForAppends(pool, appendChannel(deps.eventLogSchema)) : undefined;

  let state: Omit<RelayReadiness, "reason"> = {
    nats: deps.nats.isClosed() ? "closed" : "connected",
    database: "reachable",
    role: "stopped",
  };
  const listeners = new Set<(readiness: RelayReadiness) => void>();
  const readiness = (): RelayReadiness => {
    const reason = notReadyReason(state);
    return reason === undefined ? state : { ...state, reason };
  };
  const update = (change: Partial<Omit<RelayReadiness, "reason">>) => {
    const next = { ...state, ...change };
    if (next.nats === state.nats && next.database === state.database && next.role === state.role) return;
    const wasServing = servingStatusOf(state);
    state = next;
    const now = readiness();
    if (servingStatusOf(now) !== wasServing)
      logger.info({ readiness: now }, `relay ${servingStatusOf(now) === "SERVING" ? "ready" : "not ready"}`);
    for (const listener of listeners) listener(now);
  };

  const relay = createRelay({
    eventLog: deps.eventLog,
    nats: deps.nats,
    checkpoints: pool ? createPostgresRelayCheckpointStore(pool) : createMemoryRelayCheckpointStore(),
    tryAcquireLeadership: pool ? postgresRelayLeadership(pool, relayName) : exclusiveLeadership(),
    relayName,
    ...(deps.stream && { stream: deps.stream }),
    standbyPollMs: deps.standbyPollMs ?? 1000,
    ...(deps.atomicBatchSize !== undefined && { atomicBatchSize: deps.atomicBatchSize }),
    ...((notifications || deps.subscribeToAppends) && {
      subscribeToAppends: notifications ? notifications.subscribe : deps.subscribeToAppends,
    }),
    onRoleChange: (role) => {
      logger.info({ role, relay: relayName }, "relay role changed");
      update({ role });
    },
    onError: (error, during) => logger.warn({ err: error, during, relay: relayName }, "relay recovering from a failure"),
  });

  // The status iterator ends when the connection closes.
  void (async () => {
    for await (const status of deps.nats.status()) {
      if (status.type === "disconnect") update({ nats: "disconnected" });
      else if (status.type === "reconnect") update({ nats: "connected" });
      else if (status.type === "close") update({ nats: "closed" });
    }
  })().catch((error: unknown) => logger.warn({ err: error }, "NATS status watch ended"));
  void deps.nats.closed().then(() => update({ nats: "closed" }));

  const ping = async () => {
    if (!pool) return;
    try {
      await pool.query("select 1");
      update({ database: "reachable" });
    } catch (error) {
      logger.warn({ err: error }, "PostgreSQL readiness ping failed");
      update({ database: "unreachable" });
    }
  };
  const pingTimer = pool ? setInterval(ping, deps.healthCheckIntervalMs ?? 5000) : undefined;
  pingTimer?.unref();

  relay.start();

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      clearInterval(pingTimer);
      await relay.stop();
      await notifications?.close();
      logger.info({ relay: relayName, stats: relay.stats() }, "relay stopped");
    })();
    return stopped;
  };

  return {
    relay,
    readiness,
    onReadinessChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async serve(options) {
      const server = await createGrpcServer({
        port: options.port,
        ...(options.host && { host: options.host }),
        services: [],
        auth: { verify: () => Promise.reject(new UnauthenticatedError("missing", "the relay serves no authenticated methods")) },
        reflection: false,
        logger,
      });
      const publish = (now: RelayReadiness) => {
        if (server.state !== "serving") return; // shutdown owns the status from here on
        const status = servingStatusOf(now);
        server.health.setStatus(OVERALL, status);
        server.health.setStatus(RELAY_HEALTH_SERVICE, status);
      };
      publish(readiness());
      listeners.add(publish);
      if (options.onClosed) server.onClose("close dependencies", options.onClosed);
      server.onClose("stop relay", async () => {
        listeners.delete(publish);
        await stop();
      });
      return server;
    },
    stop,
  };
}

/** Leadership when this process alone owns the database (embedded PGlite): always granted. */
function exclusiveLeadership(): () => Promise<RelayLeadership> {
  return async () => {
    const controller = new AbortController();
    return {
      signal: controller.signal,
      async release() {
        controller.abort(new Error("leadership released"));
      },
    };
  };
}
