import type { EventLog, SnapshotStore } from "@dubstage/event-log";
import { createSessionUseCase } from "./create-session.ts";
import { executeCommandsUseCase } from "./execute-commands.ts";
import { getSessionUseCase } from "./get-session.ts";
import { listSessionsUseCase } from "./list-sessions.ts";
import type { SessionChangeFeed, SessionReadModel } from "./ports.ts";
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
}

/** The session service's use cases, each given only the ports it needs. */
export function createSessionUseCases(deps: SessionUseCaseDependencies) {
  const newId = deps.newId ? { newId: deps.newId } : {};
  return {
    createSession: createSessionUseCase({ log: deps.log, changes: deps.changes, ...newId }),
    getSession: getSessionUseCase({ log: deps.log, snapshots: deps.snapshots }),
    listSessions: listSessionsUseCase({ readModel: deps.readModel }),
    executeCommands: executeCommandsUseCase({
      log: deps.log,
      snapshots: deps.snapshots,
      changes: deps.changes,
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
