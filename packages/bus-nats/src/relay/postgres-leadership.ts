import { type LockPool, tryAcquireLeadership } from "@dubstage/event-log-postgres";
import type { RelayLeadership } from "./relay-options.ts";

/** The advisory-lock key of a relay name (hashed by PostgreSQL into its 64-bit key space). */
export function relayLockKey(relayName: string): string {
  return `bus-nats.relay:${relayName}`;
}

/**
 * Leadership through a PostgreSQL session advisory lock held on a dedicated pooled connection:
 * exactly one process per relay name holds it; PostgreSQL frees it the moment that connection ends
 * (process crash, SIGKILL, network loss), and a standby's next attempt takes over.
 */
export function postgresRelayLeadership(pool: LockPool, relayName = "session-events"): () => Promise<RelayLeadership | undefined> {
  const key = relayLockKey(relayName);
  return () => tryAcquireLeadership(pool, key);
}
