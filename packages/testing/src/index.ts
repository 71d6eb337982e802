export { freePort, waitFor } from "./infra/free-port.ts";
export type { S3ServerHandle } from "./infra/local-minio.ts";
export {
  type NatsServersHandle,
  startLocalNatsCluster,
  startLocalNatsDefaultSync,
  startLocalNatsSyncAlways,
} from "./infra/local-nats-durable.ts";
export {
  type InfraEnv,
  type InfraSource,
  provisionInfra,
  startDedicatedNats,
  startNats,
  startPostgres,
  startS3,
} from "./infra/provision.ts";
export type { RestartableServerHandle, ServerHandle } from "./infra/server-handle.ts";
export {
  collectJsonLines,
  type ProcessResult,
  runNodeProcess,
  type StartedNodeProcess,
  startNodeProcess,
  startServiceProcess,
} from "./node-process.ts";
export { requireEnv } from "./require-env.ts";
