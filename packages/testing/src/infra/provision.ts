import { createTestDatabaseRoles } from "./database-roles.ts";
import { dockerEngineAnswers, startMinioContainer, startNatsContainer, startPostgresContainer } from "./docker-containers.ts";
import { type S3ServerHandle, startLocalMinio } from "./local-minio.ts";
import { startLocalNats } from "./local-nats.ts";
import { startLocalPostgres } from "./local-postgres.ts";
import type { RestartableServerHandle, ServerHandle } from "./server-handle.ts";

/** The variables every service and test reads to reach its dependencies. */
export interface InfraEnv {
  DATABASE_URL: string;
  NATS_URL: string;
  S3_ENDPOINT: string;
  S3_ACCESS_KEY: string;
  S3_SECRET_KEY: string;
  S3_REGION: string;
  /** The same database as a non-superuser owner (migrations) and as the runtime role; see database-roles.ts. */
  TEST_DATABASE_OWNER_URL: string;
  TEST_DATABASE_RUNTIME_URL: string;
}

export type InfraSource = "env" | "testcontainers" | "local";

let dockerAnswer: Promise<boolean> | undefined;
async function source(envUrl: string | undefined): Promise<InfraSource> {
  if (envUrl) return "env";
  dockerAnswer ??= dockerEngineAnswers();
  return (await dockerAnswer) ? "testcontainers" : "local";
}

/** A dedicated PostgreSQL: the env one if DATABASE_URL is set, else a container, else a local server. */
export async function startPostgres(): Promise<ServerHandle & { source: InfraSource }> {
  const from = await source(process.env.DATABASE_URL);
  if (from === "env") return { url: process.env.DATABASE_URL as string, stop: async () => {}, source: from };
  const handle = from === "testcontainers" ? await startPostgresContainer() : await startLocalPostgres();
  return { ...handle, source: from };
}

/**
 * A NATS server with JetStream that this process controls (fault tests restart it). Always started
 * fresh (container or local), never the shared NATS_URL, because restarting a shared server would
 * disturb other suites.
 */
export async function startDedicatedNats(): Promise<RestartableServerHandle> {
  return (await dockerEngineAnswers()) ? await startNatsContainer() : await startLocalNats();
}

export async function startNats(): Promise<ServerHandle & { source: InfraSource }> {
  const from = await source(process.env.NATS_URL);
  if (from === "env") return { url: process.env.NATS_URL as string, stop: async () => {}, source: from };
  const handle = from === "testcontainers" ? await startNatsContainer() : await startLocalNats();
  return { ...handle, source: from };
}

export async function startS3(): Promise<S3ServerHandle & { source: InfraSource }> {
  const from = await source(process.env.S3_ENDPOINT);
  if (from === "env") {
    const accessKey = process.env.S3_ACCESS_KEY;
    const secretKey = process.env.S3_SECRET_KEY;
    if (!accessKey || !secretKey) throw new Error("S3_ENDPOINT is set but S3_ACCESS_KEY or S3_SECRET_KEY is missing");
    return { url: process.env.S3_ENDPOINT as string, accessKey, secretKey, stop: async () => {}, source: from };
  }
  const handle = from === "testcontainers" ? await startMinioContainer() : await startLocalMinio();
  return { ...handle, source: from };
}

/** Provisions all three, in parallel; `stop` stops only what was started here. */
export async function provisionInfra(): Promise<{ env: InfraEnv; sources: Record<string, InfraSource>; stop(): Promise<void> }> {
  const [postgres, nats, s3] = await Promise.all([startPostgres(), startNats(), startS3()]);
  const roles = await createTestDatabaseRoles(postgres.url).catch(async (error: unknown) => {
    await Promise.all([postgres.stop(), nats.stop(), s3.stop()]);
    throw new Error(`test PostgreSQL: creating the owner and runtime roles through DATABASE_URL failed (it must be a superuser): ${error}`);
  });
  return {
    env: {
      DATABASE_URL: postgres.url,
      NATS_URL: nats.url,
      S3_ENDPOINT: s3.url,
      S3_ACCESS_KEY: s3.accessKey,
      S3_SECRET_KEY: s3.secretKey,
      S3_REGION: process.env.S3_REGION ?? "us-east-1",
      TEST_DATABASE_OWNER_URL: roles.ownerUrl,
      TEST_DATABASE_RUNTIME_URL: roles.runtimeUrl,
    },
    sources: { postgres: postgres.source, nats: nats.source, s3: s3.source },
    async stop() {
      await Promise.all([postgres.stop(), nats.stop(), s3.stop()]);
    },
  };
}
