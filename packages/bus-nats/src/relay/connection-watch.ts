import type { NatsConnection, Status } from "@nats-io/transport-node";

export interface ConnectionListener {
  /** The connection dropped: replies to requests sent on it can no longer arrive. */
  onDisconnect(): void;
  /** The connection is back (on the same or another server). */
  onReconnect(): void;
}

/**
 * Calls `listener` on the connection's disconnect and reconnect events until the returned stop is
 * called. The relay uses it to give up on unacknowledged publishes at once rather than after their
 * timeout, and to end its backoff as soon as NATS answers again.
 */
export function watchConnection(nats: NatsConnection, listener: ConnectionListener): () => void {
  // nats.js returns a queued iterator whose `stop()` unregisters it; the typed interface omits it.
  const statuses = nats.status() as AsyncIterable<Status> & { stop?(): void };
  let stopped = false;
  void (async () => {
    for await (const status of statuses) {
      if (stopped) break;
      if (status.type === "disconnect") listener.onDisconnect();
      else if (status.type === "reconnect") listener.onReconnect();
    }
  })().catch(() => {});
  return () => {
    stopped = true;
    statuses.stop?.();
  };
}
