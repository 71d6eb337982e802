import type { SessionCommand } from "./commands.ts";
import { decideMoveClip, decidePlaceClip, decideRemoveClip, decideSplitClip, decideTrimClip } from "./decide-clips.ts";
import { decideSetClipGain, decideSetCrossfade, decideSetFades } from "./decide-fades.ts";
import { decideAddMarker, decideAddTrack, decideCreateSession, decideRemoveTrack, decideRenameTrack } from "./decide-session.ts";
import { atCommand, SessionDomainError, SessionValidationError } from "./errors.ts";
import type { SessionEvent } from "./events.ts";
import { applyEvent } from "./evolve.ts";
import type { SessionState } from "./model.ts";
import { SessionDraft } from "./session-draft.ts";
import { requireSession } from "./timeline.ts";

/**
 * The events a command causes in this state, or a SessionDomainError. Pure: no clock, no ids, no I/O.
 * A command that changes nothing (renaming a track to its own name) yields no events.
 */
export function decide(state: SessionState, command: SessionCommand): SessionEvent[] {
  if (typeof command !== "object" || command === null) throw new SessionValidationError("command: is required", "invalid-value", "command");
  if (command.type === "CreateSession") return decideCreateSession(state, command);
  const session = requireSession(state);
  switch (command.type) {
    case "AddTrack":
      return decideAddTrack(session, command);
    case "RenameTrack":
      return decideRenameTrack(session, command);
    case "RemoveTrack":
      return decideRemoveTrack(session, command);
    case "PlaceClip":
      return decidePlaceClip(session, command);
    case "MoveClip":
      return decideMoveClip(session, command);
    case "TrimClip":
      return decideTrimClip(session, command);
    case "SplitClip":
      return decideSplitClip(session, command);
    case "RemoveClip":
      return decideRemoveClip(session, command);
    case "SetFades":
      return decideSetFades(session, command);
    case "SetCrossfade":
      return decideSetCrossfade(session, command);
    case "SetClipGain":
      return decideSetClipGain(session, command);
    case "AddMarker":
      return decideAddMarker(session, command);
    default:
      throw new SessionValidationError(`type: unknown command "${String((command as { type?: unknown }).type)}"`, "invalid-value", "type");
  }
}

export interface BatchDecision {
  readonly events: SessionEvent[];
  /** The state after the events; equal to replaying them onto the input state. */
  readonly state: SessionState;
}

/**
 * Decides a batch atomically: each command sees the state left by the ones before it, and any error
 * rejects the whole batch (thrown with `commandIndex` and a "commands[i]." field prefix).
 */
export function decideBatch(state: SessionState, commands: readonly SessionCommand[]): BatchDecision {
  if (!Array.isArray(commands) || commands.length === 0) {
    throw new SessionValidationError("commands: a batch needs at least one command", "invalid-value", "commands");
  }
  // One draft for the whole batch: each touched map is copied once, not once per event.
  const draft = new SessionDraft(state);
  const events: SessionEvent[] = [];
  commands.forEach((command, index) => {
    try {
      for (const event of decide(draft.current, command)) {
        applyEvent(draft, event);
        events.push(event);
      }
    } catch (error) {
      throw error instanceof SessionDomainError ? atCommand(error, index) : error;
    }
  });
  return { events, state: draft.finish() };
}
