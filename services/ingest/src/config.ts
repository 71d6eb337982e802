import { LOCAL_AUDIENCE, LOCAL_ISSUER } from "@dubstage/auth";
import { type Config, type Env, loadConfig, reflectionEnv } from "@dubstage/config";
import { z } from "zod";

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The ingest service's environment; every variable is documented in README.md ("Service"). */
export const ingestConfigSchema = z.object({
  /** host:port of the SessionService results are applied to. */
  SESSION_SERVICE_ADDRESS: z.string().regex(/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/, "must be host:port"),
  GRPC_PORT: integer(0, 65535).default(50061),
  GRPC_HOST: z.string().min(1).default("0.0.0.0"),
  ...reflectionEnv,
  DUBSTAGE_AUTH_PUBLIC_KEY: z.string().min(1, "is required (PEM or JWK of the token verification key)"),
  DUBSTAGE_AUTH_ISSUER: z.string().min(1).default(LOCAL_ISSUER),
  DUBSTAGE_AUTH_AUDIENCE: z.string().min(1).default(LOCAL_AUDIENCE),
  /** The media store uploads are read from and essences written to (the session service's). */
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }),
  S3_ACCESS_KEY: z.string().min(1),
  S3_SECRET_KEY: z.string().min(1),
  S3_BUCKET: z.string().min(3).default("dubstage-media"),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** Heap of the worker that reads one AAF/OMF file, MiB. */
  INGEST_PARSE_MAX_HEAP_MB: integer(64, 65_536).default(2048),
  /** Longest read of one file before it is stopped. */
  INGEST_PARSE_TIMEOUT_MS: integer(1000, 3_600_000).default(600_000),
  INGEST_MAX_CONCURRENT_JOBS: integer(1, 64).default(2),
  /** NATS with JetStream: jobs wait in a work-queue stream and survive the process. Absent: an in-process queue. */
  NATS_URL: z.string().min(1).optional(),
  /** The work queue's name (its stream is DUBSTAGE_WQ_<NAME>): services sharing it share the jobs. */
  INGEST_QUEUE_NAME: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be 1-32 of a-z 0-9 _ -")
    .default("ingest"),
  /** How long a running job may go without a sign of life before another process takes it. */
  INGEST_JOB_LEASE_MS: integer(1000, 3_600_000).default(60_000),
  /** Where uploads are copied for reading (needs room for the largest file). Default: the OS temp dir. */
  INGEST_WORK_DIR: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  SHUTDOWN_DEADLINE_MS: integer(100, 600_000).default(30_000),
  SHUTDOWN_NOT_SERVING_DELAY_MS: integer(0, 60_000).default(0),
});

export type IngestConfig = Config<typeof ingestConfigSchema>;

export function loadIngestConfig(env: Env): IngestConfig {
  return loadConfig(ingestConfigSchema, env);
}
