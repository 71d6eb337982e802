import { execFile } from "node:child_process";
import type { S3ServerHandle } from "./local-minio.ts";
import type { RestartableServerHandle, ServerHandle } from "./server-handle.ts";

/** True when a Docker engine answers (`docker info`), so testcontainers can be used. */
export async function dockerEngineAnswers(): Promise<boolean> {
  return await new Promise((resolve) => {
    execFile("docker", ["info", "--format", "{{.ServerVersion}}"], { timeout: 5_000 }, (error, stdout) => {
      resolve(error === null && stdout.trim().length > 0);
    });
  });
}

// Images used when a Docker engine is available; the same versions the compose file runs.
const POSTGRES_IMAGE = "postgres:17-alpine";
const NATS_IMAGE = "nats:2.12-alpine";
const MINIO_IMAGE = "minio/minio:RELEASE.2025-09-07T16-13-09Z";

export async function startPostgresContainer(): Promise<ServerHandle> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const container = await new GenericContainer(POSTGRES_IMAGE)
    .withEnvironment({ POSTGRES_USER: "dubstage", POSTGRES_HOST_AUTH_METHOD: "trust" })
    .withExposedPorts(5432)
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  return {
    url: `postgres://dubstage@${container.getHost()}:${container.getMappedPort(5432)}/dubstage`,
    stop: async () => void (await container.stop()),
  };
}

export async function startNatsContainer(): Promise<RestartableServerHandle> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const container = await new GenericContainer(NATS_IMAGE)
    .withCommand(["-js", "-sd", "/data"])
    .withExposedPorts(4222)
    .withWaitStrategy(Wait.forLogMessage(/Server is ready/))
    .start();
  return {
    url: `nats://${container.getHost()}:${container.getMappedPort(4222)}`,
    halt: async () => void (await container.stop({ remove: false })),
    start: async () => void (await container.restart()),
    stop: async () => void (await container.stop()),
  };
}

export async function startMinioContainer(): Promise<S3ServerHandle> {
  const { GenericContainer, Wait } = await import("testcontainers");
  const accessKey = "dubstage-test";
  const secretKey = "dubstage-test-secret";
  const container = await new GenericContainer(MINIO_IMAGE)
    .withCommand(["server", "/data"])
    .withEnvironment({ MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey })
    .withExposedPorts(9000)
    .withWaitStrategy(Wait.forHttp("/minio/health/ready", 9000))
    .start();
  return {
    url: `http://${container.getHost()}:${container.getMappedPort(9000)}`,
    accessKey,
    secretKey,
    stop: async () => void (await container.stop()),
  };
}
