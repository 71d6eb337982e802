import type { SessionCommand } from "./commands.ts";
import { SESSION_TEMPLATES, type SessionState, TRACK_TYPES, type TrackType } from "./model.ts";
import { templateTracks } from "./templates.ts";
import { findClip } from "./timeline.ts";

/**
 * The track types a command edits, for role checks (a dialogue editor may edit DX, ...). Ids unknown to
 * the state contribute nothing (decide rejects them anyway). Markers, media registrations and the ingest
 * and render lifecycles belong to no track type. For a batch,
 * evaluate each command against the state left by the ones before it (decideBatch's `beforeApply` hook gets it).
 */
export function trackTypesTouchedBy(command: SessionCommand, state: SessionState): TrackType[] {
  const types = new Set<TrackType>();
  const ofTrack = (trackId: string | undefined) => {
    const type = trackId === undefined ? undefined : state?.tracks.get(trackId)?.trackType;
    if (type !== undefined) types.add(type);
  };
  const ofClip = (clipId: string) => {
    if (state !== undefined) ofTrack(findClip(state, clipId)?.trackId);
  };
  switch (command.type) {
    case "CreateSession":
      // An unknown template (rejected by decide) has no tracks.
      for (const track of SESSION_TEMPLATES.includes(command.template) ? templateTracks(command.template) : []) types.add(track.trackType);
      break;
    case "AddTrack":
      if (TRACK_TYPES.includes(command.trackType)) types.add(command.trackType);
      break;
    case "RenameTrack":
    case "RemoveTrack":
    case "SetTrackMix":
    case "SetTrackAutomation":
      ofTrack(command.trackId);
      break;
    case "PlaceClip":
      ofTrack(command.clip?.trackId);
      break;
    case "MoveClip":
      ofClip(command.clipId);
      ofTrack(command.trackId);
      break;
    case "TrimClip":
    case "SplitClip":
    case "RemoveClip":
    case "SetFades":
    case "SetClipGain":
    case "SetClipAutomation":
      ofClip(command.clipId);
      break;
    case "SetCrossfade":
      ofClip(command.outgoingClipId);
      ofClip(command.incomingClipId);
      break;
    case "AddMarker":
    case "RegisterMedia":
    case "RecordIngestStarted":
    case "RecordIngestProgress":
    case "RecordIngestCompleted":
    case "RecordIngestFailed":
    case "RecordRenderStarted":
    case "RecordRenderProgress":
    case "RecordRenderCompleted":
    case "RecordRenderFailed":
      break;
  }
  return TRACK_TYPES.filter((t) => types.has(t));
}
