import type { SessionCommand } from "./commands.ts";
import { decideMoveClip, decidePlaceClip, decideRemoveClip, decideSplitClip, decideTrimClip } from "./decide-clips.ts";
import { decideSetClipGain, decideSetCrossfade, decideSetFades } from "./decide-fades.ts";
import {
  decideRecordIngestCompleted,
  decideRecordIngestFailed,
  decideRecordIngestProgress,
  decideRecordIngestStarted,
} from "./decide-ingest.ts";
import { decideRegisterMedia, decideSetClipAutomation, decideSetTrackAutomation, decideSetTrackMix } from "./decide-mix-media.ts";
import {
  decideRecordRenderCompleted,
  decideRecordRenderFailed,
  decideRecordRenderProgress,
  decideRecordRenderStarted,
  type RenderDecideContext,
} from "./decide-render.ts";
import { decideAddMarker, decideAddTrack, decideCreateSession, decideRemoveTrack, decideRenameTrack } from "./decide-session.ts";
import { SessionValidationError } from "./errors.ts";
import type { SessionEvent } from "./events.ts";
import type { SessionState } from "./model.ts";
import { requireSession } from "./timeline.ts";

/**
 * What decide knows besides the state. `version`: the session's stream version as of `state` (its event
 * count), which a command naming a version is checked against (RecordRenderStarted's `sessionVersion`
 * must be 1 to it; without it such a command is refused, never accepted unchecked).
 */
export type DecideContext = RenderDecideContext;

/**
 * The events a command causes in this state, or a SessionDomainError. Pure: no clock, no ids, no I/O.
 * A command that changes nothing (renaming a track to its own name) yields no events.
 */
export function decide(state: SessionState, command: SessionCommand, context: DecideContext = {}): SessionEvent[] {
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
    case "SetClipAutomation":
      return decideSetClipAutomation(session, command);
    case "SetTrackMix":
      return decideSetTrackMix(session, command);
    case "SetTrackAutomation":
      return decideSetTrackAutomation(session, command);
    case "RegisterMedia":
      return decideRegisterMedia(session, command);
    case "RecordIngestStarted":
      return decideRecordIngestStarted(session, command);
    case "RecordIngestProgress":
      return decideRecordIngestProgress(session, command);
    case "RecordIngestCompleted":
      return decideRecordIngestCompleted(session, command);
    case "RecordIngestFailed":
      return decideRecordIngestFailed(session, command);
    case "RecordRenderStarted":
      return decideRecordRenderStarted(session, command, context);
    case "RecordRenderProgress":
      return decideRecordRenderProgress(session, command);
    case "RecordRenderCompleted":
      return decideRecordRenderCompleted(session, command);
    case "RecordRenderFailed":
      return decideRecordRenderFailed(session, command);
    default:
      throw new SessionValidationError(`type: unknown command "${String((command as { type?: unknown }).type)}"`, "invalid-value", "type");
  }
}
