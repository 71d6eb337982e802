import { frameRate, timecodeToSamples } from "@dubstage/timecode";
import { clipIndexOf } from "./clip-index.ts";
import { incomingIndexOf } from "./crossfade-index.ts";
import { SessionNotFoundError } from "./errors.ts";
import type { Clip, Crossfade, CrossfadeAlignment, Session, SessionState, Track } from "./model.ts";
import { type TimelineEntry, timelineOf } from "./timeline-index.ts";

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

/**
 * The earliest clip on the track overlapping [position, position + length), other than the ignored ones:
 * O(log n) through the track's timeline index. Clips on a track never overlap, so they are ordered by both
 * start and end: only the last clip starting before `position` and the first starting at or after it can
 * be the earliest overlap.
 */
export function overlappingClip(track: Track, position: number, length: number, ignoreClipIds: readonly string[] = []): Clip | undefined {
  const timeline = timelineOf(track.clips);
  const ignored = (entry: TimelineEntry | undefined) => entry !== undefined && ignoreClipIds.includes(entry.clipId);
  let previous = timeline.before(position);
  while (previous !== undefined && ignored(previous)) previous = timeline.before(previous.position, previous.clipId);
  if (previous !== undefined && previous.position + previous.length > position) return track.clips.get(previous.clipId);
  let next = timeline.after(position, "");
  while (next !== undefined && ignored(next)) next = timeline.after(next.position, next.clipId);
  return next !== undefined && next.position < position + length ? track.clips.get(next.clipId) : undefined;
}

/**
 * The clips next to `clipId` in timeline order that overlap it: one comparison on each side, so an edit
 * that let clips overlap for a while (a group of moves) is checked in O(log n) per moved clip.
 */
export function overlappingNeighbour(track: Track, clip: Clip): Clip | undefined {
  const timeline = timelineOf(track.clips);
  const previous: TimelineEntry | undefined = timeline.before(clip.position, clip.clipId);
  if (previous !== undefined && previous.position + previous.length > clip.position) return track.clips.get(previous.clipId);
  const next = timeline.after(clip.position, clip.clipId);
  if (next !== undefined && next.position < clipEnd(clip)) return track.clips.get(next.clipId);
  return undefined;
}

/** Clips of a track in timeline order (read from the timeline index, no sort). */
export function clipsInOrder(track: Track): Clip[] {
  const clips: Clip[] = [];
  for (const entry of timelineOf(track.clips).entries()) clips.push(track.clips.get(entry.clipId) as Clip);
  return clips;
}

function* withFirst<T>(first: T, rest: Iterable<T>): Generator<T> {
  yield first;
  yield* rest;
}

/**
 * The track's clips overlapping [start, end) in timeline order, resuming after `after` (the last clip of a
 * previous page) when given: O(log n) to the first, then O(1) per clip. Clips never overlap on a track, so
 * at most one clip starting before `start` can reach into the range.
 */
export function* clipsOverlapping(
  track: Track,
  start: number,
  end: number,
  after?: { readonly position: number; readonly clipId: string },
): Generator<Clip> {
  const timeline = timelineOf(track.clips);
  let entries: Iterable<TimelineEntry>;
  if (after !== undefined) entries = timeline.entriesAfter(after.position, after.clipId);
  else {
    const previous = timeline.before(start);
    const reaching = previous !== undefined && previous.position + previous.length > start;
    entries = reaching ? withFirst(previous, timeline.entriesAfter(previous.position, previous.clipId)) : timeline.entriesAfter(start, "");
  }
  for (const entry of entries) {
    if (entry.position >= end) return;
    if (entry.position + entry.length > start) yield track.clips.get(entry.clipId) as Clip;
  }
}

/** The crossfade on the cut at the clip's start, if any: O(1) through the index by incoming clip. */
export function incomingCrossfade(session: Session, clipId: string): Crossfade | undefined {
  const outgoing = incomingIndexOf(session.crossfades).get(clipId);
  return outgoing === undefined ? undefined : session.crossfades.get(outgoing);
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
