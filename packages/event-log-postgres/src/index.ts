export { type Leadership, type LockPool, tryAcquireLeadership, withAdvisoryLock } from "./advisory-lock.ts";
export type { PgPoolLike } from "./drivers/connection.ts";
export { PGliteDialect, type PGliteLike } from "./drivers/pglite-dialect.ts";
export { checkSchemaName, DEFAULT_SCHEMA, LATEST_MIGRATION, migrateEventLog } from "./migrations.ts";
export { isConnectionError } from "./pg-errors.ts";
export { createPostgresEventLog, type PostgresEventLog, type PostgresEventLogOptions } from "./postgres-event-log.ts";
export { currentHorizon, currentXmax } from "./queries/read-all.ts";
export { createPostgresSnapshotStore } from "./snapshot-store.ts";
export { type PostgresSubscribeOptions, PostgresSubscription } from "./subscription.ts";
