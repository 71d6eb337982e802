import type { EventLog, SnapshotStore } from "@dubstage/event-log";
import { createSessionUseCase } from "./create-session.ts";
import { executeCommandsUseCase } from "./execute-commands.ts";
import { getSessionUseCase } from "./get-session.ts";
import { listSessionsUseCase } from "./list-sessions.ts";
import { SessionStateCache } from "./load-session.ts";
import type { MediaCatalog, SessionChangeFeed, SessionReadModel } from "./ports.ts";
import { readTracklayUseCases } from "./read-tracklay.ts";
import { watchSessionUseCase } from "./watch-session.ts";

export interface SessionUseCaseDependencies {
  readonly log: EventLog;
  readonly snapshots: SnapshotStore;
  readonly readModel: SessionReadModel;
  readonly changes: SessionChangeFeed;
  /** Ids of new sessions and events. @default crypto.randomUUID */
  readonly newId?: () => string;
  /** @default 500 */
  readonly snapshotEvery?: number;
  /** @default 1000 */
  readonly watchPollIntervalMs?: number;
  readonly onDiagnostic?: (message: string, details: Record<string, unknown>) => void;
  /** Media keys of placed clips must exist here; absent: only their grammar is checked (tests, tools). */
  readonly media?: MediaCatalog;
  /** Sessions whose latest state is kept in memory (0 turns the cache off). @default 16 */
  readonly cachedSessions?: number;
}

/** The session service's use cases, each given only the ports it needs. */
export function createSessionUseCases(deps: SessionUseCaseDependencies) {
  const newId = deps.newId ? { newId: deps.newId } : {};
  const cache = new SessionStateCache(deps.cachedSessions ?? 16);
  const reads = { log: deps.log, snapshots: deps.snapshots, cache };
  return {
    createSession: createSessionUseCase({ log: deps.log, changes: deps.changes, ...newId }),
    getSession: getSessionUseCase(reads),
    ...readTracklayUseCases(reads),
    listSessions: listSessionsUseCase({ readModel: deps.readModel }),
    executeCommands: executeCommandsUseCase({
      log: deps.log,
      snapshots: deps.snapshots,
      changes: deps.changes,
      cache,
      ...(deps.media && { media: deps.media }),
      ...newId,
      ...(deps.snapshotEvery !== undefined && { snapshotEvery: deps.snapshotEvery }),
      ...(deps.onDiagnostic && { onDiagnostic: deps.onDiagnostic }),
    }),
    watchSession: watchSessionUseCase({
      log: deps.log,
      changes: deps.changes,
      ...(deps.watchPollIntervalMs !== undefined && { pollIntervalMs: deps.watchPollIntervalMs }),
    }),
  };
}

export type SessionUseCases = ReturnType<typeof createSessionUseCases>;
