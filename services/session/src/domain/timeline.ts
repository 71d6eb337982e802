import { frameRate, timecodeToSamples } from "@dubstage/timecode";
import { clipIndexOf } from "./clip-index.ts";
import { SessionNotFoundError } from "./errors.ts";
import type { Clip, Crossfade, CrossfadeAlignment, Session, SessionState, Track } from "./model.ts";

// Read-only queries over the session used by decide, evolve and callers.

export function clipEnd(clip: Clip): number {
  return clip.position + clip.length;
}

/** Samples of source before the clip start that trims and crossfades can use. */
export function headHandle(clip: Clip): number {
  return clip.source.sourceOffset;
}

/** Samples of source after the clip end. */
export function tailHandle(clip: Clip): number {
  return clip.source.sourceLength - clip.source.sourceOffset - clip.length;
}

export function requireSession(state: SessionState): Session {
  if (state === undefined) throw new SessionNotFoundError("the session does not exist", "session-not-found", "sessionId");
  return state;
}

export function findClip(session: Session, clipId: string): Clip | undefined {
  const trackId = clipIndexOf(session).get(clipId);
  return trackId === undefined ? undefined : session.tracks.get(trackId)?.clips.get(clipId);
}

export function getTrack(session: Session, trackId: string, field: string): Track {
  const track = session.tracks.get(trackId);
  if (track === undefined) throw new SessionNotFoundError(`${field}: no track "${trackId}" in this session`, "track-not-found", field);
  return track;
}

export function getClip(session: Session, clipId: string, field: string): Clip {
  const clip = findClip(session, clipId);
  if (clip === undefined) throw new SessionNotFoundError(`${field}: no clip "${clipId}" in this session`, "clip-not-found", field);
  return clip;
}

/** The first clip on the track overlapping [position, position + length), other than `ignoreClipId`. */
export function overlappingClip(track: Track, position: number, length: number, ignoreClipIds: readonly string[] = []): Clip | undefined {
  const end = position + length;
  for (const clip of track.clips.values()) {
    if (ignoreClipIds.includes(clip.clipId)) continue;
    if (clip.position < end && position < clipEnd(clip)) return clip;
  }
  return undefined;
}

/** Clips of a track in timeline order. */
export function clipsInOrder(track: Track): Clip[] {
  return [...track.clips.values()].sort((a, b) => a.position - b.position);
}

/** The crossfade on the cut at the clip's start, if any. */
export function incomingCrossfade(session: Session, clipId: string): Crossfade | undefined {
  for (const crossfade of session.crossfades.values()) if (crossfade.incomingClipId === clipId) return crossfade;
  return undefined;
}

/** The crossfade on the cut at the clip's end, if any. */
export function outgoingCrossfade(session: Session, clipId: string): Crossfade | undefined {
  return session.crossfades.get(clipId);
}

/** How much of a crossfade lies before (`pre`) and after (`post`) its cut. Centered puts the odd sample after. */
export function crossfadeSpan(length: number, alignment: CrossfadeAlignment): { pre: number; post: number } {
  switch (alignment) {
    case "PRE_CUT":
      return { pre: length, post: 0 };
    case "POST_CUT":
      return { pre: 0, post: length };
    case "CENTERED": {
      const pre = Math.floor(length / 2);
      return { pre, post: length - pre };
    }
  }
}

/** Samples at the clip's start taken by its fade in or by the part of an incoming crossfade inside it. */
export function headUsage(session: Session, clip: Clip): number {
  const crossfade = incomingCrossfade(session, clip.clipId);
  return crossfade !== undefined ? crossfadeSpan(crossfade.length, crossfade.alignment).post : (clip.fadeIn?.length ?? 0);
}

/** Samples at the clip's end taken by its fade out or by the part of an outgoing crossfade inside it. */
export function tailUsage(session: Session, clip: Clip): number {
  const crossfade = outgoingCrossfade(session, clip.clipId);
  return crossfade !== undefined ? crossfadeSpan(crossfade.length, crossfade.alignment).pre : (clip.fadeOut?.length ?? 0);
}

/** Crossfades that touch the clip (at its start, its end, or both). */
export function crossfadesOf(session: Session, clipId: string): Crossfade[] {
  const found: Crossfade[] = [];
  const incoming = incomingCrossfade(session, clipId);
  if (incoming !== undefined) found.push(incoming);
  const outgoing = outgoingCrossfade(session, clipId);
  if (outgoing !== undefined) found.push(outgoing);
  return found;
}

/** The sample of the session's start timecode: the first sample at or after the start frame begins. */
export function sessionStartSample(session: Session): number {
  return timecodeToSamples(session.startTimecode, frameRate(session.frameRate), session.sampleRate, "ceil");
}
