export { DataDirInUseError, type DataDirLock, lockDataDir, type PlatformLockInfo, readDataDirLock } from "./data-dir-lock.ts";
export { connectIngestClient, type IngestClient } from "./ingest-client.ts";
export { type DatabaseKind, openDatabase, type PlatformDatabase, pgliteDirOf } from "./open-database.ts";
export { mediaDirOf } from "./open-media-store.ts";
export { DEFAULT_DATA_DIR, loadPlatformConfig, type PlatformConfig, platformConfigSchema, resolveDataDir } from "./platform-config.ts";
export { connectRenderClient, type RenderClient } from "./render-client.ts";
export { connectSessionClient, type SessionClient } from "./session-client.ts";
export { type Platform, type PlatformMode, type PlatformOptions, type RunningService, startPlatform } from "./start-platform.ts";
