export { type Leadership, type LockPool, tryAcquireLeadership, withAdvisoryLock } from "./advisory-lock.ts";
export type { PgPoolLike } from "./drivers/connection.ts";
export { PGliteDialect, type PGliteLike } from "./drivers/pglite-dialect.ts";
export {
  checkSchemaName,
  DEFAULT_SCHEMA,
  LATEST_MIGRATION,
  type MigrateOptions,
  migrateEventLog,
  migrateEventLogOnPool,
} from "./migrations.ts";
export { isConnectionError } from "./pg-errors.ts";
export { createPostgresEventLog, type PostgresEventLog, type PostgresEventLogOptions } from "./postgres-event-log.ts";
export { type ChunkLimits, DEFAULT_CHUNK_LIMITS } from "./queries/append-in-chunks.ts";
export { currentHorizon, currentXmax, type HorizonBlocker, horizonBlocker } from "./queries/horizon.ts";
export { checkRoleName, grantRuntimeRole, roleOfUrl } from "./runtime-role.ts";
export { createPostgresSnapshotStore } from "./snapshot-store.ts";
export { describeStall, type HorizonStall, type PostgresSubscribeOptions, PostgresSubscription } from "./subscription.ts";
