import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import {
  appendChannel,
  connectNats,
  createPostgresRelayCheckpointStore,
  createRelay,
  defaultAtomicBatch,
  listenForAppends,
  migrateRelaySchema,
  postgresRelayLeadership,
} from "@dubstage/bus-nats";
import type { NewEvent } from "@dubstage/event-log";
import { createPostgresEventLog } from "@dubstage/event-log-postgres";
import { jetstreamManager } from "@nats-io/jetstream";
import pg from "pg";
import { eventBatch } from "./events.ts";
import { summarise } from "./latency.ts";
import { clockTicksPerSecond, processCpuMicros } from "./server-cpu.ts";

/** The NATS the relay publishes to: how an acknowledgement is made durable. */
export const relayNatsSetups = ["default", "sync-always", "cluster-r3"] as const;
export type RelayNatsSetup = (typeof relayNatsSetups)[number];

export const relaySetupLabels: Record<RelayNatsSetup, string> = {
  default: "1 server, default sync (not durable: fsync every 2 min)",
  "sync-always": "1 server, sync_interval: always (fsync before each ack)",
  "cluster-r3": "3-server cluster, R3 stream (ack = quorum of 2 stored)",
};

export interface RelayResult {
  readonly setup: RelayNatsSetup;
  readonly replicas: number;
  /** Events per atomic batch publish (1: plain pipelined publishes). */
  readonly atomicBatch: number;
  /** Backlog drain: events committed before the relay started, until JetStream acknowledged the last. */
  readonly backlog: {
    readonly events: number;
    readonly seconds: number;
    readonly eventsPerSecond: number;
    /**
     * CPU time (user + system) of this process per event during the drain, where only the relay runs: its
     * own cost (reading and decoding $all included), which other load on the machine skews far less than
     * events/s.
     */
    readonly cpuMicrosPerEvent: number;
    /** CPU time of the nats-server processes per event during the drain (all nodes), when they run here. */
    readonly natsCpuMicrosPerEvent: number | undefined;
  };
  /** Live: the relay runs while writers append; lag = JetStream ack time - the moment the append returned. */
  readonly live: {
    readonly events: number;
    readonly seconds: number;
    readonly eventsPerSecond: number;
    readonly writers: number;
    readonly eventsPerAppend: number;
    readonly p50LagMs: number;
    readonly p99LagMs: number;
    readonly maxLagMs: number;
  };
}

interface RelayBenchOptions {
  readonly setup: RelayNatsSetup;
  readonly databaseUrl: string;
  readonly natsServers: string | readonly string[];
  /** Process ids of the nats-servers, when they run on this machine. */
  readonly natsPids: readonly number[];
  readonly replicas: number;
  /** undefined: the relay's default for the stream's replicas. */
  readonly atomicBatch: number | undefined;
  readonly poolSize: number;
  readonly events: number;
  readonly streamIds: readonly string[];
}

const WRITERS = 8;
const EVENTS_PER_APPEND = 10;

/** Appends `total` events with 8 writers x 10 events; calls `onCommitted` with each batch when its append returns. */
async function appendEvents(
  append: (streamId: string, events: NewEvent[]) => Promise<unknown>,
  streamIds: readonly string[],
  total: number,
  onCommitted: (events: readonly NewEvent[], at: number) => void,
): Promise<void> {
  let remaining = Math.ceil(total / EVENTS_PER_APPEND);
  let sequence = 0;
  const writer = async () => {
    while (remaining > 0) {
      remaining -= 1;
      const events = eventBatch(EVENTS_PER_APPEND, sequence);
      sequence += EVENTS_PER_APPEND;
      await append(streamIds[Math.floor(Math.random() * streamIds.length)] as string, events);
      onCommitted(events, Date.now());
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, writer));
}

async function waitUntil(what: string, done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!done()) {
    if (performance.now() > deadline) throw new Error(`relay benchmark: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Measures the bus-nats relay from our event log to JetStream, on its own event-log schema, JetStream
 * stream and relay name (so a shared NATS is not disturbed and the relay sees only these events).
 */
export async function runRelayBench(options: RelayBenchOptions): Promise<RelayResult> {
  const suffix = randomBytes(4).toString("hex");
  const schema = `bench_relay_${suffix}`;
  const relayName = `bench-${suffix}`;
  const stream = {
    name: `DUBSTAGE_BENCH_${suffix.toUpperCase()}`,
    subjectPrefix: `bench${suffix}.session`,
    replicas: options.replicas,
  };
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize });
  const eventLog = await createPostgresEventLog({ pool, schema });
  await migrateRelaySchema(pool);
  const nats = await connectNats(
    [...(typeof options.natsServers === "string" ? [options.natsServers] : options.natsServers)],
    `bench-event-log-${suffix}`,
  );
  const ticks = clockTicksPerSecond();
  const natsCpu = () => {
    let total = 0;
    for (const pid of options.natsPids) {
      const micros = processCpuMicros(pid, ticks);
      if (micros === undefined) return undefined;
      total += micros;
    }
    return options.natsPids.length > 0 ? total : undefined;
  };
  const notifications = listenForAppends(pool, appendChannel(schema));
  const append = (streamId: string, events: NewEvent[]) => eventLog.append(streamId, events, { expectedVersion: "any" });
  const committedAt = new Map<string, number>();
  const ackedAt = new Map<string, number>();
  let acked = 0;
  let lastAckAt = 0;
  let live = false;
  const relay = createRelay({
    eventLog,
    nats,
    checkpoints: createPostgresRelayCheckpointStore(pool),
    tryAcquireLeadership: postgresRelayLeadership(pool, relayName),
    relayName,
    stream,
    ...(options.atomicBatch !== undefined && { atomicBatchSize: options.atomicBatch }),
    subscribeToAppends: notifications.subscribe,
    onPublished(event, ack) {
      acked += 1;
      lastAckAt = ack.ackedAt;
      if (live) ackedAt.set(event.id, ack.ackedAt);
    },
  });
  try {
    // Backlog: commit everything first, then time the relay from start to the last acknowledgement.
    await appendEvents(append, options.streamIds, options.events, () => {});
    const backlogEvents = Number((await pool.query<{ n: string }>(`select count(*) as n from ${schema}.events`)).rows[0]?.n);
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const natsCpuAtStart = natsCpu();
    relay.start();
    await waitUntil(`${backlogEvents} backlog events to be acknowledged`, () => acked >= backlogEvents, 120_000);
    const backlogSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuAtStart);
    const natsCpuAtEnd = natsCpu();

    // Live: the relay is caught up and idle; writers append while it runs.
    acked = 0;
    live = true;
    const liveStartedAt = Date.now();
    await appendEvents(append, options.streamIds, options.events, (events, at) => {
      for (const event of events) committedAt.set(event.id, at);
    });
    await waitUntil(`${committedAt.size} live events to be acknowledged`, () => acked >= committedAt.size, 120_000);
    const liveSeconds = (lastAckAt - liveStartedAt) / 1000;
    // Paired after the run: an ack may in principle be seen before its writer resumes after the commit.
    const lags = [...committedAt].map(([id, at]) => {
      const ack = ackedAt.get(id);
      if (ack === undefined) throw new Error(`relay benchmark: event ${id} was committed but never acknowledged by JetStream`);
      return ack - at;
    });
    const lag = summarise(lags);
    return {
      setup: options.setup,
      replicas: options.replicas,
      atomicBatch: options.atomicBatch ?? defaultAtomicBatch(options.replicas),
      backlog: {
        events: backlogEvents,
        seconds: backlogSeconds,
        eventsPerSecond: backlogEvents / backlogSeconds,
        cpuMicrosPerEvent: (cpu.user + cpu.system) / backlogEvents,
        natsCpuMicrosPerEvent:
          natsCpuAtStart === undefined || natsCpuAtEnd === undefined ? undefined : (natsCpuAtEnd - natsCpuAtStart) / backlogEvents,
      },
      live: {
        events: committedAt.size,
        seconds: liveSeconds,
        eventsPerSecond: committedAt.size / liveSeconds,
        writers: WRITERS,
        eventsPerAppend: EVENTS_PER_APPEND,
        p50LagMs: lag.p50Ms,
        p99LagMs: lag.p99Ms,
        maxLagMs: lag.maxMs,
      },
    };
  } finally {
    await relay.stop().catch(() => {});
    await notifications.close();
    const jsm = await jetstreamManager(nats).catch(() => undefined);
    await jsm?.streams.delete(stream.name).catch(() => {});
    await nats.close();
    await eventLog.close();
    await pool.end();
  }
}
