import type { ClipData, CrossfadeSetData, FadeData } from "./events.ts";
import type { Clip, Crossfade, Fade } from "./model.ts";
import { crossfadeAlignmentWire, fadeShapeWire } from "./wire-enums.ts";

// Converters between domain values and event data. They build plain objects and omit absent optional
// fields, so event data survives JSON (and the event log's JSON check) unchanged.

export function fadeToData(fade: Fade): FadeData {
  return { length: fade.length, shape: fadeShapeWire.toWire(fade.shape) };
}

export function fadeFromData(data: FadeData): Fade {
  return { length: data.length, shape: fadeShapeWire.fromWire(data.shape, "fade shape") };
}

export function clipToData(clip: Clip): ClipData {
  return {
    clipId: clip.clipId,
    trackId: clip.trackId,
    name: clip.name,
    position: clip.position,
    length: clip.length,
    source: { ...clip.source },
    gainDb: clip.gainDb,
    muted: clip.muted,
    ...(clip.fadeIn !== undefined && { fadeIn: fadeToData(clip.fadeIn) }),
    ...(clip.fadeOut !== undefined && { fadeOut: fadeToData(clip.fadeOut) }),
    ...(clip.provenance !== undefined && { provenance: structuredClone(clip.provenance) }),
    ...(clip.take !== undefined && { take: { ...clip.take } }),
  };
}

export function clipFromData(data: ClipData): Clip {
  return {
    clipId: data.clipId,
    trackId: data.trackId,
    name: data.name,
    position: data.position,
    length: data.length,
    source: { ...data.source },
    gainDb: data.gainDb,
    muted: data.muted,
    ...(data.fadeIn !== undefined && { fadeIn: fadeFromData(data.fadeIn) }),
    ...(data.fadeOut !== undefined && { fadeOut: fadeFromData(data.fadeOut) }),
    ...(data.provenance !== undefined && { provenance: structuredClone(data.provenance) }),
    ...(data.take !== undefined && { take: { ...data.take } }),
  };
}

export function crossfadeToData(crossfade: Crossfade): CrossfadeSetData {
  return {
    trackId: crossfade.trackId,
    outgoingClipId: crossfade.outgoingClipId,
    incomingClipId: crossfade.incomingClipId,
    length: crossfade.length,
    shape: fadeShapeWire.toWire(crossfade.shape),
    alignment: crossfadeAlignmentWire.toWire(crossfade.alignment),
  };
}

export function crossfadeFromData(data: CrossfadeSetData): Crossfade {
  return {
    trackId: data.trackId,
    outgoingClipId: data.outgoingClipId,
    incomingClipId: data.incomingClipId,
    length: data.length,
    shape: fadeShapeWire.fromWire(data.shape, "fade shape"),
    alignment: crossfadeAlignmentWire.fromWire(data.alignment, "crossfade alignment"),
  };
}
