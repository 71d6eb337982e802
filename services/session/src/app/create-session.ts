import { randomUUID } from "node:crypto";
import { authorize } from "@dubstage/auth";
import { type EventLog, isErrorKind } from "@dubstage/event-log";
import { type CreateSession, decide, replay, type Session, SessionAlreadyExistsError } from "../domain/index.ts";
import type { SessionChangeFeed } from "./ports.ts";
import { eventMetadataOf, type RequestContext } from "./request-context.ts";
import { requireSessionId } from "./request-validation.ts";
import { sessionStreamId } from "./session-stream.ts";

/** CreateSession without its type tag; the id is assigned (a UUID) when absent or empty. */
export type CreateSessionInput = Omit<CreateSession, "type" | "sessionId"> & { readonly sessionId?: string };

export interface CreatedSession {
  readonly session: Session;
  readonly version: number;
}

export interface CreateSessionDependencies {
  readonly log: Pick<EventLog, "append">;
  readonly changes: Pick<SessionChangeFeed, "notify">;
  readonly newId?: () => string;
}

/** Creates a session from a template: one SessionCreated event starting stream `session-<id>`. */
export function createSessionUseCase(deps: CreateSessionDependencies) {
  const newId = deps.newId ?? randomUUID;
  return async function createSession(input: CreateSessionInput, context: RequestContext): Promise<CreatedSession> {
    authorize(context.actor, { type: "session.create" });
    const sessionId = input.sessionId === undefined || input.sessionId === "" ? newId() : requireSessionId(input.sessionId);
    // decide, not decideBatch: a create is no batch, so its errors name the request field ("template").
    const events = decide(undefined, { ...input, type: "CreateSession", sessionId });
    const state = replay(events);
    context.signal?.throwIfAborted();
    const metadata = eventMetadataOf(context);
    try {
      const result = await deps.log.append(
        sessionStreamId(sessionId),
        events.map((event) => ({ id: newId(), type: event.type, data: event.data, metadata })),
        { expectedVersion: "no-stream", ...(context.signal && { signal: context.signal }) },
      );
      deps.changes.notify(sessionId);
      return { session: state as Session, version: result.streamVersion };
    } catch (error) {
      if (isErrorKind(error, "concurrency")) {
        throw new SessionAlreadyExistsError(`sessionId: session "${sessionId}" already exists`, "session-exists", "sessionId");
      }
      throw error;
    }
  };
}
