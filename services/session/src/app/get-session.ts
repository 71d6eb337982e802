import { authorize } from "@dubstage/auth";
import type { EventLog, SnapshotStore } from "@dubstage/event-log";
import { type Session, SessionNotFoundError } from "../domain/index.ts";
import { SessionVersionNotFoundError } from "./errors.ts";
import { loadSession, type SessionStateCache } from "./load-session.ts";
import type { RequestContext } from "./request-context.ts";
import { requireSessionId, requireVersion } from "./request-validation.ts";

export interface GetSessionInput {
  readonly sessionId: string;
  /** An exact version to read the session at; omitted reads the latest. */
  readonly version?: number;
}

export interface SessionAtVersion {
  readonly session: Session;
  readonly version: number;
}

export interface GetSessionDependencies {
  readonly log: Pick<EventLog, "readStream">;
  readonly snapshots: SnapshotStore;
  readonly cache?: SessionStateCache;
}

export function sessionNotFound(sessionId: string): SessionNotFoundError {
  return new SessionNotFoundError(`sessionId: session "${sessionId}" does not exist`, "session-not-found", "sessionId");
}

/**
 * The session at the latest or an exact version, authorised for reading: from the cached latest state or
 * the nearest snapshot at or below the version, plus the events after it.
 */
export async function readSessionAt(
  deps: GetSessionDependencies,
  input: GetSessionInput,
  context: RequestContext,
): Promise<SessionAtVersion> {
  authorize(context.actor, { type: "session.read" });
  const sessionId = requireSessionId(input.sessionId);
  const atVersion = input.version === undefined ? undefined : requireVersion(input.version, "version", 1);
  const loaded = await loadSession(deps.log, deps.snapshots, sessionId, {
    ...(atVersion !== undefined && { atVersion }),
    ...(context.signal && { signal: context.signal }),
    ...(deps.cache && { cache: deps.cache }),
  });
  if (loaded.state === undefined) throw sessionNotFound(sessionId);
  if (atVersion !== undefined && loaded.version < atVersion) throw new SessionVersionNotFoundError(sessionId, atVersion, loaded.version);
  return { session: loaded.state, version: loaded.version };
}

/** The whole session at the latest or an exact version (see readSessionAt). */
export function getSessionUseCase(deps: GetSessionDependencies) {
  return (input: GetSessionInput, context: RequestContext): Promise<SessionAtVersion> => readSessionAt(deps, input, context);
}
