import type { EventLog, RecordedEvent } from "@dubstage/event-log";
import type { NatsConnection } from "@nats-io/transport-node";
import type { SessionEventStreamOptions } from "../stream-config.ts";
import type { RelayCheckpointStore } from "./relay-checkpoints.ts";

/** Leadership of the relay: while `signal` is not aborted, this process is the only active relay. */
export interface RelayLeadership {
  readonly signal: AbortSignal;
  release(): Promise<void>;
}

export type RelayRole = "stopped" | "standby" | "leader";

/** What JetStream answered for one published event. */
export interface RelayAck {
  readonly streamSequence: number;
  /** `Date.now()` when the acknowledgement was processed. */
  readonly ackedAt: number;
  /** JetStream already had this event id (a republish inside the duplicate window). */
  readonly duplicate: boolean;
}

export interface RelayOptions {
  /** The log to relay; only `readAll` is used. */
  readonly eventLog: Pick<EventLog, "readAll">;
  /** Connect with `connectNats` (reconnects forever); the relay does not close it. */
  readonly nats: NatsConnection;
  readonly checkpoints: RelayCheckpointStore;
  /**
   * Resolves to a leadership when this process may become the active relay, undefined when another
   * one holds it. Use `postgresRelayLeadership(pool, relayName)` (a PostgreSQL session advisory lock).
   */
  readonly tryAcquireLeadership: () => Promise<RelayLeadership | undefined>;
  /** Names the checkpoint row (and, by convention, the lock). @default "session-events" */
  readonly relayName?: string;
  /** The stream to publish to; it must be this event log's stream alone. */
  readonly stream?: SessionEventStreamOptions;
  /** Create/update the stream when becoming leader. @default true */
  readonly ensureStream?: boolean;
  /** Publishes awaiting their acknowledgement at once. @default DEFAULT_MAX_IN_FLIGHT (relay.ts) */
  readonly maxInFlight?: number;
  /**
   * Publish runs of up to this many consecutive events as one atomic batch (NATS 2.12+; the relay turns
   * on the stream's `allow_atomic`): one acknowledgement per batch instead of per event. 1 publishes each
   * event on its own. At most 1000. @default `defaultAtomicBatch(replicas)` (relay.ts): 100 on a replicated
   * stream, 1 on a single server, where nats-server 2.12 handles batches far more slowly than plain publishes.
   */
  readonly atomicBatchSize?: number;
  /** Events per `readAll`; the next batch is read while this one is published. @default 1000 */
  readonly readBatchSize?: number;
  /** Wait for one publish acknowledgement. @default 5000 */
  readonly publishTimeoutMs?: number;
  /** Poll interval of an idle leader when no append notification arrives. @default 50 */
  readonly idlePollMs?: number;
  /** How often a standby tries to take over. @default 1000 */
  readonly standbyPollMs?: number;
  /** Minimum time between checkpoint writes while busy (always written when idle and on stop). @default 250 */
  readonly checkpointIntervalMs?: number;
  /** Backoff after a failure (NATS down, log unreachable), doubling to `maxMs`. @default { initialMs: 100, maxMs: 5000 } */
  readonly retryBackoff?: { readonly initialMs: number; readonly maxMs: number };
  /** Wakes the leader at once after an append (e.g. PostgreSQL LISTEN); returns an unsubscribe. */
  readonly subscribeToAppends?: (listener: () => void) => () => void;
  /** The subject of an event, undefined to skip it. @default session streams only, see README */
  readonly subjectFor?: (event: RecordedEvent) => string | undefined;
  /** Called for every acknowledged event, in global order (for metrics and the benchmark). */
  readonly onPublished?: (event: RecordedEvent, ack: RelayAck) => void;
  /** Called on every failure the relay recovers from by itself. */
  readonly onError?: (error: unknown, during: "leadership" | "relay" | "checkpoint") => void;
  readonly onRoleChange?: (role: RelayRole) => void;
}

export interface RelayStats {
  readonly role: RelayRole;
  /** Events acknowledged by JetStream since start (duplicates included). */
  readonly published: number;
  readonly duplicates: number;
  /** Times the relay re-synchronised with the stream after a failure. */
  readonly recoveries: number;
  /**
   * Cursor of the last event known to be in the stream: it and every event before it in `$all` order
   * (commit order, which is not numeric order across transactions) are acknowledged.
   */
  readonly ackedPosition: number;
  /** The cursor last stored in the checkpoint. */
  readonly checkpointPosition: number;
  readonly lastError: string | undefined;
}
