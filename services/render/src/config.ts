import { LOCAL_AUDIENCE, LOCAL_ISSUER } from "@dubstage/auth";
import { type Config, type Env, loadConfig, reflectionEnv } from "@dubstage/config";
import { z } from "zod";

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const queueName = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be 1-32 of a-z 0-9 _ -");

/** The render service's environment; every variable is documented in README.md ("Running it"). */
export const renderConfigSchema = z.object({
  /**
   * `all` coordinates renders (gRPC RenderService) and renders chunks; `coordinator` only the first;
   * `worker` only renders chunks (no gRPC API but health): start as many as there are cores to spare.
   */
  RENDER_ROLE: z.enum(["all", "coordinator", "worker"]).default("all"),
  SESSION_SERVICE_ADDRESS: z.string().regex(/^[A-Za-z0-9.[\]:-]+:\d{1,5}$/, "must be host:port"),
  GRPC_PORT: integer(0, 65535).default(50071),
  GRPC_HOST: z.string().min(1).default("0.0.0.0"),
  ...reflectionEnv,
  DUBSTAGE_AUTH_PUBLIC_KEY: z.string().min(1, "is required (PEM or JWK of the token verification key)"),
  DUBSTAGE_AUTH_ISSUER: z.string().min(1).default(LOCAL_ISSUER),
  DUBSTAGE_AUTH_AUDIENCE: z.string().min(1).default(LOCAL_AUDIENCE),
  S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }),
  S3_ACCESS_KEY: z.string().min(1),
  S3_SECRET_KEY: z.string().min(1),
  S3_BUCKET: z.string().min(3).default("dubstage-media"),
  S3_REGION: z.string().min(1).default("us-east-1"),
  /** NATS with JetStream: render and chunk jobs wait in work-queue streams shared by every process. Absent: in-process queues. */
  NATS_URL: z.string().min(1).optional(),
  RENDER_QUEUE_NAME: queueName.default("render"),
  RENDER_CHUNK_QUEUE_NAME: queueName.default("render-chunks"),
  /** Chunks rendered at once by this process. */
  RENDER_WORKER_CONCURRENCY: integer(1, 64).default(1),
  /** How long a chunk or render may go without a sign of life before another process takes it. */
  RENDER_LEASE_MS: integer(1000, 3_600_000).default(60_000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  SHUTDOWN_DEADLINE_MS: integer(100, 600_000).default(30_000),
  SHUTDOWN_NOT_SERVING_DELAY_MS: integer(0, 60_000).default(0),
});

export type RenderConfig = Config<typeof renderConfigSchema>;

export function loadRenderConfig(env: Env): RenderConfig {
  return loadConfig(renderConfigSchema, env);
}
