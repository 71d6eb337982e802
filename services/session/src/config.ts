import { LOCAL_AUDIENCE, LOCAL_ISSUER } from "@dubstage/auth";
import { type Config, type Env, loadConfig, reflectionEnv } from "@dubstage/config";
import { z } from "zod";

const schemaName = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case SQL identifier");
const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** The session service's environment; every variable is documented in README.md ("Service"). */
export const sessionConfigSchema = z
  .object({
    /** The runtime role's connection; see README "Service" (roles). */
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
    /** The schemas' owner: set, the service migrates through it and runs as DATABASE_URL's user. */
    DATABASE_MIGRATION_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }).optional(),
    DATABASE_POOL_MAX: integer(1, 200).default(10),
    /** 0 binds a free port (tests); the bound port is logged. */
    GRPC_PORT: integer(0, 65535).default(50051),
    GRPC_HOST: z.string().min(1).default("0.0.0.0"),
    /** GRPC_REFLECTION on|off and NODE_ENV: reflection is off by default in production and needs a token there. */
    ...reflectionEnv,
    /** PEM (SPKI) or JWK text of the token verification key. */
    DUBSTAGE_AUTH_PUBLIC_KEY: z.string().min(1, "is required (PEM or JWK of the token verification key)"),
    DUBSTAGE_AUTH_ISSUER: z.string().min(1).default(LOCAL_ISSUER),
    DUBSTAGE_AUTH_AUDIENCE: z.string().min(1).default(LOCAL_AUDIENCE),
    EVENT_LOG_SCHEMA: schemaName.default("dubstage_eventlog"),
    SESSION_READ_MODEL_SCHEMA: schemaName.default("dubstage_session"),
    SESSION_SNAPSHOT_EVERY: integer(1, 1_000_000).default(500),
    /** The media store (MinIO/S3) whose objects clips may reference; see README "Service". Unset: grammar only. */
    S3_ENDPOINT: z.url({ protocol: /^https?$/, error: "must be an http(s):// URL" }).optional(),
    S3_ACCESS_KEY: z.string().min(1).optional(),
    S3_SECRET_KEY: z.string().min(1).optional(),
    S3_BUCKET: z.string().min(3).default("dubstage-media"),
    S3_REGION: z.string().min(1).default("us-east-1"),
    LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
    /** Budget for draining calls and closing on SIGTERM; keep the orchestrator's grace period above it. */
    SHUTDOWN_DEADLINE_MS: integer(100, 600_000).default(10_000),
    /** How long to answer NOT_SERVING before draining, so load balancers stop routing first. */
    SHUTDOWN_NOT_SERVING_DELAY_MS: integer(0, 60_000).default(0),
  })
  .superRefine((env, ctx) => {
    if (env.S3_ENDPOINT === undefined) return;
    for (const name of ["S3_ACCESS_KEY", "S3_SECRET_KEY"] as const) {
      if (env[name] === undefined) ctx.addIssue({ code: "custom", path: [name], message: "is required when S3_ENDPOINT is set" });
    }
  });

export type SessionConfig = Config<typeof sessionConfigSchema>;

/** Parses the environment once; throws a ConfigError naming every invalid variable. */
export function loadSessionConfig(env: Env): SessionConfig {
  return loadConfig(sessionConfigSchema, env);
}
