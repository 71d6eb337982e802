import { FRAME_RATE_IDS, InvalidTimecodeError, parseTimecode, SAMPLE_RATES, frameRate as toFrameRate } from "@dubstage/timecode";
import type { AddMarker, AddTrack, CreateSession, RemoveTrack, RenameTrack } from "./commands.ts";
import { requireTrackMix, sameMix } from "./decide-mix-media.ts";
import { SessionAlreadyExistsError, SessionIllegalStateError, SessionValidationError } from "./errors.ts";
import { mixToData } from "./event-data.ts";
import { type SessionEvent, sessionEvent } from "./events.ts";
import { CHANNEL_FORMATS, DEFAULT_TRACK_MIX, SESSION_TEMPLATES, type Session, type SessionState, TRACK_TYPES } from "./model.ts";
import { templateTracks } from "./templates.ts";
import { getTrack } from "./timeline.ts";
import { requireColor, requireId, requireName, requireOneOf, requireSamples, requireText } from "./validation.ts";
import { channelFormatWire, frameRateWire, sessionTemplateWire, trackTypeWire } from "./wire-enums.ts";

export function decideCreateSession(state: SessionState, command: CreateSession): SessionEvent[] {
  const sessionId = requireId(command.sessionId, "sessionId");
  if (state !== undefined)
    throw new SessionAlreadyExistsError(`session "${state.sessionId}" already exists`, "session-exists", "sessionId");
  const name = requireName(command.name, "name");
  const template = requireOneOf(command.template, SESSION_TEMPLATES, "template");
  const frameRateId = requireOneOf(command.frameRate, FRAME_RATE_IDS, "frameRate");
  if (!SAMPLE_RATES.includes(command.sampleRate)) {
    throw new SessionValidationError(
      `sampleRate: unsupported sample rate ${String(command.sampleRate)} Hz; expected one of ${SAMPLE_RATES.join(", ")}`,
      "invalid-value",
      "sampleRate",
    );
  }
  try {
    parseTimecode(command.startTimecode, toFrameRate(frameRateId), "startTimecode");
  } catch (error) {
    if (error instanceof InvalidTimecodeError) throw new SessionValidationError(error.message, "invalid-value", "startTimecode");
    throw error;
  }
  return [
    sessionEvent("SessionCreated", {
      sessionId,
      name,
      template: sessionTemplateWire.toWire(template),
      frameRate: frameRateWire.toWire(frameRateId),
      sampleRate: command.sampleRate,
      startTimecode: command.startTimecode,
      tracks: templateTracks(template).map((t) => ({
        trackId: t.trackId,
        name: t.name,
        trackType: trackTypeWire.toWire(t.trackType),
        channelFormat: channelFormatWire.toWire(t.channelFormat),
      })),
    }),
  ];
}

function requireUniqueTrackName(session: Session, name: string, exceptTrackId: string | undefined): void {
  for (const track of session.tracks.values()) {
    if (track.trackId !== exceptTrackId && track.name === name) {
      throw new SessionIllegalStateError(`name: track "${track.trackId}" is already named "${name}"`, "duplicate-name", "name");
    }
  }
}

export function decideAddTrack(session: Session, command: AddTrack): SessionEvent[] {
  const trackId = requireId(command.trackId, "trackId");
  if (session.tracks.has(trackId))
    throw new SessionAlreadyExistsError(`trackId: track "${trackId}" already exists`, "duplicate-id", "trackId");
  const name = requireName(command.name, "name");
  const trackType = requireOneOf(command.trackType, TRACK_TYPES, "trackType");
  const channelFormat = requireOneOf(command.channelFormat, CHANNEL_FORMATS, "channelFormat");
  const index = command.index === undefined ? session.tracks.size : requireSamples(command.index, "index", 0);
  if (index > session.tracks.size) {
    throw new SessionValidationError(`index: ${index} is past the end of the ${session.tracks.size} tracks`, "invalid-value", "index");
  }
  const mix = command.mix === undefined ? DEFAULT_TRACK_MIX : requireTrackMix(command.mix, DEFAULT_TRACK_MIX, "mix");
  requireUniqueTrackName(session, name, undefined);
  return [
    sessionEvent("TrackAdded", {
      trackId,
      name,
      trackType: trackTypeWire.toWire(trackType),
      channelFormat: channelFormatWire.toWire(channelFormat),
      index,
      // The default mix is omitted, so a plain AddTrack records exactly what it did before mixes existed.
      ...(!sameMix(mix, DEFAULT_TRACK_MIX) && { mix: mixToData(mix) }),
    }),
  ];
}

export function decideRenameTrack(session: Session, command: RenameTrack): SessionEvent[] {
  const track = getTrack(session, requireId(command.trackId, "trackId"), "trackId");
  const name = requireName(command.name, "name");
  if (name === track.name) return [];
  requireUniqueTrackName(session, name, track.trackId);
  return [sessionEvent("TrackRenamed", { trackId: track.trackId, name, previousName: track.name })];
}

export function decideRemoveTrack(session: Session, command: RemoveTrack): SessionEvent[] {
  const track = getTrack(session, requireId(command.trackId, "trackId"), "trackId");
  if (track.clips.size > 0) {
    throw new SessionIllegalStateError(
      `trackId: track "${track.name}" still holds ${track.clips.size} clip(s); remove or move them first`,
      "track-not-empty",
      "trackId",
    );
  }
  return [sessionEvent("TrackRemoved", { trackId: track.trackId })];
}

export function decideAddMarker(session: Session, command: AddMarker): SessionEvent[] {
  const markerId = requireId(command.markerId, "markerId");
  if (session.markers.has(markerId))
    throw new SessionAlreadyExistsError(`markerId: marker "${markerId}" already exists`, "duplicate-id", "markerId");
  return [
    sessionEvent("MarkerAdded", {
      markerId,
      position: requireSamples(command.position, "position", 0),
      name: requireName(command.name, "name"),
      comment: requireText(command.comment ?? "", "comment"),
      ...(command.color !== undefined && command.color !== "" && { color: requireColor(command.color, "color") }),
      ...(command.length !== undefined && command.length !== 0 && { length: requireSamples(command.length, "length", 0) }),
    }),
  ];
}
