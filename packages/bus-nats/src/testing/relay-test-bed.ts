import { randomBytes, randomUUID } from "node:crypto";
import type { AppendResult, NewEvent } from "@dubstage/event-log";
import { createPostgresEventLog, type PostgresEventLog } from "@dubstage/event-log-postgres";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/transport-node";
import pg from "pg";
import { connectNats } from "../connect.ts";
import { EventHeaders, globalPositionFromHeaders } from "../event-message.ts";
import { type AppendNotifications, appendChannel, listenForAppends } from "../relay/append-notifications.ts";
import { postgresRelayLeadership } from "../relay/postgres-leadership.ts";
import { createRelay, type Relay } from "../relay/relay.ts";
import { createPostgresRelayCheckpointStore, migrateRelaySchema } from "../relay/relay-checkpoints.ts";
import type { RelayOptions } from "../relay/relay-options.ts";
import type { SessionEventStreamOptions } from "../stream-config.ts";

/** One relay setup isolated from other suites: its own event-log schema, stream, subjects and relay name. */
export interface RelayTestBed {
  readonly pool: pg.Pool;
  readonly eventLog: PostgresEventLog;
  readonly nats: NatsConnection;
  readonly natsUrl: string;
  readonly databaseUrl: string;
  readonly schema: string;
  readonly relayName: string;
  readonly stream: Required<Pick<SessionEventStreamOptions, "name" | "subjectPrefix">>;
  readonly notifications: AppendNotifications;
  /** A relay on this bed (not started), with PostgreSQL checkpoints and leadership. */
  newRelay(overrides?: Partial<RelayOptions>): Relay;
  /** Appends `count` events to `session-<sessionId>`. */
  append(sessionId: string, count: number, type?: string): Promise<AppendResult>;
  /** Every message in the stream, in stream order: its msg id and stamped global position. */
  streamMessages(): Promise<{ msgId: string; globalPosition: number | undefined; seq: number }[]>;
  /** The relay's stored checkpoint. */
  storedCheckpoint(): Promise<number | undefined>;
  /** Environment for `relay-process.ts`. */
  childEnv(): Record<string, string>;
  close(): Promise<void>;
}

export function testEvent(type: string, n: number): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { n },
    metadata: { correlationId: `corr-${n}`, causationId: `cause-${n}`, actor: { userId: "relay-test", role: "system" } },
  };
}

export async function createRelayTestBed(options: { databaseUrl: string; natsUrl: string }): Promise<RelayTestBed> {
  const suffix = randomBytes(5).toString("hex");
  const schema = `busnats_${suffix}`;
  const relayName = `test-${suffix}`;
  const stream = { name: `DUBSTAGE_TEST_${suffix.toUpperCase()}`, subjectPrefix: `t${suffix}.session` };
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 12 });
  pool.on("error", () => {});
  const eventLog = await createPostgresEventLog({ pool, schema });
  await migrateRelaySchema(pool);
  const nats = await connectNats(options.natsUrl, `bus-nats-test-${suffix}`);
  const notifications = listenForAppends(pool, appendChannel(schema));
  const checkpoints = createPostgresRelayCheckpointStore(pool);
  const relays: Relay[] = [];

  return {
    pool,
    eventLog,
    nats,
    natsUrl: options.natsUrl,
    databaseUrl: options.databaseUrl,
    schema,
    relayName,
    stream,
    notifications,
    newRelay(overrides = {}) {
      const relay = createRelay({
        eventLog,
        nats,
        checkpoints,
        tryAcquireLeadership: postgresRelayLeadership(pool, relayName),
        relayName,
        stream,
        standbyPollMs: 200,
        subscribeToAppends: notifications.subscribe,
        ...overrides,
      });
      relays.push(relay);
      return relay;
    },
    async append(sessionId, count, type = "ClipAdded") {
      const events = Array.from({ length: count }, (_, i) => testEvent(type, i + 1));
      return await eventLog.append(`session-${sessionId}`, events, { expectedVersion: "any" });
    },
    async streamMessages() {
      const jsm = await jetstreamManager(nats);
      const info = await jsm.streams.info(stream.name);
      const out: { msgId: string; globalPosition: number | undefined; seq: number }[] = [];
      if (info.state.messages === 0) return out;
      const consumer = await jetstream(nats).consumers.get(stream.name);
      const messages = await consumer.consume({ max_messages: 1000 });
      for await (const m of messages) {
        out.push({ msgId: m.headers?.get(EventHeaders.msgId) ?? "", globalPosition: globalPositionFromHeaders(m.headers), seq: m.seq });
        if (m.info.pending === 0) break;
      }
      await messages.close();
      return out;
    },
    async storedCheckpoint() {
      return await checkpoints.load(relayName);
    },
    childEnv() {
      return {
        DATABASE_URL: options.databaseUrl,
        NATS_URL: options.natsUrl,
        RELAY_EVENTLOG_SCHEMA: schema,
        RELAY_NAME: relayName,
        RELAY_STREAM: stream.name,
        RELAY_SUBJECT_PREFIX: stream.subjectPrefix,
      };
    },
    async close() {
      await Promise.all(relays.map((r) => r.stop().catch(() => {})));
      await notifications.close();
      const jsm = await jetstreamManager(nats).catch(() => undefined);
      await jsm?.streams.delete(stream.name).catch(() => {});
      await nats.close();
      await eventLog.close();
      await pool.query(`drop schema if exists ${schema} cascade`).catch(() => {});
      await pool.query("delete from dubstage_relay.checkpoints where relay_name = $1", [relayName]).catch(() => {});
      await pool.end();
    },
  };
}

/** Polls until `check` returns true, failing with `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
