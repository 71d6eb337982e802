import type { ClipData, CrossfadeSetData, FadeData, MediaRegisteredData, TrackMixData } from "./events.ts";
import {
  type AutomationPoint,
  type Clip,
  type Crossfade,
  DEFAULT_TRACK_MIX,
  type Fade,
  type IngestSummary,
  type MediaRegistration,
  type RenderDeliverable,
  type SourceMedia,
  type TrackAutomationPoint,
  type TrackMix,
} from "./model.ts";
import { crossfadeAlignmentWire, fadeShapeWire, mediaOriginWire } from "./wire-enums.ts";

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
    source: copySource(clip.source),
    gainDb: clip.gainDb,
    muted: clip.muted,
    ...(clip.fadeIn !== undefined && { fadeIn: fadeToData(clip.fadeIn) }),
    ...(clip.fadeOut !== undefined && { fadeOut: fadeToData(clip.fadeOut) }),
    ...(clip.provenance !== undefined && { provenance: structuredClone(clip.provenance) }),
    ...(clip.take !== undefined && { take: { ...clip.take } }),
    ...(clip.volume !== undefined && { volume: copyPoints(clip.volume) }),
  };
}

export function clipFromData(data: ClipData): Clip {
  return {
    clipId: data.clipId,
    trackId: data.trackId,
    name: data.name,
    position: data.position,
    length: data.length,
    source: copySource(data.source),
    gainDb: data.gainDb,
    muted: data.muted,
    ...(data.fadeIn !== undefined && { fadeIn: fadeFromData(data.fadeIn) }),
    ...(data.fadeOut !== undefined && { fadeOut: fadeFromData(data.fadeOut) }),
    ...(data.provenance !== undefined && { provenance: structuredClone(data.provenance) }),
    ...(data.take !== undefined && { take: { ...data.take } }),
    // An empty list (possible from a hand-written event) means no automation, as in ClipAutomationSet.
    ...(data.volume !== undefined && data.volume.length > 0 && { volume: copyPoints(data.volume) }),
  };
}

function copySource(source: SourceMedia): SourceMedia {
  const { channelSources, ...rest } = source;
  return {
    ...rest,
    ...(channelSources !== undefined &&
      channelSources.length > 0 && { channelSources: channelSources.map((c) => ({ mediaKey: c.mediaKey, channel: c.channel })) }),
  };
}

export function copyPoints(points: readonly AutomationPoint[]): AutomationPoint[] {
  return points.map((p) => ({ offset: p.offset, gainDb: p.gainDb }));
}

export function copyTrackPoints(points: readonly TrackAutomationPoint[]): TrackAutomationPoint[] {
  return points.map((p) => ({ position: p.position, value: p.value }));
}

export function mixToData(mix: TrackMix): TrackMixData {
  return { volumeDb: mix.volumeDb, pan: mix.pan, muted: mix.muted, solo: mix.solo };
}

/** Missing fields (older or hand-written events) take the defaults. */
export function mixFromData(data: Partial<TrackMixData> | undefined): TrackMix {
  if (data === undefined) return DEFAULT_TRACK_MIX;
  return {
    volumeDb: data.volumeDb ?? DEFAULT_TRACK_MIX.volumeDb,
    pan: data.pan ?? DEFAULT_TRACK_MIX.pan,
    muted: data.muted ?? DEFAULT_TRACK_MIX.muted,
    solo: data.solo ?? DEFAULT_TRACK_MIX.solo,
  };
}

export function mediaToData(media: MediaRegistration): MediaRegisteredData {
  return {
    mediaKey: media.mediaKey,
    fileName: media.fileName,
    channels: media.channels,
    sampleRate: media.sampleRate,
    bitDepth: media.bitDepth,
    lengthSamples: media.lengthSamples,
    origin: mediaOriginWire.toWire(media.origin),
    ...(media.sourceUri !== undefined && { sourceUri: media.sourceUri }),
    ...(media.identity !== undefined && { identity: { ...media.identity } }),
  };
}

export function mediaFromData(data: MediaRegisteredData): MediaRegistration {
  return {
    mediaKey: data.mediaKey,
    fileName: data.fileName,
    channels: data.channels,
    sampleRate: data.sampleRate,
    bitDepth: data.bitDepth,
    lengthSamples: data.lengthSamples,
    origin: mediaOriginWire.fromWire(data.origin, "media origin"),
    ...(data.sourceUri !== undefined && { sourceUri: data.sourceUri }),
    ...(data.identity !== undefined && { identity: { ...data.identity } }),
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

/** A missing count (a hand-written event; proto JSON omits zeros) reads as 0. */
export function summaryFromData(data: Partial<IngestSummary> | undefined): IngestSummary {
  const d = data ?? {};
  return {
    tracks: d.tracks ?? 0,
    clips: d.clips ?? 0,
    crossfades: d.crossfades ?? 0,
    markers: d.markers ?? 0,
    mediaEmbedded: d.mediaEmbedded ?? 0,
    mediaLinked: d.mediaLinked ?? 0,
    mediaMissing: d.mediaMissing ?? 0,
    warnings: d.warnings ?? 0,
  };
}

/** A deliverable as recorded; a missing field (hand-written data; proto JSON omits defaults) reads as its default. */
export function deliverableFromData(data: Partial<RenderDeliverable>): RenderDeliverable {
  return {
    name: data.name ?? "",
    mediaKey: data.mediaKey ?? "",
    qcReportKey: data.qcReportKey ?? "",
    layout: data.layout ?? "",
    integratedLufs: data.integratedLufs ?? 0,
    truePeakDbtp: data.truePeakDbtp ?? 0,
    qcPass: data.qcPass ?? false,
  };
}
