import type { SetClipGain, SetCrossfade, SetFades } from "./commands.ts";
import { SessionIllegalStateError, SessionValidationError } from "./errors.ts";
import { crossfadeToData, fadeToData } from "./event-data.ts";
import { type SessionEvent, sessionEvent } from "./events.ts";
import type { Session } from "./model.ts";
import { CROSSFADE_ALIGNMENTS, type Crossfade, FADE_SHAPES, type Fade } from "./model.ts";
import {
  clipEnd,
  crossfadeSpan,
  getClip,
  headHandle,
  headUsage,
  incomingCrossfade,
  outgoingCrossfade,
  tailHandle,
  tailUsage,
} from "./timeline.ts";
import { requireFade, requireGain, requireId, requireOneOf, requireSamples } from "./validation.ts";

function sameFade(a: Fade | undefined, b: Fade | undefined): boolean {
  return a?.length === b?.length && a?.shape === b?.shape;
}

export function decideSetFades(session: Session, command: SetFades): SessionEvent[] {
  const clip = getClip(session, requireId(command.clipId, "clipId"), "clipId");
  if (command.fadeIn === undefined && command.fadeOut === undefined) {
    throw new SessionValidationError("fadeIn: give a fade in, a fade out, or both", "invalid-value", "fadeIn");
  }
  const resolve = (value: Fade | undefined, current: Fade | undefined, field: string): Fade | undefined => {
    if (value === undefined) return current;
    const fade = requireFade(value, field, true);
    return fade.length === 0 ? undefined : fade;
  };
  const fadeIn = resolve(command.fadeIn, clip.fadeIn, "fadeIn");
  const fadeOut = resolve(command.fadeOut, clip.fadeOut, "fadeOut");
  const incoming = incomingCrossfade(session, clip.clipId);
  const outgoing = outgoingCrossfade(session, clip.clipId);
  // An edge has a fade or a crossfade, never both.
  if (fadeIn !== undefined && incoming !== undefined) {
    throw new SessionIllegalStateError(
      `fadeIn: clip "${clip.clipId}" starts with a crossfade from "${incoming.outgoingClipId}"; remove it first`,
      "fade-conflict",
      "fadeIn",
    );
  }
  if (fadeOut !== undefined && outgoing !== undefined) {
    throw new SessionIllegalStateError(
      `fadeOut: clip "${clip.clipId}" ends with a crossfade into "${outgoing.incomingClipId}"; remove it first`,
      "fade-conflict",
      "fadeOut",
    );
  }
  const head = fadeIn?.length ?? headUsage(session, clip);
  const tail = fadeOut?.length ?? tailUsage(session, clip);
  if (head + tail > clip.length) {
    const field = command.fadeIn !== undefined ? "fadeIn.length" : "fadeOut.length";
    throw new SessionValidationError(
      `${field}: fades (${head} + ${tail} samples) are longer than the ${clip.length}-sample clip`,
      "fade-too-long",
      field,
    );
  }
  if (sameFade(fadeIn, clip.fadeIn) && sameFade(fadeOut, clip.fadeOut)) return [];
  return [
    sessionEvent("FadeSet", {
      clipId: clip.clipId,
      ...(fadeIn !== undefined && { fadeIn: fadeToData(fadeIn) }),
      ...(fadeOut !== undefined && { fadeOut: fadeToData(fadeOut) }),
    }),
  ];
}

export function decideSetCrossfade(session: Session, command: SetCrossfade): SessionEvent[] {
  const outgoing = getClip(session, requireId(command.outgoingClipId, "outgoingClipId"), "outgoingClipId");
  const incoming = getClip(session, requireId(command.incomingClipId, "incomingClipId"), "incomingClipId");
  if (outgoing.trackId !== incoming.trackId || clipEnd(outgoing) !== incoming.position) {
    throw new SessionIllegalStateError(
      `incomingClipId: clip "${incoming.clipId}" does not start where clip "${outgoing.clipId}" ends on the same track`,
      "not-adjacent",
      "incomingClipId",
    );
  }
  const length = requireSamples(command.length, "length", 0);
  const existing = outgoingCrossfade(session, outgoing.clipId);
  if (length === 0) return existing === undefined ? [] : [sessionEvent("CrossfadeSet", { ...crossfadeToData(existing), length: 0 })];
  const crossfade: Crossfade = {
    trackId: outgoing.trackId,
    outgoingClipId: outgoing.clipId,
    incomingClipId: incoming.clipId,
    length,
    shape: requireOneOf(command.shape, FADE_SHAPES, "shape"),
    alignment: requireOneOf(command.alignment, CROSSFADE_ALIGNMENTS, "alignment"),
  };
  const { pre, post } = crossfadeSpan(length, crossfade.alignment);
  if (post > tailHandle(outgoing)) {
    throw new SessionValidationError(
      `length: the crossfade runs ${post} samples past the cut but clip "${outgoing.clipId}" has a ${tailHandle(outgoing)}-sample tail handle`,
      "insufficient-handles",
      "length",
    );
  }
  if (pre > headHandle(incoming)) {
    throw new SessionValidationError(
      `length: the crossfade starts ${pre} samples before the cut but clip "${incoming.clipId}" has a ${headHandle(incoming)}-sample head handle`,
      "insufficient-handles",
      "length",
    );
  }
  if (outgoing.fadeOut !== undefined || incoming.fadeIn !== undefined) {
    throw new SessionIllegalStateError(
      "length: remove the fade out and fade in at this cut before crossfading it",
      "fade-conflict",
      "length",
    );
  }
  if (headUsage(session, outgoing) + pre > outgoing.length || post + tailUsage(session, incoming) > incoming.length) {
    throw new SessionValidationError(
      `length: a ${length}-sample crossfade does not fit in the clips beside the cut`,
      "fade-too-long",
      "length",
    );
  }
  if (
    existing !== undefined &&
    existing.length === length &&
    existing.shape === crossfade.shape &&
    existing.alignment === crossfade.alignment
  ) {
    return [];
  }
  return [sessionEvent("CrossfadeSet", crossfadeToData(crossfade))];
}

export function decideSetClipGain(session: Session, command: SetClipGain): SessionEvent[] {
  const clip = getClip(session, requireId(command.clipId, "clipId"), "clipId");
  const gainDb = requireGain(command.gainDb, "gainDb");
  if (gainDb === clip.gainDb) return [];
  return [sessionEvent("ClipGainSet", { clipId: clip.clipId, gainDb })];
}
