import type { Actor } from "@dubstage/auth";
import type { ActorRole, EventMetadata, TraceContext } from "@dubstage/event-log";

/** Who asks and on whose behalf: everything a use case records on the events it appends. */
export interface RequestContext {
  /** The authenticated caller. */
  readonly actor: Actor;
  /** Aborts when the caller's deadline passes or it goes away; checked between steps and before appending. */
  readonly signal?: AbortSignal;
  /** Ties together everything one user action caused, across services. */
  readonly correlationId: string;
  /** The id of the request (message) that caused the events. */
  readonly causationId: string;
  /** W3C trace context of the operation, recorded on every appended event. */
  readonly trace?: TraceContext;
}

/** Event-log actor role of an authenticated role: the log records every auth role as it is. */
export function actorRoleOf(role: Actor["role"]): ActorRole {
  return role;
}

export function eventMetadataOf(context: RequestContext): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId: context.causationId,
    actor: { userId: context.actor.userId, role: actorRoleOf(context.actor.role) },
    ...(context.trace !== undefined && { trace: context.trace }),
  };
}
