import { connect, type NatsConnection } from "@nats-io/transport-node";

/**
 * Connects for the relay and consumers: reconnects forever (a relay must outlive any NATS outage),
 * waits for the first connection, and skips per-request stack capture (costly at relay rates).
 */
export async function connectNats(servers: string | string[], name: string): Promise<NatsConnection> {
  return await connect({
    servers,
    name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
    waitOnFirstConnect: true,
    noAsyncTraces: true,
    pingInterval: 10_000,
  });
}
