import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { type Config, type Env, loadConfig, reflectionEnv } from "@dubstage/config";
import { ingestConfigSchema } from "@dubstage/ingest";
import { relayConfigSchema } from "@dubstage/relay";
import { z } from "zod";

const schemaName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier");
const optional = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

/**
 * What the platform reads from the environment. Every server is optional: an unset URL means its embedded
 * stand-in (PGlite, the in-process bus, the filesystem media store). See README.md ("Configuration").
 */
export const platformConfigSchema = z
  .object({
    DUBSTAGE_DATA_DIR: optional(z.string().min(1)),
    DATABASE_URL: optional(z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" })),
    /** The schemas' owner: set, the platform migrates through it and runs as DATABASE_URL's user. */
    DATABASE_MIGRATION_URL: optional(z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" })),
    DATABASE_POOL_MAX: z.coerce.number().int().min(4).max(200).default(10),
    NATS_URL: optional(
      z
        .string()
        .transform((value) => value.split(",").map((server) => server.trim()))
        .pipe(z.array(z.string().regex(/^(nats|tls|wss?):\/\/[^\s/]+/, "each server must be a nats://host:port URL")).min(1)),
    ),
    S3_ENDPOINT: optional(z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" })),
    S3_ACCESS_KEY: optional(z.string().min(1)),
    S3_SECRET_KEY: optional(z.string().min(1)),
    S3_BUCKET: z.string().min(3).default("dubstage-media"),
    S3_REGION: z.string().min(1).default("us-east-1"),
    EVENT_LOG_SCHEMA: schemaName.default("dubstage_eventlog"),
    SESSION_READ_MODEL_SCHEMA: schemaName.default("dubstage_session"),
    // The relay's own variables, with its rules and defaults, so both read them alike.
    RELAY_NAME: relayConfigSchema.shape.RELAY_NAME,
    NATS_STREAM: relayConfigSchema.shape.NATS_STREAM,
    NATS_SUBJECT_PREFIX: relayConfigSchema.shape.NATS_SUBJECT_PREFIX,
    // With NATS, ingest jobs wait in this JetStream work queue (as in a deployment) and outlive a restart.
    // Unset: see `ingestQueueName`.
    INGEST_QUEUE_NAME: optional(ingestConfigSchema.shape.INGEST_QUEUE_NAME.unwrap()),
    ...reflectionEnv,
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_MIGRATION_URL !== undefined && env.DATABASE_URL === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_MIGRATION_URL"],
        message: "needs DATABASE_URL (the runtime role's connection) beside it",
      });
    }
    if (env.S3_ENDPOINT === undefined) return;
    for (const name of ["S3_ACCESS_KEY", "S3_SECRET_KEY"] as const) {
      if (env[name] === undefined) ctx.addIssue({ code: "custom", path: [name], message: "is required when S3_ENDPOINT is set" });
    }
  });

export type PlatformConfig = Config<typeof platformConfigSchema>;

/**
 * The ingest work queue of a platform on NATS: INGEST_QUEUE_NAME, else `ingest` on the default event
 * stream, else one of its own per event stream, so that platforms sharing a NATS server on different
 * streams (tests, several studios) never run each other's jobs.
 */
export function ingestQueueName(config: PlatformConfig): string {
  if (config.INGEST_QUEUE_NAME) return config.INGEST_QUEUE_NAME;
  if (config.NATS_STREAM === relayConfigSchema.shape.NATS_STREAM.parse(undefined)) return "ingest";
  return `ingest-${createHash("sha256").update(config.NATS_STREAM).digest("hex").slice(0, 12)}`;
}

/** The render queues of a platform on NATS: `render`/`render-chunks`, or per event stream like the ingest queue. */
export function renderQueueNames(config: PlatformConfig): { renders: string; chunks: string } {
  const ingest = ingestQueueName(config);
  const suffix = ingest === "ingest" ? "" : ingest.slice("ingest".length);
  return { renders: `render${suffix}`, chunks: `render-chunks${suffix}` };
}

/** The default data directory, relative to the working directory. */
export const DEFAULT_DATA_DIR = "./.dubstage/data";

/** Parses the environment; throws a ConfigError naming every invalid variable (never their values). */
export function loadPlatformConfig(env: Env): PlatformConfig {
  return loadConfig(platformConfigSchema, env);
}

/** `$DUBSTAGE_DATA_DIR`, else `./.dubstage/data`, as an absolute path. */
export function resolveDataDir(config: Pick<PlatformConfig, "DUBSTAGE_DATA_DIR">, cwd = process.cwd()): string {
  return resolve(cwd, config.DUBSTAGE_DATA_DIR ?? DEFAULT_DATA_DIR);
}
