import { requireAutomation } from "./automation.ts";
import type { MoveClip, PlaceClip, RemoveClip, SplitClip, TrimClip } from "./commands.ts";
import { requireSourceMatchesMedia } from "./decide-mix-media.ts";
import { SessionAlreadyExistsError, SessionIllegalStateError, SessionValidationError } from "./errors.ts";
import { clipToData, crossfadeToData } from "./event-data.ts";
import { type SessionEvent, sessionEvent } from "./events.ts";
import { CHANNEL_COUNTS, type Clip, type Session, type Track } from "./model.ts";
import {
  clipEnd,
  findClip,
  getClip,
  getTrack,
  headHandle,
  headUsage,
  incomingCrossfade,
  outgoingCrossfade,
  overlappingClip,
  tailHandle,
  tailUsage,
} from "./timeline.ts";
import {
  requireFade,
  requireGain,
  requireId,
  requireName,
  requireProvenance,
  requireSamples,
  requireSource,
  requireTake,
} from "./validation.ts";

export function requireNoOverlap(track: Track, clipId: string, position: number, length: number, field: string): void {
  const other = overlappingClip(track, position, length, [clipId]);
  if (other !== undefined) {
    throw new SessionIllegalStateError(
      `${field}: clip "${clipId}" at [${position}, ${position + length}) would overlap clip "${other.clipId}" ` +
        `at [${other.position}, ${clipEnd(other)}) on track "${track.name}"`,
      "clip-overlap",
      field,
    );
  }
}

export function requireNewClipId(session: Session, value: unknown, field: string): string {
  const clipId = requireId(value, field);
  if (findClip(session, clipId) !== undefined)
    throw new SessionAlreadyExistsError(`${field}: clip "${clipId}" already exists`, "duplicate-id", field);
  return clipId;
}

function fadesTooLong(field: string, head: number, tail: number, length: number): SessionValidationError {
  return new SessionValidationError(
    `${field}: fades and crossfades (${head} + ${tail} samples) do not fit in the ${length}-sample clip`,
    "fade-too-long",
    field,
  );
}

/** Removes the crossfades on a clip's edges before an edit that breaks their cut. */
function removeCrossfades(session: Session, clip: Clip, edges: { head: boolean; tail: boolean }): SessionEvent[] {
  const events: SessionEvent[] = [];
  const head = edges.head ? incomingCrossfade(session, clip.clipId) : undefined;
  const tail = edges.tail ? outgoingCrossfade(session, clip.clipId) : undefined;
  for (const crossfade of [head, tail]) {
    if (crossfade !== undefined) events.push(sessionEvent("CrossfadeSet", { ...crossfadeToData(crossfade), length: 0 }));
  }
  return events;
}

export function decidePlaceClip(session: Session, command: PlaceClip): SessionEvent[] {
  const spec = command.clip;
  if (typeof spec !== "object" || spec === null) throw new SessionValidationError("clip: is required", "invalid-value", "clip");
  const clipId = requireNewClipId(session, spec.clipId, "clip.clipId");
  const track = getTrack(session, requireId(spec.trackId, "clip.trackId"), "clip.trackId");
  const name = requireName(spec.name, "clip.name");
  const position = requireSamples(spec.position, "clip.position", 0);
  const length = requireSamples(spec.length, "clip.length", 1);
  const source = requireSource(spec.source, "clip.source", length, CHANNEL_COUNTS[track.channelFormat]);
  requireSourceMatchesMedia(session, source, track, "clip.source");
  const volume = spec.volume === undefined ? [] : requireAutomation(spec.volume, "clip.volume", length);
  const gainDb = spec.gainDb === undefined ? 0 : requireGain(spec.gainDb, "clip.gainDb");
  if (spec.muted !== undefined && typeof spec.muted !== "boolean") {
    throw new SessionValidationError("clip.muted: must be true or false", "invalid-value", "clip.muted");
  }
  const fadeIn = spec.fadeIn === undefined ? undefined : requireFade(spec.fadeIn, "clip.fadeIn", false);
  const fadeOut = spec.fadeOut === undefined ? undefined : requireFade(spec.fadeOut, "clip.fadeOut", false);
  const head = fadeIn?.length ?? 0;
  const tail = fadeOut?.length ?? 0;
  if (head + tail > length) throw fadesTooLong(fadeIn !== undefined ? "clip.fadeIn.length" : "clip.fadeOut.length", head, tail, length);
  const clip: Clip = {
    clipId,
    trackId: track.trackId,
    name,
    position,
    length,
    source,
    gainDb,
    muted: spec.muted ?? false,
    ...(fadeIn !== undefined && { fadeIn }),
    ...(fadeOut !== undefined && { fadeOut }),
    ...(spec.provenance !== undefined && { provenance: requireProvenance(spec.provenance, "clip.provenance") }),
    ...(spec.take !== undefined && { take: requireTake(spec.take, "clip.take") }),
    ...(volume.length > 0 && { volume }),
  };
  requireNoOverlap(track, clipId, position, length, "clip.position");
  return [sessionEvent("ClipPlaced", { clip: clipToData(clip) })];
}

/**
 * A move. `checkOverlap: false` leaves the overlap check to the caller: decideBatch checks a group of
 * consecutive moves on the positions after the whole group (see `move-group.ts`).
 */
export function decideMoveClip(
  session: Session,
  command: MoveClip,
  options: { checkOverlap: boolean } = { checkOverlap: true },
): SessionEvent[] {
  const clip = getClip(session, requireId(command.clipId, "clipId"), "clipId");
  const from = getTrack(session, clip.trackId, "clipId");
  const to = command.trackId === undefined ? from : getTrack(session, requireId(command.trackId, "trackId"), "trackId");
  const position = requireSamples(command.position, "position", 0);
  if (to.channelFormat !== from.channelFormat) {
    throw new SessionIllegalStateError(
      `trackId: a ${from.channelFormat} clip cannot move to ${to.channelFormat} track "${to.name}"`,
      "channel-format-mismatch",
      "trackId",
    );
  }
  if (to.trackId === from.trackId && position === clip.position) return [];
  if (options.checkOverlap) requireNoOverlap(to, clip.clipId, position, clip.length, "position");
  return [
    ...removeCrossfades(session, clip, { head: true, tail: true }),
    sessionEvent("ClipMoved", {
      clipId: clip.clipId,
      trackId: to.trackId,
      position,
      previousTrackId: from.trackId,
      previousPosition: clip.position,
    }),
  ];
}

export function decideTrimClip(session: Session, command: TrimClip): SessionEvent[] {
  const clip = getClip(session, requireId(command.clipId, "clipId"), "clipId");
  if (command.start === undefined && command.end === undefined) {
    throw new SessionValidationError("start: give a new start, a new end, or both", "invalid-value", "start");
  }
  const start = command.start === undefined ? clip.position : requireSamples(command.start, "start", 0);
  const end = command.end === undefined ? clipEnd(clip) : requireSamples(command.end, "end", 1);
  if (end <= start) throw new SessionValidationError(`end: ${end} must be after start ${start}`, "invalid-value", "end");
  const startMoved = start !== clip.position;
  const endMoved = end !== clipEnd(clip);
  if (!startMoved && !endMoved) return [];
  const length = end - start;
  const sourceOffset = clip.source.sourceOffset + (start - clip.position);
  if (sourceOffset < 0) {
    throw new SessionValidationError(
      `start: extending the start by ${clip.position - start} samples needs more than the ${headHandle(clip)}-sample head handle`,
      "beyond-source",
      "start",
    );
  }
  if (sourceOffset + length > clip.source.sourceLength) {
    throw new SessionValidationError(
      `end: extending the end by ${end - clipEnd(clip)} samples needs more than the ${tailHandle(clip)}-sample tail handle`,
      "beyond-source",
      "end",
    );
  }
  // A moved edge loses its crossfade (its cut is gone); a kept edge keeps its fade or crossfade.
  const head = startMoved ? (clip.fadeIn?.length ?? 0) : headUsage(session, clip);
  const tail = endMoved ? (clip.fadeOut?.length ?? 0) : tailUsage(session, clip);
  if (head + tail > length) throw fadesTooLong(startMoved ? "start" : "end", head, tail, length);
  requireNoOverlap(getTrack(session, clip.trackId, "clipId"), clip.clipId, start, length, startMoved ? "start" : "end");
  return [
    ...removeCrossfades(session, clip, { head: startMoved, tail: endMoved }),
    sessionEvent("ClipTrimmed", { clipId: clip.clipId, position: start, length, sourceOffset }),
  ];
}

export function decideSplitClip(session: Session, command: SplitClip): SessionEvent[] {
  const clip = getClip(session, requireId(command.clipId, "clipId"), "clipId");
  const position = requireSamples(command.position, "position", 0);
  if (position <= clip.position || position >= clipEnd(clip)) {
    throw new SessionValidationError(
      `position: ${position} is not strictly inside clip "${clip.clipId}" [${clip.position}, ${clipEnd(clip)})`,
      "split-outside-clip",
      "position",
    );
  }
  const newClipId = requireNewClipId(session, command.newClipId, "newClipId");
  if (position - clip.position < headUsage(session, clip) || clipEnd(clip) - position < tailUsage(session, clip)) {
    throw new SessionIllegalStateError(
      `position: ${position} falls inside a fade or crossfade of clip "${clip.clipId}"`,
      "split-inside-fade",
      "position",
    );
  }
  return [sessionEvent("ClipSplit", { clipId: clip.clipId, newClipId, splitPosition: position })];
}

export function decideRemoveClip(session: Session, command: RemoveClip): SessionEvent[] {
  const clip = getClip(session, requireId(command.clipId, "clipId"), "clipId");
  return [
    ...removeCrossfades(session, clip, { head: true, tail: true }),
    sessionEvent("ClipRemoved", { clipId: clip.clipId, trackId: clip.trackId }),
  ];
}
