import { type Config, type Env, loadConfig } from "@dubstage/config";
import { z } from "zod";

const schemaName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier");
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The relay's environment; every variable is documented in README.md ("Configuration"). */
export const relayConfigSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  /** The schemas' owner: set, the relay migrates through it and runs as DATABASE_URL's user. */
  DATABASE_MIGRATION_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional(),
  /** One server or a comma-separated list. */
  NATS_URL: z
    .string()
    .min(1, "is required (nats://host:port, comma-separated for several servers)")
    .transform((value) => value.split(",").map((server) => server.trim()))
    .pipe(z.array(z.string().regex(/^(nats|tls|wss?):\/\/[^\s/]+/, "each server must be a nats://host:port URL")).min(1)),
  /** 0 binds a free port (tests); the bound port is logged. */
  GRPC_PORT: integer(0, 65535).default(50051),
  GRPC_HOST: z.string().min(1).default("0.0.0.0"),
  /** Leadership, checkpoints and the LISTEN connection each hold one; reads share the rest. */
  DATABASE_POOL_MAX: integer(3, 100).default(4),
  EVENT_LOG_SCHEMA: schemaName.default("dubstage_eventlog"),
  /** Names the checkpoint row and the leadership lock: relays with the same name compete for one leadership. */
  RELAY_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, "must be 1-100 of a-z 0-9 . _ - starting with a letter or digit")
    .default("session-events"),
  /** The JetStream stream; it must hold this event log's events alone. */
  NATS_STREAM: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 of A-Z a-z 0-9 _ -")
    .default("DUBSTAGE_SESSION_EVENTS"),
  /** Subjects are `<prefix>.<sessionId>.<eventType>`. */
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/, "must be dot-separated tokens of A-Z a-z 0-9 _ -")
    .default("dubstage.session"),
  /** 3 on a 3-node JetStream cluster (production: an ack is then on a quorum), 1 on a single server. */
  NATS_STREAM_REPLICAS: z.coerce
    .number()
    .refine((n) => n === 1 || n === 3 || n === 5, "must be 1, 3 or 5")
    .default(1),
  /**
   * Events per atomic batch publish (NATS 2.12+, one ack per batch); 1 publishes each event on its own.
   * Unset: 100 on a replicated stream, 1 on a single server (bus-nats `defaultAtomicBatch`).
   */
  RELAY_ATOMIC_BATCH: integer(1, 1000).optional(),
  /** How often a standby tries to take the leadership over. */
  RELAY_STANDBY_POLL_MS: integer(50, 60_000).default(1000),
  /** How often readiness re-checks PostgreSQL. */
  HEALTH_CHECK_INTERVAL_MS: integer(100, 60_000).default(5000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  OTEL_SERVICE_NAME: z.string().min(1).default("relay"),
  /** Budget for stopping on SIGTERM (in-flight publishes acknowledged, checkpoint stored, lock released). */
  SHUTDOWN_DEADLINE_MS: integer(100, 600_000).default(10_000),
  SHUTDOWN_NOT_SERVING_DELAY_MS: integer(0, 60_000).default(0),
});

export type RelayConfig = Config<typeof relayConfigSchema>;

/** Parses the environment once; throws a ConfigError naming every invalid variable. */
export function loadRelayConfig(env: Env): RelayConfig {
  return loadConfig(relayConfigSchema, env);
}
